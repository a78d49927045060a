import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WireError } from './errors.js';
import { harEntry, type HarRecorder } from './har.js';
import type { Operation } from './openapi.js';
import { recordRequest, sendWire } from './reply.js';

export interface ProxyOptions {
  provider: string;
  /** The upstream's base URL; the request's path and query are appended to its path. */
  base: URL;
  /** How long the upstream has to answer in full, in ms. */
  timeoutMs: number;
  /** The documented operation of a request, for the journal and the recording. */
  operation(method: string, path: string): Operation | undefined;
  /** The provider's own answer when the upstream cannot be reached (502) or does not answer in time (504). */
  upstreamError(status: 502 | 504, message: string): WireError;
  recorder?: HarRecorder;
}

// RFC 9110 §7.6.1: connection-specific headers are not forwarded. The body is buffered, so its
// length is sent instead of the sender's framing.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'expect']);

function pairs(raw: string[], skip: (name: string) => boolean): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) if (!skip(raw[i].toLowerCase())) out.push([raw[i], raw[i + 1]]);
  return out;
}

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'deflate') return inflateSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    // Kept as sent: the recording shows what arrived.
  }
  return body;
}

/** The journal's view of a body: JSON when it parses, else its text. */
function journalBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Forwards every request under the provider's prefix to its upstream (`--upstream`) as sent (method,
 * path, query, headers, body; `Host` rewritten), and sends the upstream's answer back as it came.
 * The body is buffered both ways: recordings and the journal need it whole, and no provider
 * operation streams.
 */
export async function proxyPlugin(app: FastifyInstance, options: ProxyOptions): Promise<void> {
  const { base, timeoutMs } = options;
  const basePath = base.pathname.replace(/\/+$/, '');
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const fail = (req: FastifyRequest, reply: FastifyReply, status: 502 | 504, message: string) => {
    req.log.warn({ upstream: base.origin, status }, message);
    return sendWire(reply, options.upstreamError(status, message), true);
  };

  app.setErrorHandler((err, req, reply) => fail(req, reply, 502, `the emulator could not forward the request: ${(err as Error).message}`));

  const handler = (req: FastifyRequest, reply: FastifyReply) => {
    // The real time, not a world's: the exchange happened with the real provider.
    // eslint-disable-next-line no-restricted-properties
    const startedAt = Date.now();
    const started = performance.now();
    const path = req.raw.url ?? req.url;
    const target = new URL(base.origin + basePath + path);
    const op = options.operation(req.method, path.split('?')[0]);
    req.op = op ?? null;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    req.body = journalBody(body);
    const headers = pairs(req.raw.rawHeaders, (name) => HOP_BY_HOP.has(name) || name === 'host' || name === 'content-length');
    headers.unshift(['Host', target.host]);
    if (body.length > 0 || req.headers['content-length'] !== undefined) headers.push(['Content-Length', String(body.length)]);

    let settled = false;
    const upstream = send(target, { method: req.method, headers: headers.flat() });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      upstream.destroy();
      fail(req, reply, 504, `upstream ${base.origin} did not answer within ${timeoutMs} ms`);
    }, timeoutMs);
    const unreachable = (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fail(req, reply, 502, `upstream ${base.origin} could not be reached: ${err.code ?? err.message}`);
    };
    upstream.on('error', unreachable);
    upstream.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', unreachable);
      res.on('close', () => {
        if (!res.complete) unreachable(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const answer = Buffer.concat(chunks);
        const status = res.statusCode ?? 502;
        // The body was buffered: its length replaces the upstream's framing, where an answer has a body
        // (a HEAD answer keeps the upstream's length, of the body it did not send).
        const head = req.method === 'HEAD';
        const back = pairs(res.rawHeaders, (name) => HOP_BY_HOP.has(name) || (name === 'content-length' && !head));
        if (!head && status >= 200 && status !== 204 && status !== 304) back.push(['Content-Length', String(answer.length)]);
        const text = decoded(answer, res.headers['content-encoding']);
        recordRequest(app.emulator, req, reply, status, text.toString('utf8'), true);
        options.recorder?.append(
          harEntry({
            startedAt,
            durationMs: Math.round((performance.now() - started) * 1000) / 1000,
            provider: options.provider,
            operationId: op?.operationId ?? null,
            method: req.method,
            url: target.toString(),
            requestHeaders: headers,
            requestBody: body,
            status,
            statusText: res.statusMessage,
            responseHeaders: back,
            responseBody: text,
          }),
        );
        reply.hijack();
        reply.raw.writeHead(status, res.statusMessage, back.flat());
        reply.raw.end(answer);
      });
    });
    // A client that goes away stops the upstream request.
    reply.raw.on('close', () => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        upstream.destroy();
      }
    });
    upstream.end(body);
  };
  app.all('/', handler);
  app.all('/*', handler);
}
