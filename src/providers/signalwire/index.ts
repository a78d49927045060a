import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyErrorCode } from '../../core/errors.js';
import type { Spec } from '../../core/openapi.js';
import { EMPTY_BODY, mountOperations } from '../../core/provider.js';
import { scaledLimit } from '../../core/rate-limit.js';
import { sendWire } from '../../core/reply.js';
import type { ProviderModule } from '../types.js';
import { authenticate, rateLimit } from './auth.js';
import { FAULT_CODES, SignalWireError, errors, faultError, toWire } from './errors.js';
import { freshCredentials, listCredentials, loadFixtures } from './fixtures.js';
import { createHandlers, createScenarios } from './handlers/index.js';
import { createInspectors } from './inspect.js';
import { mediaPlugin } from './media.js';
import { createRelay } from './realtime/index.js';
import { schema } from './schema.js';
import { SignalWireStore } from './store.js';
import type { SignalWireFixtures } from './types.js';
import { isUuid } from './validate.js';

export const signalwire: ProviderModule = {
  slug: 'signalwire',
  prefix: '/api/video',
  schema,
  create: (db) => {
    const store = new SignalWireStore(db);
    return {
      slug: 'signalwire',
      loadFixtures: (world, ids, fixtures) => loadFixtures(store, world, ids, fixtures as SignalWireFixtures),
      clearWorld: (worldId) => store.clearWorld(worldId),
      plugin: (app, spec) => plugin(app, spec, store),
      sites: [{ prefix: '/media/signalwire', plugin: mediaPlugin(store) }],
      scenarios: createScenarios(store),
      inspect: createInspectors(store),
      realtime: (runtime) => createRelay(store, runtime),
      faultCodes: FAULT_CODES,
      faultStatus: (action) => faultError(action).status,
      withFreshCredentials: (section, ids) => freshCredentials(section as SignalWireFixtures, ids),
      credentials: (section) => listCredentials(section as SignalWireFixtures | undefined),
      upstreamError: (status) => toWire(status === 504 ? errors.gatewayTimeout() : errors.badGateway()),
    };
  },
};

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;
const COUNTED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

async function plugin(app: FastifyInstance, spec: Spec, store: SignalWireStore): Promise<void> {
  // Operations that document a body parse it; the others ignore whatever is sent (reset, reference §3.2).
  const takesBody = new Set(spec.operations.filter((op) => spec.document.paths[op.path][op.method.toLowerCase()].requestBody).map((op) => op.operationId));
  const projectLimit = spec.operations.find((op) => op.rateLimit)?.rateLimit;
  const faultTargets = new Map(
    spec.operations.map((op) => {
      const example = spec.document.paths[op.path][op.method.toLowerCase()].responses?.['422']?.content?.['application/json']?.example;
      return [op.operationId, { validationExample: example, rateLimit: op.rateLimit }] as const;
    }),
  );

  // Reference §2.6: absent or empty body = {}; malformed JSON, non-object JSON or a non-JSON body = 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const op = req.op;
    const text = body as string;
    if (!op || !takesBody.has(op.operationId) || text.trim() === '') return done(null, {});
    const type = req.headers['content-type'];
    if (type !== undefined && !JSON_TYPE.test(type)) return done(errors.badRequest());
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(errors.badRequest());
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return done(errors.badRequest());
    done(null, parsed);
  });

  /** An unknown route or method still authenticates and counts first (reference §2.6 check order). */
  const notFound = (req: FastifyRequest, reply: FastifyReply) => {
    try {
      authenticate(store, req);
      if (app.emulator.options.rateLimits && COUNTED_METHODS.has(req.method)) rateLimit(req, reply, projectLimit);
      throw errors.notFound();
    } catch (err) {
      return sendWire(reply, toWire(err));
    }
  };

  app.setErrorHandler((err, req, reply) => {
    if (!req.op && !(err instanceof SignalWireError)) return notFound(req, reply);
    if (!(err instanceof SignalWireError) && !fastifyErrorCode(err)) req.log.error(err);
    return sendWire(reply, toWire(err));
  });
  // An absent body reads as `{}` here too, as in a routed request (the journal shows it).
  app.setNotFoundHandler((req, reply) => {
    if (req.body === undefined) req.body = EMPTY_BODY;
    return notFound(req, reply);
  });

  mountOperations(app, spec, '/api/video', createHandlers(store), {
    // An operation without a body ignores it, whatever its content type (even one Fastify cannot parse).
    prepare: (req, _reply, op) => {
      if (!takesBody.has(op.operationId)) delete req.headers['content-type'];
    },
    authenticate: (req) => authenticate(store, req),
    emptyBody: EMPTY_BODY,
    rateLimit: (req, reply, op) => rateLimit(req, reply, op.rateLimit),
    // Every SignalWire operation has `x-validate: false`: handlers validate with Rails messages.
    validationError: () => errors.badRequest(),
    notImplemented: () => errors.notImplemented(),
    faultError: (action, op) => {
      const { validationExample, rateLimit: limit } = faultTargets.get(op.operationId)!;
      const counted = limit && app.emulator.options.rateLimits ? scaledLimit(limit.limit, app.emulator.options.rateLimitScale) : undefined;
      return faultError(action, { validationExample, limit: counted });
    },
    // `GET /rooms/{id}` and `GET /rooms/{name}` share a route: a UUID names a room by id (then by name).
    pick: (req, ops) => {
      const value = Object.values(req.params as Record<string, string>)[0] ?? '';
      return ops.find((op) => op.operationId === (isUuid(value) ? 'get_room' : 'get_room_by_name')) ?? ops[0];
    },
  });
}
