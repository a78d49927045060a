import { parse as parseQuery } from 'fast-querystring';

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
  /** The query string's parameters as sent. */
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

/** What a request leaves in the journal: the exchange as it went, redacted and parsed only when read. */
export interface JournalRecord {
  timeMs: number;
  world: string | null;
  provider: string;
  operationId: string | null;
  method: string;
  /** The request target, query string included. */
  url: string;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  /** The response body as sent ('' for none). */
  payload: string;
  durationMs: number;
  fault: string | null;
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
 * Each entry is one row: a fixed-size slot of off-heap memory holding its numbers, then the
 * lengths and text of its request target and headers; and a stretch of one JS array holding the
 * strings most entries share (provider, operation, world, a cached response body) by reference.
 * When each entry kept its request's own objects, the ring's last 1,000 (about 600 bytes each)
 * lived in V8's young generation and every scavenge had to copy them: a pause of about 1.3 ms
 * every 40 ms at full load, which p99 latency paid for. Rows rather than columns, so that a
 * request touches a few adjacent cache lines. A head that does not fit its slot stays a JS object.
 */
const SLOT_BYTES = 1024;
const SLOT_HEADER_BYTES = 160;
// The slot header, in 16-bit words: timeMs, durationMs and id (f64 each), status, number of strings, encoding, lengths.
const W_STATUS = 12;
const W_COUNT = 13;
const W_ENCODING = 14;
const W_LENGTHS = 15;
const MAX_STRINGS = SLOT_HEADER_BYTES / 2 - W_LENGTHS;
const DATA_BYTES = SLOT_BYTES - SLOT_HEADER_BYTES;
/**
 * A UTF-8 write cut short stops at most 3 bytes before the end of the slot: for a text at most this
 * long, a byte count equal to its length means the whole text was written, and was ASCII.
 */
const MAX_TEXT = DATA_BYTES - 4;
const ASCII = 0;
const UTF16 = 1;
const CHUNK_ROWS = 1024;
// The references of a row, in order.
const R_WORLD = 0;
const R_PROVIDER = 1;
const R_OPERATION = 2;
const R_METHOD = 3;
const R_FAULT = 4;
const R_PAYLOAD = 5;
const R_BODY = 6;
/** The head, when it did not fit the slot. */
const R_HEAD = 7;
/** The entry, once read (parsed and redacted once). */
const R_ENTRY = 8;
const REFS = 9;

interface Head {
  url: string;
  headers: Record<string, unknown>;
}

/** Up to CHUNK_ROWS rows, allocated as the ring first reaches them. */
class Chunk {
  readonly bytes: Buffer;
  readonly words: Uint16Array;
  readonly numbers: Float64Array;
  readonly refs: unknown[];

  constructor(rows: number) {
    this.bytes = Buffer.alloc(rows * SLOT_BYTES);
    this.words = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length / 2);
    this.numbers = new Float64Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length / 8);
    this.refs = new Array<unknown>(rows * REFS).fill(undefined);
  }

  /** Copies `url` and `headers` into row `row`'s slot; false when they do not fit (the caller keeps them). */
  writeHead(row: number, url: string, headers: Record<string, unknown>): boolean {
    const words = this.words;
    const base = row * (SLOT_BYTES / 2);
    let text = url;
    words[base + W_LENGTHS] = url.length;
    let n = 1;
    for (const name in headers) {
      const value = headers[name];
      if (typeof value !== 'string' || n + 2 > MAX_STRINGS) return false;
      text += name;
      text += value;
      words[base + W_LENGTHS + n++] = name.length;
      words[base + W_LENGTHS + n++] = value.length;
    }
    if (text.length > MAX_TEXT) return false;
    const offset = row * SLOT_BYTES + SLOT_HEADER_BYTES;
    if (this.bytes.write(text, offset, DATA_BYTES, 'utf8') === text.length) {
      words[base + W_ENCODING] = ASCII;
    } else {
      // Not ASCII (Latin-1 header bytes, or text from an injected request): UTF-16 keeps every code unit.
      if (text.length * 2 > DATA_BYTES) return false;
      this.bytes.write(text, offset, DATA_BYTES, 'utf16le');
      words[base + W_ENCODING] = UTF16;
    }
    words[base + W_COUNT] = n;
    return true;
  }

  readHead(row: number): Head {
    const words = this.words;
    const base = row * (SLOT_BYTES / 2);
    const n = words[base + W_COUNT];
    let total = 0;
    for (let k = 0; k < n; k++) total += words[base + W_LENGTHS + k];
    const offset = row * SLOT_BYTES + SLOT_HEADER_BYTES;
    const text =
      words[base + W_ENCODING] === ASCII ? this.bytes.toString('latin1', offset, offset + total) : this.bytes.toString('utf16le', offset, offset + total * 2);
    let at = words[base + W_LENGTHS];
    const url = text.slice(0, at);
    const headers: Record<string, unknown> = {};
    for (let k = 1; k < n; k += 2) {
      const nameEnd = at + words[base + W_LENGTHS + k];
      const valueEnd = nameEnd + words[base + W_LENGTHS + k + 1];
      headers[text.slice(at, nameEnd)] = text.slice(nameEnd, valueEnd);
      at = valueEnd;
    }
    return { url, headers };
  }
}

/** The query as Fastify parses it (find-my-way: after the first `?` or `#`, by fast-querystring). */
function queryOf(url: string): Record<string, unknown> {
  const q = url.indexOf('?', 1);
  const h = url.indexOf('#', 1);
  const at = h !== -1 && (q === -1 || h < q) ? h : q;
  return at === -1 || at === url.length - 1 ? {} : (parseQuery(url.slice(at + 1)) as Record<string, unknown>);
}

export class Journal {
  readonly size: number;
  readonly #chunkRows: number;
  readonly #chunks: Chunk[] = [];
  #next = 0;
  #seq = 0;
  #filled = 0;

  constructor(size: number) {
    this.size = size;
    this.#chunkRows = Math.max(1, Math.min(size, CHUNK_ROWS));
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  /** Copies `r` into the ring: callers may reuse the object. */
  record(r: JournalRecord): void {
    if (this.size === 0) return;
    const i = this.#next;
    const c = Math.floor(i / this.#chunkRows);
    const chunk = (this.#chunks[c] ??= new Chunk(this.#chunkRows));
    const row = i - c * this.#chunkRows;
    let payload = r.payload;
    // A long body is cut now, and copied: a slice would keep the whole response alive in the ring.
    // (A JSON round trip copies every UTF-16 unit as it is, lone surrogates included.)
    if (payload.length > MAX_BODY) payload = JSON.parse(JSON.stringify(payload.slice(0, MAX_BODY + 1))) as string;
    const numbers = row * (SLOT_BYTES / 8);
    chunk.numbers[numbers] = r.timeMs;
    chunk.numbers[numbers + 1] = r.durationMs;
    chunk.numbers[numbers + 2] = ++this.#seq;
    chunk.words[row * (SLOT_BYTES / 2) + W_STATUS] = r.status;
    const refs = chunk.refs;
    const at = row * REFS;
    refs[at + R_WORLD] = r.world;
    refs[at + R_PROVIDER] = r.provider;
    refs[at + R_OPERATION] = r.operationId;
    refs[at + R_METHOD] = r.method;
    refs[at + R_FAULT] = r.fault;
    refs[at + R_PAYLOAD] = payload;
    refs[at + R_BODY] = r.body;
    refs[at + R_HEAD] = chunk.writeHead(row, r.url, r.headers) ? undefined : { url: r.url, headers: r.headers };
    refs[at + R_ENTRY] = undefined;
    this.#next = i + 1 === this.size ? 0 : i + 1;
    if (this.#filled < this.size) this.#filled++;
  }

  /** Matching entries, newest first. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? Infinity;
    for (let k = 1; k <= this.#filled && out.length < limit; k++) {
      const entry = this.#visit((this.#next - k + this.size) % this.size, filter, true);
      if (entry) out.push(entry);
    }
    return out;
  }

  count(filter: JournalFilter = {}): number {
    let n = 0;
    for (let k = 1; k <= this.#filled; k++) if (this.#visit((this.#next - k + this.size) % this.size, filter, false)) n++;
    return n;
  }

  get length(): number {
    return this.#filled;
  }

  clear(): void {
    for (const chunk of this.#chunks) chunk.refs.fill(undefined);
    this.#next = 0;
    this.#filled = 0;
  }

  /** Entry `i` when it matches `filter` (`true` for a match when `read` is false); otherwise undefined. */
  #visit(i: number, filter: JournalFilter, read: true): JournalEntry | undefined;
  #visit(i: number, filter: JournalFilter, read: false): true | undefined;
  #visit(i: number, filter: JournalFilter, read: boolean): JournalEntry | true | undefined {
    const c = Math.floor(i / this.#chunkRows);
    const chunk = this.#chunks[c];
    const row = i - c * this.#chunkRows;
    const refs = chunk.refs;
    const at = row * REFS;
    const numbers = row * (SLOT_BYTES / 8);
    const timeMs = chunk.numbers[numbers];
    const status = chunk.words[row * (SLOT_BYTES / 2) + W_STATUS];
    if (
      (filter.provider !== undefined && refs[at + R_PROVIDER] !== filter.provider) ||
      (filter.operationId !== undefined && refs[at + R_OPERATION] !== filter.operationId) ||
      (filter.status !== undefined && status !== filter.status) ||
      (filter.world !== undefined && refs[at + R_WORLD] !== filter.world) ||
      (filter.since !== undefined && timeMs < filter.since)
    ) {
      return undefined;
    }
    if (!read) return true;
    const cached = refs[at + R_ENTRY] as JournalEntry | undefined;
    if (cached) return cached;
    const { url, headers } = (refs[at + R_HEAD] as Head | undefined) ?? chunk.readHead(row);
    const queryStart = url.indexOf('?');
    const body = refs[at + R_BODY];
    const entry: JournalEntry = {
      id: chunk.numbers[numbers + 2],
      time: new Date(timeMs).toISOString(),
      timeMs,
      world: refs[at + R_WORLD] as string | null,
      provider: refs[at + R_PROVIDER] as string,
      operationId: refs[at + R_OPERATION] as string | null,
      method: refs[at + R_METHOD] as string,
      path: queryStart === -1 ? url : url.slice(0, queryStart),
      query: redact(queryOf(url)) as Record<string, unknown>,
      headers: redactHeaders(headers),
      body: body === undefined ? undefined : redact(body),
      status,
      responseBody: bodyForJournal(refs[at + R_PAYLOAD] as string),
      durationMs: chunk.numbers[numbers + 1],
      fault: refs[at + R_FAULT] as string | null,
    };
    refs[at + R_ENTRY] = entry;
    return entry;
  }
}
