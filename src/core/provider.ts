import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import type { WireError } from './errors.js';
import type { FaultAction } from './faults.js';
import type { JournalRecord } from './journal.js';
import { checkResponse, type Operation, type RequestPart, type Spec } from './openapi.js';
import type { Runtime } from './runtime.js';
import type { World } from './worlds.js';

export interface RequestContext<P = unknown> {
  world: World;
  principal: P;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    /** The documented operation of the matched route; null for an unrouted request. */
    op: Operation | null;
    /** The injected fault applied to this request, for the journal. */
    faultId: string | null;
  }
  interface FastifyInstance {
    emulator: Runtime;
  }
}

export interface HandlerContext<P = unknown> {
  req: FastifyRequest;
  reply: FastifyReply;
  op: Operation;
  world: World;
  principal: P;
  params: Record<string, any>;
  query: Record<string, any>;
  body: any;
  runtime: Runtime;
}

/**
 * One function per operationId. It returns the success body (or `undefined` for no body; a string
 * or a {@link Utf8Json} is JSON text sent as is).
 */
export type Handler<P = any> = (ctx: HandlerContext<P>) => unknown;
export type Handlers<P = any> = Record<string, Handler<P>>;

export type { RequestPart } from './openapi.js';

/** The provider-specific steps of the pipeline: route → auth → rate limiter → validation → handler. */
export interface Pipeline {
  /** Adjusts the request before anything reads it (the first step for a routed request). */
  prepare?(req: FastifyRequest, reply: FastifyReply, op: Operation): void;
  /** Sets `req.ctx` (world and principal) or throws the provider's auth error. */
  authenticate(req: FastifyRequest, reply: FastifyReply, op: Operation): void;
  /** Counts the request; sets headers; throws the provider's rate-limit error. */
  rateLimit?(req: FastifyRequest, reply: FastifyReply, op: Operation): void;
  /** Turns ajv's errors (first error first) into the provider's validation error. */
  validationError(part: RequestPart, errors: ErrorObject[], op: Operation): Error;
  /** The error for a documented operation that has no handler yet (501, naming the operationId). */
  notImplemented(op: Operation): Error;
  /** The error an injected fault answers with, in the provider's format. */
  faultError?(action: FaultAction, op: Operation, req: FastifyRequest): Error;
  /** The body a request without one is read as (Rocket.Chat and SignalWire: `EMPTY_BODY`). */
  emptyBody?: unknown;
  /** Which request part ajv checks: Rocket.Chat validates either the query (GET) or the body. */
  parts?(op: Operation): RequestPart[];
}

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
export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  const req = reply.request;
  // No journal in the Swagger UI app (nor in unit tests' bare apps).
  const runtime = req.server.emulator as Runtime | undefined;
  const journaled = runtime?.journal?.enabled === true;
  if (body === undefined) {
    if (journaled) recordRequest(runtime!, req, reply, reply.statusCode, '');
    return reply.removeHeader('content-type').send();
  }
  if (reply.getHeader('content-type') === undefined) reply.header('content-type', 'application/json; charset=utf-8');
  const kept = body instanceof Utf8Json ? body : undefined;
  const text = kept ? kept.text : typeof body === 'string' ? body : JSON.stringify(body);
  if (journaled) recordRequest(runtime!, req, reply, reply.statusCode, text);
  return kept ? reply.send(kept.bytes) : reply.serializer(asIs).send(text);
}

export function sendWire(reply: FastifyReply, wire: WireError): FastifyReply {
  reply.code(wire.status);
  if (wire.headers) reply.headers(wire.headers);
  return sendJson(reply, wire.body);
}

const ALL_PARTS: RequestPart[] = ['path', 'query', 'body'];

/** `{}`, shared (and frozen) rather than one per request: the journal keeps each request's body. */
export const EMPTY_BODY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Mounts every operation of a spec on `app` (a plugin registered at `prefix`), wiring the
 * provider's pipeline around the handler named after each operationId.
 */
export function mountOperations(app: FastifyInstance, spec: Spec, prefix: string, handlers: Handlers, pipeline: Pipeline): void {
  const runtime = app.emulator;

  const limit = (req: FastifyRequest, reply: FastifyReply, op: Operation, done: (err?: Error) => void) => {
    try {
      if (runtime.options.rateLimits) pipeline.rateLimit?.(req, reply, op);
      done();
    } catch (err) {
      done(err as Error);
    }
  };

  // A route-level hook per operation (after the provider's own onRequest hooks): the operation is
  // in the closure, not read back through `req.routeOptions`, which builds an object per call.
  const onRequest = (op: Operation) => (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    req.op = op;
    try {
      pipeline.prepare?.(req, reply, op);
      pipeline.authenticate(req, reply, op);
    } catch (err) {
      return done(err as Error);
    }
    const fault =
      runtime.faults.size === 0
        ? undefined
        : runtime.faults.take({ provider: op.provider, operationId: op.operationId, method: op.method, path: req.url.split('?')[0], world: req.ctx.world.id });
    if (!fault) return limit(req, reply, op, done);
    req.faultId = fault.id;
    const { action } = fault;
    const apply = () => {
      if (action.drop) {
        recordRequest(runtime, req, reply, 0, '');
        reply.hijack();
        req.raw.socket?.destroy();
        return;
      }
      if ((action.status !== undefined || action.code !== undefined) && pipeline.faultError) return done(pipeline.faultError(action, op, req));
      limit(req, reply, op, done);
    };
    if (action.delayMs) setTimeout(apply, action.delayMs);
    else apply();
  };

  if (runtime.options.validateResponses) {
    app.addHook('onSend', (req, reply, payload, done) => {
      const op = req.op;
      // An injected fault may answer with any status; its body is checked by the fault tests.
      if (op && !req.faultId) {
        let body: unknown;
        const text = Buffer.isBuffer(payload) ? payload.toString() : typeof payload === 'string' ? payload : '';
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        for (const problem of checkResponse(op, reply.statusCode, body)) runtime.contractViolations.push(problem);
      }
      done(null, payload);
    });
  }

  for (const op of spec.operations) {
    if (!op.path.startsWith(prefix)) throw new Error(`${spec.file}: ${op.path} is outside ${prefix}`);
    const handler = handlers[op.operationId];
    runtime.mounted.push({ provider: spec.provider, operationId: op.operationId, implemented: handler !== undefined });
    const parts = pipeline.parts?.(op) ?? ALL_PARTS;
    app.route({
      method: op.method,
      url: op.url.slice(prefix.length) || '/',
      onRequest: onRequest(op),
      // Synchronous: no handler awaits anything, and an async route costs a promise and a tick per request.
      handler: (req, reply) => {
        if (pipeline.emptyBody !== undefined && req.body === undefined) req.body = pipeline.emptyBody;
        for (const part of parts) {
          const validate = op.validator(part);
          if (!validate) continue;
          const data = part === 'path' ? req.params : part === 'query' ? req.query : req.body;
          if (data === undefined && part === 'body' && !op.bodyRequired) continue;
          if (!validate(data)) throw pipeline.validationError(part, validate.errors ?? [], op);
        }
        if (!handler) throw pipeline.notImplemented(op);
        const result = handler({
          req,
          reply,
          op,
          world: req.ctx.world,
          principal: req.ctx.principal,
          params: req.params as Record<string, any>,
          query: req.query as Record<string, any>,
          body: req.body,
          runtime,
        });
        if (result instanceof Promise) result.then((value) => sendJson(reply, value)).catch((err: unknown) => reply.send(err));
        // A handler that answers by itself (an event stream) returns the reply.
        else if (result !== reply) sendJson(reply, result);
      },
    });
  }
}

/** Matches a concrete path against a spec's templates, to tell 404 from 405 and build `Allow`. */
export function pathMatcher(spec: Spec): (path: string) => string[] | undefined {
  const byTemplate = new Map<string, { re: RegExp; methods: string[] }>();
  for (const op of spec.operations) {
    let entry = byTemplate.get(op.path);
    if (!entry) {
      const pattern = op.path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
      entry = { re: new RegExp(`^${pattern}$`), methods: [] };
      byTemplate.set(op.path, entry);
    }
    entry.methods.push(op.method);
  }
  const entries = [...byTemplate.values()];
  return (path) => entries.find((e) => e.re.test(path))?.methods;
}

export const WORLD_HEADER = 'x-emulator-world';

/**
 * The world a request names with `X-Emulator-World`, for requests whose credential does not pick
 * one (login, anonymous calls). No header: the default world. An unknown id: `undefined`.
 */
export function requestedWorld(req: FastifyRequest): World | undefined {
  const header = req.headers[WORLD_HEADER];
  const worlds = req.server.emulator.worlds;
  if (header === undefined) return worlds.default;
  return typeof header === 'string' ? worlds.get(header) : undefined;
}

/** The provider a request belongs to, by path prefix; `undefined` for the control plane and docs. */
export function providerOf(runtime: Runtime, url: string): string | undefined {
  for (const [prefix, slug] of runtime.prefixes) {
    if (url.startsWith(prefix) && (url.length === prefix.length || url[prefix.length] === '/' || url[prefix.length] === '?')) return slug;
  }
  return undefined;
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
};

/** Records a provider request in the journal (redacted and parsed when the journal is read). */
export function recordRequest(runtime: Runtime, req: FastifyRequest, reply: FastifyReply, status: number, payload: string): void {
  const journal = runtime.journal;
  if (!journal.enabled) return;
  const provider = providerOf(runtime, req.url);
  if (!provider) return;
  const world = (req.ctx as RequestContext | null)?.world ?? requestedWorld(req) ?? runtime.worlds.default;
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
  journal.record(record);
  // The object outlives the request: it must not keep the request's parts alive.
  record.headers = NO_HEADERS;
  record.body = undefined;
  record.payload = '';
}
