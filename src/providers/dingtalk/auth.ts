import type { FastifyRequest } from 'fastify';
import type { Operation } from '../../core/openapi.js';
import { RateLimitRule, scaledLimit } from '../../core/rate-limit.js';
import { requestedWorld } from '../../core/request.js';
import { startDueSchedules } from './domain.js';
import { errors } from './errors.js';
import type { DingTalkStore } from './store/index.js';
import type { Principal } from './types.js';

export const TOKEN_HEADER = 'x-acs-dingtalk-access-token';

/**
 * Reference §2.2: header present → token known and unexpired → scope. The token is looked up
 * globally and its row names the world; the world's clock decides expiry. The token route is
 * anonymous: its handler takes the world from the app key in the body.
 */
export function authenticate(store: DingTalkStore, req: FastifyRequest, op: Operation): void {
  const worlds = req.server.emulator.worlds;
  if (op.auth === 'none') {
    req.ctx = { world: requestedWorld(req) ?? worlds.default, principal: { kind: 'anonymous' } satisfies Principal };
    return;
  }
  const token = req.headers[TOKEN_HEADER];
  if (typeof token !== 'string' || token.trim() === '') throw errors.missingToken();
  const found = store.apps.tokenApp(token);
  const world = found && worlds.get(found.app.world);
  if (!found || !world || found.expiresAt <= world.now()) throw errors.invalidToken();
  const { app } = found;
  // Scopes are matched literally: Write does not imply Read (§2.2).
  if (op.requiredScopes.some((scope) => !app.scopes.includes(scope))) throw errors.scopeDenied(op.requiredScopes);
  req.ctx = { world, principal: { kind: 'app', appKey: app.appKey, org: app.org, scopes: app.scopes } satisfies Principal };
  // Scheduled conferences start on the world clock: noticed here, before any handler reads the world.
  startDueSchedules(store, world, req.server.emulator.ids);
}

/** Per app per API, fixed windows aligned to whole intervals of the world's clock (§2.6). */
export function rateLimit(req: FastifyRequest, op: Operation): void {
  const spec = op.rateLimit;
  const principal = req.ctx.principal as Principal;
  if (!spec || principal.kind !== 'app') return;
  const world = req.ctx.world;
  const rule = world.local(`dingtalk:rate:${op.operationId}`, () => new RateLimitRule(scaledLimit(spec.limit, req.server.emulator.options.rateLimitScale), spec.intervalMs, 'aligned', world.startedAt));
  if (rule.hit(principal.appKey, world.now()).limited) throw errors.qpsLimit();
}
