import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitSpec } from '../../core/openapi.js';
import { RateLimitRule, scaledLimit } from '../../core/rate-limit.js';
import { hashApiToken } from './crypto.js';
import { errors } from './errors.js';
import type { SignalWireStore } from './store.js';
import type { Principal } from './types.js';
import { isUuid } from './validate.js';

const VIDEO_SCOPE = 'video';

/**
 * HTTP Basic `<project_id>:<api_token>` (reference §2.1). The project is looked up across every
 * world (project ids and API tokens are unique), and its world becomes the request's world.
 * Every failure, including a token without the Video scope, is the same 401.
 */
export function authenticate(store: SignalWireStore, req: FastifyRequest): void {
  const header = req.headers.authorization;
  const found = typeof header === 'string' ? store.authCache.get(header, () => credentialOf(store, header)) : undefined;
  const world = found && req.server.emulator.worlds.get(found.world);
  if (!found || !world) throw errors.unauthorized();
  req.ctx = { world, principal: { projectId: found.projectId } satisfies Principal };
}

/** The project an `Authorization` value names, if its token is valid with the Video scope (cached per value until the next write). */
function credentialOf(store: SignalWireStore, header: string): { world: string; projectId: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const projectId = decoded.slice(0, colon).toLowerCase();
  const token = decoded.slice(colon + 1);
  if (!isUuid(projectId) || token === '') return undefined;
  const credential = store.credential(projectId, hashApiToken(token));
  if (!credential || !credential.scopes.some((s) => s.toLowerCase() === VIDEO_SCOPE)) return undefined;
  return { world: credential.world, projectId };
}

/**
 * POST, PUT and PATCH count against one fixed window per project that opens at the project's first
 * counted request; refused requests do not count (reference §2.8).
 */
export function rateLimit(req: FastifyRequest, reply: FastifyReply, spec: RateLimitSpec | undefined): void {
  if (!spec) return;
  const world = req.ctx.world;
  const { projectId } = req.ctx.principal as Principal;
  const rule = world.local(`signalwire:rate:${spec.limit}:${spec.intervalMs}`, () => new RateLimitRule(scaledLimit(spec.limit, req.server.emulator.options.rateLimitScale), spec.intervalMs, 'first-hit', world.startedAt));
  const result = rule.hit(projectId, world.now());
  reply.header('X-RateLimit-Limit', String(result.limit));
  reply.header('X-RateLimit-Remaining', String(result.remaining));
  if (result.limited) throw errors.tooManyRequests();
}
