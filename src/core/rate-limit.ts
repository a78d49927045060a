/**
 * Fixed-window counters, in memory, per world. Providers differ in where a window starts:
 * - `shared`: one window per rule for every key, opened when the rule is created and renewed by
 *   the first request after it lapses (Meteor's DDPRateLimiter, Rocket.Chat §8); refused requests count.
 * - `first-hit`: one window per key, opened by the key's first counted request (SignalWire §2.8);
 *   refused requests do not count.
 * - `aligned`: one window per key aligned to multiples of the interval on the clock (DingTalk §2.6).
 */
export type WindowMode = 'shared' | 'first-hit' | 'aligned';

export interface RateLimitResult {
  limited: boolean;
  limit: number;
  count: number;
  remaining: number;
  /** Epoch ms when the current window ends. */
  resetAt: number;
}

export class RateLimitRule {
  readonly limit: number;
  readonly intervalMs: number;
  readonly mode: WindowMode;
  #sharedStart: number;
  #counters = new Map<string, { start: number; count: number }>();

  constructor(limit: number, intervalMs: number, mode: WindowMode, createdAt: number) {
    this.limit = limit;
    this.intervalMs = intervalMs;
    this.mode = mode;
    this.#sharedStart = createdAt;
  }

  hit(key: string, now: number): RateLimitResult {
    const { limit, intervalMs } = this;
    if (this.mode === 'shared') {
      if (now - this.#sharedStart > intervalMs) {
        this.#counters.clear();
        this.#sharedStart = now;
      }
    }
    let entry = this.#counters.get(key);
    const start =
      this.mode === 'shared' ? this.#sharedStart : this.mode === 'aligned' ? now - (now % intervalMs) : entry && now < entry.start + intervalMs ? entry.start : now;
    if (!entry || entry.start !== start) {
      entry = { start, count: 0 };
      this.#counters.set(key, entry);
    }
    const resetAt = start + intervalMs;
    if (this.mode === 'first-hit' && entry.count >= limit) {
      return { limited: true, limit, count: entry.count, remaining: 0, resetAt };
    }
    entry.count += 1;
    return { limited: entry.count > limit, limit, count: entry.count, remaining: Math.max(limit - entry.count, 0), resetAt };
  }
}

/** The request count an operator's scale (`--rate-limit-scale`) makes of a documented limit; at least 1. */
export function scaledLimit(limit: number, scale: number): number {
  return Math.max(1, Math.round(limit * scale));
}
