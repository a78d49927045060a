import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WireError } from './errors.js';
import type { JournalRecord } from './journal.js';
import type { RequestLine } from './log.js';
import { providerOf, requestedWorld, type RequestContext } from './request.js';
import type { Runtime } from './runtime.js';
import type { World } from './worlds.js';

/**
 * JSON text kept to be sent many times (a cached answer) that is not ASCII, with its UTF-8 bytes
 * encoded once. Sent as a string, such a body would cost every response a copy of head and body
 * into one two-byte string, its UTF-8 length and its encoding: about a microsecond for a DingTalk
 * meeting titled in Chinese. ASCII text stays a string, which goes out in one write with the head.
 */
export class Utf8Json {
  readonly text: string;
  // Private: the read caches deep-freeze what they hold, and a Buffer cannot be frozen.
  readonly #bytes: Buffer;

  constructor(text: string, bytes: Buffer) {
    this.text = text;
    this.#bytes = bytes;
  }

  get bytes(): Buffer {
    return this.#bytes;
  }
}

/** JSON text to keep and send many times: the text itself when ASCII, else a {@link Utf8Json}. */
export function reusableJson(text: string): string | Utf8Json {
  return Buffer.byteLength(text) === text.length ? text : new Utf8Json(text, Buffer.from(text));
}

/** The serializer of every provider reply: bodies are serialised before they reach Fastify. */
const asIs = (text: string): string => text;

/**
 * Sends a body serialised here. Fastify appends `; charset=utf-8` to a JSON content type that has
 * none when it serialises a string itself, and each provider needs its own exact header: a reply
 * serializer of our own leaves the header as set, and the body goes as the string, in one write
 * with the head. Every provider response goes through here, so this is where the journal records
 * it (an onSend hook would cost every request a pass through Fastify's hook runner).
 */
export function sendJson(reply: FastifyReply, body: unknown, proxied = false): FastifyReply {
  const req = reply.request;
  // No journal in the Swagger UI app (nor in unit tests' bare apps).
  const runtime = req.server.emulator as Runtime | undefined;
  let world: World | undefined;
  if (runtime?.worlds) {
    world = worldOf(runtime, req);
    reply.header('date', httpDate(world.now()));
  }
  const recorded = runtime !== undefined && (runtime.journal?.enabled === true || runtime.log !== undefined);
  if (body === undefined) {
    if (recorded) recordRequest(runtime, req, reply, reply.statusCode, '', proxied, world);
    return reply.removeHeader('content-type').send();
  }
  if (reply.getHeader('content-type') === undefined) reply.header('content-type', 'application/json; charset=utf-8');
  const kept = body instanceof Utf8Json ? body : undefined;
  const text = kept ? kept.text : typeof body === 'string' ? body : JSON.stringify(body);
  if (recorded) recordRequest(runtime, req, reply, reply.statusCode, text, proxied, world);
  return kept ? reply.send(kept.bytes) : reply.serializer(asIs).send(text);
}

/** Sends a provider's error; `proxied` marks it in the journal as the answer to a forwarded request. */
export function sendWire(reply: FastifyReply, wire: WireError, proxied = false): FastifyReply {
  reply.code(wire.status);
  if (wire.headers) reply.headers(wire.headers);
  return sendJson(reply, wire.body, proxied);
}

/** The world a provider request belongs to: its credential's, else the one it names, else the default. */
const worldOf = (runtime: Runtime, req: FastifyRequest): World =>
  (req.ctx as RequestContext | null)?.world ?? requestedWorld(req) ?? runtime.worlds.default;

let dateSecond = NaN;
let dateText = '';

/**
 * The HTTP `Date` of an answer, on the world's clock like every timestamp in its body (a client that
 * reads the server's time from the header sees the same moved or frozen clock). Kept per second.
 */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

const NO_HEADERS = Object.freeze({});
// Filled and handed to the journal for each request, which copies it: no object per request.
const record: JournalRecord = {
  timeMs: 0,
  world: null,
  provider: '',
  operationId: null,
  method: '',
  url: '',
  headers: NO_HEADERS,
  body: undefined,
  status: 0,
  payload: '',
  durationMs: 0,
  fault: null,
  proxied: false,
};

// The console line, filled the same way.
const line: RequestLine = {
  world: null,
  provider: '',
  operationId: null,
  method: '',
  url: '',
  status: 0,
  durationMs: 0,
  fault: null,
  rateLimited: false,
  proxied: false,
};

/**
 * Records a provider request in the journal (redacted and parsed when the journal is read) and
 * writes its console line.
 */
export function recordRequest(
  runtime: Runtime,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  payload: string,
  proxied = false,
  requestWorld?: World,
): void {
  const journal = runtime.journal;
  const log = runtime.log;
  if (!journal.enabled && log === undefined) return;
  const provider = providerOf(runtime, req.url);
  if (!provider) return;
  const world = requestWorld ?? worldOf(runtime, req);
  record.timeMs = world.now();
  record.world = world.id;
  record.provider = provider;
  record.operationId = req.op?.operationId ?? null;
  record.method = req.method;
  record.url = req.url;
  record.headers = req.headers;
  record.body = req.body;
  record.status = status;
  record.payload = payload;
  record.durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
  record.fault = req.faultId;
  record.proxied = proxied;
  journal.record(record);
  if (log !== undefined) {
    line.world = record.world;
    line.provider = provider;
    line.operationId = record.operationId;
    line.method = record.method;
    line.url = record.url;
    line.status = status;
    line.durationMs = record.durationMs;
    line.fault = record.fault;
    // A 429 no fault injected can only come from a limiter (one a provider checks on its own path too).
    line.rateLimited = req.rateLimited || (status === 429 && record.fault === null);
    line.proxied = proxied;
    log.request(line);
    line.url = '';
  }
  // The object outlives the request: it must not keep the request's parts alive.
  record.headers = NO_HEADERS;
  record.body = undefined;
  record.payload = '';
}
