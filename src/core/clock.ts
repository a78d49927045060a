/**
 * The one source of time. Nothing else reads `Date.now()`: every world owns a Clock that the
 * control plane can move forward, set, or freeze, and every timestamp, window and deadline uses it.
 */
export interface ClockState {
  now: string;
  frozen: boolean;
}

/**
 * The instants a world's clock may show: what a JavaScript `Date` and every provider's timestamps can
 * hold. DingTalk's times are epoch milliseconds that are never negative; Rocket.Chat's and SignalWire's
 * are RFC 3339 texts with four-digit years.
 */
export const CLOCK_RANGE = { min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) } as const;

export function inClockRange(epochMs: number): boolean {
  return Number.isFinite(epochMs) && epochMs >= CLOCK_RANGE.min && epochMs <= CLOCK_RANGE.max;
}

export class Clock {
  #offsetMs = 0;
  #frozenAt: number | null = null;
  readonly #listeners = new Set<() => void>();

  constructor(options: { now?: number; frozen?: boolean } = {}) {
    // Frozen at `now` exactly: setting then freezing would read the real time twice.
    if (options.frozen) this.#frozenAt = options.now ?? Date.now();
    else if (options.now !== undefined) this.set(options.now);
  }

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  get frozen(): boolean {
    return this.#frozenAt !== null;
  }

  advance(ms: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += ms;
    else this.#offsetMs += ms;
    this.#changed();
  }

  set(epochMs: number): void {
    if (this.#frozenAt !== null) this.#frozenAt = epochMs;
    else this.#offsetMs = epochMs - Date.now();
    this.#changed();
  }

  freeze(frozen: boolean): void {
    if (frozen && this.#frozenAt === null) this.#frozenAt = this.now();
    if (!frozen && this.#frozenAt !== null) {
      this.#offsetMs = this.#frozenAt - Date.now();
      this.#frozenAt = null;
    }
    this.#changed();
  }

  /** Calls `listener` after every move, set or freeze (timers on the world's time re-arm); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) listener();
  }

  state(): ClockState {
    return { now: new Date(this.now()).toISOString(), frozen: this.frozen };
  }
}
