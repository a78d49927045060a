import type { HandlerContext } from '../../core/provider.js';
import { paramError } from './errors.js';
import type { Principal } from './types.js';

type Ctx = HandlerContext<Principal>;

const DEFAULT_MAX_RESULTS = 128;

/** `nextToken` is the decimal offset of the next item, `maxResults` the page size (reference §3.4 (E)). */
export function paging(ctx: Ctx): { offset: number; limit: number } {
  const { nextToken, maxResults } = ctx.query as { nextToken?: unknown; maxResults?: unknown };
  // Any decimal integer string is valid, however large ("no maximum"; a huge offset is past the end):
  // beyond 2^53 the value is inexact (or Infinity), which still pages correctly over any real list.
  const count = (value: unknown, name: string, min: number): number => {
    const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n) || n < min) throw paramError(ctx.op, `${name} is invalid`);
    return n;
  };
  return {
    offset: nextToken === undefined ? 0 : count(nextToken, 'nextToken', 0),
    limit: maxResults === undefined ? DEFAULT_MAX_RESULTS : count(maxResults, 'maxResults', 1),
  };
}

/** One page of a list: `nextToken` (the next offset) only while more remain (reference §3.4 (E)). */
export function pageOf<T>(all: readonly T[], offset: number, limit: number): { page: T[]; nextToken?: string; hasMore: boolean } {
  const page = all.slice(offset, offset + limit);
  const next = offset + page.length;
  const hasMore = page.length > 0 && next < all.length;
  return hasMore ? { page, nextToken: String(next), hasMore } : { page, hasMore };
}
