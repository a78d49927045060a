import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import type { FaultAction } from './faults.js';
import { checkResponse, type Operation, type RequestPart, type Spec } from './openapi.js';
import { recordRequest, sendJson } from './reply.js';
import type { Runtime } from './runtime.js';
import type { World } from './worlds.js';

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
 * or a `Utf8Json` of reply.ts is JSON text sent as is).
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
  /**
   * The operation a request names when several share one route: the same method on paths that differ
   * only in their parameter names (SignalWire's `/rooms/{id}` and `/rooms/{name}`). Default: the first.
   */
  pick?(req: FastifyRequest, ops: Operation[]): Operation;
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
      req.rateLimited = true;
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
      // An injected fault's answer is checked by the fault tests; nobody receives an answer to a request
      // whose connection Node already closed (a malformed chunked body: Node's bare 400).
      if (op && !req.faultId && !req.raw.socket?.destroyed) {
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

  // Operations whose method and path differ only in parameter names share one route (Fastify allows one).
  const routes = new Map<string, Operation[]>();
  for (const op of spec.operations) {
    if (!op.path.startsWith(prefix)) throw new Error(`${spec.file}: ${op.path} is outside ${prefix}`);
    runtime.mounted.push({ provider: spec.provider, operationId: op.operationId, implemented: handlers[op.operationId] !== undefined });
    const key = `${op.method} ${op.url.replace(/:[^/]+/g, ':')}`;
    const group = routes.get(key);
    if (group) group.push(op);
    else routes.set(key, [op]);
  }

  for (const group of routes.values()) {
    const first = group[0];
    const mounted = new Map(
      group.map((op) => [
        op,
        {
          hook: onRequest(op),
          handler: handlers[op.operationId],
          parts: pipeline.parts?.(op) ?? ALL_PARTS,
          paramNames: [...op.url.matchAll(/:([^/]+)/g)].map((m) => m[1]),
        },
      ]),
    );
    const only = mounted.get(first)!;
    app.route({
      method: first.method,
      url: first.url.slice(prefix.length) || '/',
      onRequest:
        group.length === 1
          ? only.hook
          : (req, reply, done) => {
              const op = pipeline.pick?.(req, group) ?? first;
              const chosen = mounted.get(op)!;
              if (op !== first) {
                const values = Object.values(req.params as Record<string, string>);
                req.params = Object.fromEntries(chosen.paramNames.map((name, i) => [name, values[i]]));
              }
              chosen.hook(req, reply, done);
            },
      // Synchronous: no handler awaits anything, and an async route costs a promise and a tick per request.
      handler: (req, reply) => {
        const op = group.length === 1 ? first : req.op!;
        const { handler, parts } = group.length === 1 ? only : mounted.get(op)!;
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

/** A spec's path templates as patterns, each with its operations. */
function templates(spec: Spec): { re: RegExp; ops: Operation[] }[] {
  const byTemplate = new Map<string, { re: RegExp; ops: Operation[] }>();
  for (const op of spec.operations) {
    let entry = byTemplate.get(op.path);
    if (!entry) {
      const pattern = op.path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
      entry = { re: new RegExp(`^${pattern}$`), ops: [] };
      byTemplate.set(op.path, entry);
    }
    entry.ops.push(op);
  }
  return [...byTemplate.values()];
}

/** Matches a concrete path against a spec's templates, to tell 404 from 405 and build `Allow`. */
export function pathMatcher(spec: Spec): (path: string) => string[] | undefined {
  const entries = templates(spec);
  return (path) => entries.find((e) => e.re.test(path))?.ops.map((op) => op.method);
}

/** The documented operation a method and concrete path (no query) name, if any. */
export function operationMatcher(spec: Spec): (method: string, path: string) => Operation | undefined {
  const entries = templates(spec);
  return (method, path) => {
    for (const e of entries) {
      if (!e.re.test(path)) continue;
      const op = e.ops.find((o) => o.method === method);
      if (op) return op;
    }
    return undefined;
  };
}
