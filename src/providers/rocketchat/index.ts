import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EMPTY_BODY, mountOperations, pathMatcher, type Handlers } from '../../core/provider.js';
import { sendJson, sendWire } from '../../core/reply.js';
import type { Spec } from '../../core/openapi.js';
import type { ProviderModule } from '../types.js';
import { authenticate, rateLimit } from './auth.js';
import { avatarPlugin } from './avatar.js';
import { breakingChanges } from './domain.js';
import { errors, FAULT_CODES, faultError, RocketChatError, toWire } from './errors.js';
import { freshCredentials, listCredentials, loadFixtures } from './fixtures.js';
import { createHandlers, createScenarios } from './handlers.js';
import { createInspectors } from './inspect.js';
import { createRealtime } from './realtime.js';
import { schema } from './schema.js';
import { RocketChatStore } from './store.js';
import type { RocketChatFixtures } from './types.js';

// Sent on every /api/v1 response (Restivus `_respond`, reference §3.2).
const HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'access-control-allow-origin': '*',
};

const API_V1 = '/api/v1';
const API_INFO = '/api/info';

export const rocketchat: ProviderModule = {
  slug: 'rocketchat',
  prefix: API_V1,
  schema,
  create: (db) => {
    const store = new RocketChatStore(db);
    // One set of handlers (and their read caches) for both mounts, /api/v1 and /api/info.
    let handlers: ReturnType<typeof createHandlers> | undefined;
    const handlersFor = (spec: Spec) => (handlers ??= createHandlers(store, spec));
    return {
      slug: 'rocketchat',
      loadFixtures: (world, ids, fixtures) => loadFixtures(store, world, ids, fixtures as RocketChatFixtures),
      clearWorld: (worldId) => store.clearWorld(worldId),
      plugin: (app, spec) => plugin(app, spec, store, API_V1, handlersFor(spec)),
      sites: [
        { prefix: '/avatar', plugin: avatarPlugin(store) },
        // `GET /api/info` lives on the server's unversioned API (`API.default`), beside /api/v1.
        { prefix: API_INFO, plugin: (app, spec) => plugin(app, spec, store, API_INFO, handlersFor(spec)) },
      ],
      realtime: createRealtime(store),
      scenarios: createScenarios(store),
      inspect: createInspectors(store),
      faultCodes: FAULT_CODES,
      faultStatus: (action, op) => faultError(action, { rateLimit: op.rateLimit, allow: '' }, 0).status,
      withFreshCredentials: (section, ids) => freshCredentials(section as RocketChatFixtures, ids),
      credentials: (section) => listCredentials(section as RocketChatFixtures | undefined),
      upstreamError: (status, message) => ({ ...toWire(errors.upstream(status, message)), headers: { ...HEADERS } }),
    };
  },
};

/** Mounts the spec's operations under `prefix` (`/api/v1`, or `/api/info` alone) with Rocket.Chat's parser, headers and errors. */
async function plugin(app: FastifyInstance, fullSpec: Spec, store: RocketChatStore, prefix: string, handlers: Handlers): Promise<void> {
    const spec = { ...fullSpec, operations: fullSpec.operations.filter((op) => op.path === prefix || op.path.startsWith(`${prefix}/`)) };
    const allowed = pathMatcher(spec);
    const allowOf = new Map(spec.operations.map((op) => [op.operationId, [...spec.operations.filter((o) => o.path === op.path).map((o) => o.method), 'OPTIONS'].join(', ')]));

    // A body that is absent, empty, malformed or not JSON counts as `{}` (reference D6).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return done(null, {});
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, {});
      }
    });

    app.addHook('onRequest', (req, reply, done) => {
      reply.headers(HEADERS);
      // Any content type is read (a non-JSON one as `{}`), even one Fastify cannot parse (`;;;`).
      const type = req.headers['content-type'];
      if (type !== undefined) req.headers['content-type'] = /^application\/json\b/i.test(type) ? 'application/json' : 'text/plain';
      done();
    });

    const notFound = (req: FastifyRequest, reply: FastifyReply) => {
      const methods = allowed(req.url.split('?')[0]);
      if (!methods) return sendWire(reply, toWire(errors.notFound()));
      const allow = [...methods, 'OPTIONS'].join(', ');
      if (req.method === 'OPTIONS') return sendJson(reply.code(200).header('allow', allow), undefined);
      return sendWire(reply, toWire(errors.methodNotAllowed(allow)));
    };

    // Fastify drops the content type set earlier when an error is handled; set the headers again.
    // An unrouted request whose body Fastify refused (bad media type, too large) is still a 404/405.
    app.setErrorHandler((err, req, reply) => {
      reply.headers(HEADERS);
      if (!req.op && !(err instanceof RocketChatError)) return notFound(req, reply);
      return sendWire(reply, toWire(err));
    });
    // An absent body reads as `{}` here too, as in a routed request (the journal shows it).
    app.setNotFoundHandler((req, reply) => {
      if (req.body === undefined) req.body = EMPTY_BODY;
      return notFound(req, reply);
    });

    mountOperations(app, spec, prefix, handlers, {
      authenticate: (req, _reply, op) => authenticate(store, req, op),
      rateLimit,
      validationError: (_part, errs) => errors.validation(errs[0]?.message ?? 'invalid'),
      notImplemented: (op) => errors.notImplemented(op.operationId),
      faultError: (action, op, req) =>
        faultError(action, { rateLimit: op.rateLimit, allow: allowOf.get(op.operationId)! }, req.ctx.world.now(), breakingChanges(store, req.ctx.world.id)),
      // ajv checks the JSON body of a POST, the query of a GET; the other is ignored (§3.1 step 4).
      emptyBody: EMPTY_BODY,
      parts: (op) => (op.method === 'GET' ? ['query'] : ['body']),
    });
}
