import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Operation } from '../../core/openapi.js';
import { RateLimitRule, scaledLimit } from '../../core/rate-limit.js';
import { requestedWorld } from '../../core/request.js';
import { anonymousReadAllowed, breakingChanges, hasPermission } from './domain.js';
import { errors } from './errors.js';
import type { RocketChatStore } from './store.js';
import type { Principal } from './types.js';

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `X-User-Id` + `X-Auth-Token`: the user with that id holding a stored hash of the token
 * (reference §9). The token's world is the request's world.
 */
export function authenticate(store: RocketChatStore, req: FastifyRequest, op: Operation): void {
  const userId = header(req, 'x-user-id');
  const token = header(req, 'x-auth-token');
  const found = userId && token ? store.userByToken(token, userId) : undefined;
  const world = found ? req.server.emulator.worlds.get(found.world) : requestedWorld(req);
  if (found && world) {
    req.ctx = { world, principal: { kind: 'user', user: found.user, hashedToken: found.hashedToken } satisfies Principal };
    return;
  }
  if (op.auth === 'none' && world) {
    req.ctx = { world, principal: { kind: 'none' } satisfies Principal };
    return;
  }
  if (op.auth === 'optional' && world && anonymousReadAllowed(store, world.id)) {
    req.ctx = { world, principal: { kind: 'anonymous' } satisfies Principal };
    return;
  }
  throw errors.notLoggedIn(breakingChanges(store, world?.id));
}

/** The client IP the limiter keys on: `X-Real-IP`, else the socket (reference §8). */
function clientIp(req: FastifyRequest): string {
  return header(req, 'x-real-ip') ?? req.socket.remoteAddress ?? '';
}

/**
 * Meteor's rate limiter as Rocket.Chat configures it (reference §8): one fixed window per
 * route+method, shared by every client IP, counting refused requests too.
 */
export function rateLimit(req: FastifyRequest, reply: FastifyReply, op: Operation): void {
  const spec = op.rateLimit;
  if (!spec) return;
  const principal = req.ctx.principal as Principal;
  if (principal.kind === 'user' && hasPermission(principal.user, 'api-bypass-rate-limit')) return;
  const world = req.ctx.world;
  const rule = world.local(`rocketchat:rate:${op.operationId}`, () => new RateLimitRule(scaledLimit(spec.limit, req.server.emulator.options.rateLimitScale), spec.intervalMs, 'shared', world.startedAt));
  const now = world.now();
  const result = rule.hit(`${clientIp(req)} ${op.path} ${op.method}`, now);
  reply.header('X-RateLimit-Limit', String(result.limit));
  reply.header('X-RateLimit-Remaining', String(result.remaining));
  reply.header('X-RateLimit-Reset', String(result.resetAt));
  if (result.limited) throw errors.tooManyRequests(Math.ceil((result.resetAt - now) / 1000));
}
