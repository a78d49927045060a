import { Problem } from './problem.js';
import type { HandlerContext } from './provider.js';
import type { World } from './worlds.js';

// Helpers of the read-only state views (`GET /_emulator/worlds/{worldId}/<provider>/…`) that each
// provider's `inspect.ts` answers.

const DEFAULT_LIMIT = 50;

/** A secret as every state view shows it: its first 4 characters, then `…`. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}…`;
}

/** The world named by the `{worldId}` path parameter; 404 when there is none. */
export function inspectedWorld(ctx: HandlerContext): World {
  const id = String((ctx.params as { worldId: string }).worldId);
  const world = ctx.runtime.worlds.get(id);
  if (!world) throw new Problem(404, `No world ${id}`);
  return world;
}

/** `offset` and `limit` of the query (checked against the spec), with their defaults. */
export function pageParams(ctx: HandlerContext): { offset: number; limit: number } {
  const { offset, limit } = ctx.query as { offset?: number; limit?: number };
  return { offset: offset ?? 0, limit: limit ?? DEFAULT_LIMIT };
}

/** The answer of a state view: the page's items under `key`, then `offset`, `limit` and `total`. */
export function pageOf<K extends string>(key: K, items: unknown[], page: { offset: number; limit: number }, total: number) {
  return { [key]: items, offset: page.offset, limit: page.limit, total } as Record<K, unknown[]> & { offset: number; limit: number; total: number };
}
