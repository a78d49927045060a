import type { FastifyRequest } from 'fastify';
import type { Operation } from './openapi.js';
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
    /** Refused by the provider's rate limiter (for the console's mark). */
    rateLimited: boolean;
  }
  interface FastifyInstance {
    emulator: Runtime;
  }
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

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^bearer +(\S[^]*)$/i.exec(header);
  return match?.[1];
}
