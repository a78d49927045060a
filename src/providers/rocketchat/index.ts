import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EMPTY_BODY, mountOperations, pathMatcher } from '../../core/provider.js';
import { sendJson, sendWire } from '../../core/reply.js';
import type { Spec } from '../../core/openapi.js';
import type { ProviderModule } from '../types.js';
import { authenticate, rateLimit } from './auth.js';
import { avatarPlugin } from './avatar.js';
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

export const rocketchat: ProviderModule = {
  slug: 'rocketchat',
  prefix: '/api/v1',
  schema,
  create: (db) => {
    const store = new RocketChatStore(db);
    return {
      slug: 'rocketchat',
      loadFixtures: (world, ids, fixtures) => loadFixtures(store, world, ids, fixtures as RocketChatFixtures),
      clearWorld: (worldId) => store.clearWorld(worldId),
      plugin: (app, spec) => plugin(app, spec, store),
      site: { prefix: '/avatar', plugin: avatarPlugin(store) },
      realtime: createRealtime(store),
      scenarios: createScenarios(store),
      inspect: createInspectors(store),
      faultCodes: FAULT_CODES,
      withFreshCredentials: (section, ids) => freshCredentials(section as RocketChatFixtures, ids),
      credentials: (section) => listCredentials(section as RocketChatFixtures | undefined),
      upstreamError: (status, message) => ({ ...toWire(errors.upstream(status, message)), headers: { ...HEADERS } }),
    };
  },
};

async function plugin(app: FastifyInstance, spec: Spec, store: RocketChatStore): Promise<void> {
    const allowed = pathMatcher(spec);

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

    mountOperations(app, spec, '/api/v1', createHandlers(store), {
      authenticate: (req, _reply, op) => authenticate(store, req, op),
      rateLimit,
      validationError: (_part, errs) => errors.validation(errs[0]?.message ?? 'invalid'),
      notImplemented: (op) => errors.notImplemented(op.operationId),
      faultError: (action, op, req) => faultError(action, op.rateLimit, req.ctx.world.now()),
      // ajv checks the JSON body of a POST, the query of a GET; the other is ignored (§3.1 step 4).
      emptyBody: EMPTY_BODY,
      parts: (op) => (op.method === 'GET' ? ['query'] : ['body']),
    });
}
