/**
 * The request journal: a fixed-size ring of the last N provider requests, in memory. Bodies are
 * truncated and secrets redacted in every entry it gives out. Size 0 turns it off.
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

/**
 * What a request leaves in the journal: the filterable fields, and the raw parts of the exchange.
 * Redacting and parsing them is most of the cost of an entry, so it waits until the entry is read
 * (most never are: the ring overwrites them). The raw parts are not mutated after the response.
 */
export interface JournalRecord extends Omit<JournalEntry, 'time' | 'query' | 'headers' | 'body' | 'responseBody'> {
  query: unknown;
  headers: Record<string, unknown>;
  body: unknown;
  /** The response body as sent ('' for none). */
  payload: string;
}

type Slot = JournalEntry | JournalRecord;

function materialize(slot: Slot): JournalEntry {
  if (!('payload' in slot)) return slot;
  const { payload, query, headers, body, ...rest } = slot;
  return {
    id: rest.id,
    time: new Date(rest.timeMs).toISOString(),
    timeMs: rest.timeMs,
    world: rest.world,
    provider: rest.provider,
    operationId: rest.operationId,
    method: rest.method,
    path: rest.path,
    query: redact(query ?? {}) as Record<string, unknown>,
    headers: redactHeaders(headers),
    body: body === undefined ? undefined : redact(body),
    status: rest.status,
    responseBody: bodyForJournal(payload),
    durationMs: rest.durationMs,
    fault: rest.fault,
  };
}

export class Journal {
  readonly size: number;
  #ring: (Slot | undefined)[];
  #next = 0;
  #seq = 0;

  constructor(size: number) {
    this.size = size;
    this.#ring = new Array(size);
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  /** Keeps `entry` itself (its `id` is assigned here): no copy on the request path. */
  record(entry: JournalRecord): void {
    if (this.size === 0) return;
    // A long body is cut now, and copied: a slice would keep the whole response alive in the ring.
    // (A JSON round trip copies every UTF-16 unit as it is, lone surrogates included.)
    if (entry.payload.length > MAX_BODY) entry.payload = JSON.parse(JSON.stringify(entry.payload.slice(0, MAX_BODY + 1))) as string;
    entry.id = ++this.#seq;
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.size;
  }

  /** Matching entries, newest first. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? Infinity;
    for (let i = 1; i <= this.size && out.length < limit; i++) {
      const index = (this.#next - i + this.size) % this.size;
      const e = this.#ring[index];
      if (!e) break;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.operationId !== undefined && e.operationId !== filter.operationId) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.world !== undefined && e.world !== filter.world) continue;
      if (filter.since !== undefined && e.timeMs < filter.since) continue;
      const entry = materialize(e);
      this.#ring[index] = entry;
      out.push(entry);
    }
    return out;
  }

  count(filter: JournalFilter = {}): number {
    let n = 0;
    for (let i = 1; i <= this.size; i++) {
      const e = this.#ring[(this.#next - i + this.size) % this.size];
      if (!e) break;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.operationId !== undefined && e.operationId !== filter.operationId) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.world !== undefined && e.world !== filter.world) continue;
      if (filter.since !== undefined && e.timeMs < filter.since) continue;
      n++;
    }
    return n;
  }

  get length(): number {
    return this.#ring.reduce((n, e) => (e ? n + 1 : n), 0);
  }

  clear(): void {
    this.#ring = new Array(this.size);
    this.#next = 0;
  }
}
