/**
 * The request journal: a fixed-size ring of the last N provider requests, in memory. Secrets are
 * redacted before an entry is stored; bodies are truncated. Size 0 turns it off.
 */
export interface JournalEntry {
  id: number;
  /** The request's world clock, ISO 8601. */
  time: string;
  /** Epoch ms on the world clock (for `since`). */
  timeMs: number;
  world: string | null;
  provider: string;
  operationId: string | null;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  responseBody: unknown;
  durationMs: number;
  fault: string | null;
}

export interface JournalFilter {
  provider?: string;
  operationId?: string;
  status?: number;
  world?: string;
  /** Only entries at or after this instant (epoch ms on the world clock). */
  since?: number;
  limit?: number;
}

export const REDACTED = '[redacted]';
const SECRET_HEADERS = new Set(['authorization', 'x-auth-token', 'x-acs-dingtalk-access-token', 'cookie', 'set-cookie', 'proxy-authorization']);
const SECRET_KEY = /pass(word)?|token|secret|resume|digest|authorization/i;
const MAX_STRING = 2048;
const MAX_BODY = 8192;

/** A deep copy of a JSON value with every secret-looking key replaced and long strings cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}

/** Parses a response payload for the journal: JSON when it is JSON, else the (truncated) text. */
export function bodyForJournal(payload: string): unknown {
  if (payload === '') return undefined;
  if (payload.length > MAX_BODY) return `${payload.slice(0, MAX_BODY)}…`;
  try {
    return redact(JSON.parse(payload));
  } catch {
    return payload;
  }
}

export class Journal {
  readonly size: number;
  #ring: (JournalEntry | undefined)[];
  #next = 0;
  #seq = 0;

  constructor(size: number) {
    this.size = size;
    this.#ring = new Array(size);
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  record(entry: Omit<JournalEntry, 'id'>): void {
    if (this.size === 0) return;
    this.#ring[this.#next] = { id: ++this.#seq, ...entry };
    this.#next = (this.#next + 1) % this.size;
  }

  /** Matching entries, newest first. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? Infinity;
    for (let i = 1; i <= this.size && out.length < limit; i++) {
      const e = this.#ring[(this.#next - i + this.size) % this.size];
      if (!e) break;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.operationId !== undefined && e.operationId !== filter.operationId) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.world !== undefined && e.world !== filter.world) continue;
      if (filter.since !== undefined && e.timeMs < filter.since) continue;
      out.push(e);
    }
    return out;
  }

  count(filter: JournalFilter = {}): number {
    return this.query({ ...filter, limit: undefined }).length;
  }

  get length(): number {
    return this.#ring.reduce((n, e) => (e ? n + 1 : n), 0);
  }

  clear(): void {
    this.#ring = new Array(this.size);
    this.#next = 0;
  }
}
