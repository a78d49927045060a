import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Spec } from '../../core/openapi.js';
import { mountOperations } from '../../core/provider.js';
import { sendWire } from '../../core/reply.js';
import type { ProviderModule } from '../types.js';
import { authenticate, rateLimit } from './auth.js';
import { errors, FAULT_CODES, faultError, paramError, toWire } from './errors.js';
import { freshCredentials, listCredentials, loadFixtures } from './fixtures.js';
import { createHandlers, createScenarios } from './handlers/index.js';
import { createInspectors } from './inspect.js';
import { schema } from './schema.js';
import { DingTalkStore } from './store/index.js';
import type { DingTalkFixtures } from './types.js';
import { InvalidBody } from './validate.js';

const PREFIX = '/v1.0';

// Sent on every /v1.0 response, success or error, as on a captured real 400 (reference §2.1).
const HEADERS = {
  'content-type': 'application/json;charset=utf-8',
  server: 'DingTalk/1.0.0',
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
  'access-control-allow-headers': 'X-Requested-With, X-Sequence, _aop_secret, _aop_signature, x-acs-dingtalk-access-token',
};

export const dingtalk: ProviderModule = {
  slug: 'dingtalk',
  prefix: PREFIX,
  schema,
  create: (db) => {
    const store = new DingTalkStore(db);
    return {
      slug: 'dingtalk',
      loadFixtures: (world, ids, fixtures) => loadFixtures(store, world, ids, fixtures as DingTalkFixtures),
      clearWorld: (worldId) => store.clearWorld(worldId),
      plugin: (app, spec) => plugin(app, spec, store),
      scenarios: createScenarios(store),
      inspect: createInspectors(store),
      faultCodes: FAULT_CODES,
      faultStatus: (action, op) => faultError(action, op).status,
      withFreshCredentials: (section, ids) => freshCredentials(section as DingTalkFixtures, ids),
      credentials: (section) => listCredentials(section as DingTalkFixtures | undefined),
      upstreamError: (status, message, ids) => {
        const [requestId, traceId] = ids.upperUuidAndHex(32);
        const wire = toWire(errors.upstream(status, message), undefined, requestId);
        return { ...wire, headers: { ...HEADERS, 'x-acs-request-id': requestId, 'x-acs-trace-id': traceId } };
      },
    };
  },
};

/** Sets the §2.1 headers; returns the request id (`x-acs-request-id`). */
function envelope(app: FastifyInstance, reply: FastifyReply): string {
  const [requestId, traceId] = app.emulator.ids.upperUuidAndHex(32);
  reply.headers(HEADERS);
  reply.header('x-acs-request-id', requestId);
  reply.header('x-acs-trace-id', traceId);
  return requestId;
}

async function plugin(app: FastifyInstance, spec: Spec, store: DingTalkStore): Promise<void> {
  const fail = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    // A routed request has its envelope already (`prepare`); its error keeps the same ids.
    const existing = reply.getHeader('x-acs-request-id');
    const requestId = typeof existing === 'string' ? existing : envelope(app, reply);
    reply.header('content-type', HEADERS['content-type']);
    return sendWire(reply, toWire(err, req.op ?? undefined, requestId));
  };

  // JSON only. An empty body is absent; anything else that is not JSON reaches the handler as
  // InvalidBody, which each POST route turns into its own parameter error (reference §3.1, §3.2).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(req.headers['content-type'] ?? '')) return done(null, new InvalidBody('body must be JSON'));
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, new InvalidBody('body is not valid JSON'));
    }
  });

  app.setErrorHandler((err, req, reply) => fail(req, reply, err));
  // Route matching comes before auth: an unknown method + path answers the same whatever the token (§2.1).
  app.setNotFoundHandler((req, reply) => fail(req, reply, errors.notFound()));

  // A routed request gets the envelope here; every other answer under /v1.0 goes through `fail`.
  mountOperations(app, spec, PREFIX, createHandlers(store), {
    prepare: (_req, reply) => envelope(app, reply),
    authenticate: (req, _reply, op) => authenticate(store, req, op),
    rateLimit: (req, _reply, op) => rateLimit(req, op),
    // Every operation is `x-validate: false` (handlers check input with the route's own codes); should
    // one be validated by ajv, its errors still use the route's parameter error.
    validationError: (part, errs, op) => paramError(op, `${part}${errs[0]?.instancePath ?? ''} ${errs[0]?.message ?? 'is invalid'}`),
    notImplemented: (op) => errors.notImplemented(op.operationId),
    faultError,
  });
}
