import { parse as parseQuery } from 'fast-querystring';
import { bodyForJournal, MAX_BODY, redact, redactHeaders } from './redact.js';

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
  /** Present (true) when the request was forwarded to the provider's upstream (`--upstream`). */
  proxied?: true;
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
  proxied: boolean;
}

/**
 * The request head (target and headers) of every entry is copied into fixed-size slots of
 * off-heap memory. Kept as JS strings, the ring's last 1,000 heads (about 400 bytes of objects
 * each) lived in V8's young generation, and every scavenge had to copy them all: a pause of
 * about 1 ms every 40 ms at full load, which p99 latency paid for. A slot holds the strings'
 * lengths, then the strings one after the other; a head that does not fit stays a JS object.
 */
const SLOT_BYTES = 1024;
const SLOT_HEADER_BYTES = 128;
/** u16 words before the lengths: the number of strings, their encoding. */
const SLOT_WORDS = 2;
const MAX_STRINGS = SLOT_HEADER_BYTES / 2 - SLOT_WORDS;
const DATA_BYTES = SLOT_BYTES - SLOT_HEADER_BYTES;
/**
 * A UTF-8 write cut short stops at most 3 bytes before the end of the slot: for a text at most this
 * long, a byte count equal to its length means the whole text was written, and was ASCII.
 */
const MAX_TEXT = DATA_BYTES - 4;
const CHUNK_SLOTS = 1024;
const ASCII = 0;
const UTF16 = 1;

interface Head {
  url: string;
  headers: Record<string, unknown>;
}

/** Off-heap slots, allocated a chunk at a time as the ring first reaches them. */
class HeadSlots {
  readonly #chunkSlots: number;
  readonly #bytes: Buffer[] = [];
  readonly #words: Uint16Array[] = [];

  constructor(size: number) {
    this.#chunkSlots = Math.min(size, CHUNK_SLOTS);
  }

  /** Copies `url` and `headers` into slot `i`; false when they do not fit (the caller keeps them). */
  write(i: number, url: string, headers: Record<string, unknown>): boolean {
    const chunk = Math.floor(i / this.#chunkSlots);
    let bytes = this.#bytes[chunk];
    if (bytes === undefined) {
      bytes = this.#bytes[chunk] = Buffer.alloc(this.#chunkSlots * SLOT_BYTES);
      this.#words[chunk] = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    }
    const words = this.#words[chunk];
    const base = (i - chunk * this.#chunkSlots) * (SLOT_BYTES / 2);
    let text = url;
    words[base + SLOT_WORDS] = url.length;
    let n = 1;
    for (const name in headers) {
      const value = headers[name];
      if (typeof value !== 'string' || n + 2 > MAX_STRINGS) return false;
      text += name;
      text += value;
      words[base + SLOT_WORDS + n++] = name.length;
      words[base + SLOT_WORDS + n++] = value.length;
    }
    if (text.length > MAX_TEXT) return false;
    const offset = base * 2 + SLOT_HEADER_BYTES;
    if (bytes.write(text, offset, DATA_BYTES, 'utf8') === text.length) {
      words[base + 1] = ASCII;
    } else {
      // Not ASCII (Latin-1 header bytes, or text from an injected request): UTF-16 keeps every code unit.
      if (text.length * 2 > DATA_BYTES) return false;
      bytes.write(text, offset, DATA_BYTES, 'utf16le');
      words[base + 1] = UTF16;
    }
    words[base] = n;
    return true;
  }

  read(i: number): Head {
    const chunk = Math.floor(i / this.#chunkSlots);
    const bytes = this.#bytes[chunk];
    const words = this.#words[chunk];
    const base = (i - chunk * this.#chunkSlots) * (SLOT_BYTES / 2);
    const n = words[base];
    let total = 0;
    for (let k = 0; k < n; k++) total += words[base + SLOT_WORDS + k];
    const offset = base * 2 + SLOT_HEADER_BYTES;
    const text = words[base + 1] === ASCII ? bytes.toString('latin1', offset, offset + total) : bytes.toString('utf16le', offset, offset + total * 2);
    let at = words[base + SLOT_WORDS];
    const url = text.slice(0, at);
    const headers: Record<string, unknown> = {};
    for (let k = 1; k < n; k += 2) {
      const nameEnd = at + words[base + SLOT_WORDS + k];
      const valueEnd = nameEnd + words[base + SLOT_WORDS + k + 1];
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

/**
 * The ring is a set of columns (typed arrays for numbers, arrays holding the strings most
 * entries share) rather than an object per entry, for the same reason as the slots above.
 */
export class Journal {
  readonly size: number;
  #next = 0;
  #seq = 0;
  #filled = 0;
  readonly #timeMs: Float64Array;
  readonly #durationMs: Float64Array;
  readonly #status: Uint16Array;
  readonly #proxied: Uint8Array;
  readonly #world: (string | null)[];
  readonly #provider: string[];
  readonly #operationId: (string | null)[];
  readonly #method: string[];
  readonly #fault: (string | null)[];
  readonly #payload: string[];
  readonly #body: unknown[];
  /** Heads that did not fit a slot. */
  readonly #heads: (Head | undefined)[];
  /** Entries already read (parsed and redacted once). */
  readonly #entries: (JournalEntry | undefined)[];
  readonly #slots: HeadSlots;
  readonly #listeners = new Set<(entry: JournalEntry) => void>();

  constructor(size: number) {
    this.size = size;
    this.#timeMs = new Float64Array(size);
    this.#durationMs = new Float64Array(size);
    this.#status = new Uint16Array(size);
    this.#proxied = new Uint8Array(size);
    this.#world = new Array(size);
    this.#provider = new Array(size);
    this.#operationId = new Array(size);
    this.#method = new Array(size);
    this.#fault = new Array(size);
    this.#payload = new Array(size);
    this.#body = new Array(size);
    this.#heads = new Array(size);
    this.#entries = new Array(size);
    this.#slots = new HeadSlots(size);
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  /** Copies `r` into the ring: callers may reuse the object. */
  record(r: JournalRecord): void {
    if (this.size === 0) return;
    const i = this.#next;
    let payload = r.payload;
    // A long body is cut now, and copied: a slice would keep the whole response alive in the ring.
    // (A JSON round trip copies every UTF-16 unit as it is, lone surrogates included.)
    if (payload.length > MAX_BODY) payload = JSON.parse(JSON.stringify(payload.slice(0, MAX_BODY + 1))) as string;
    this.#seq++;
    this.#timeMs[i] = r.timeMs;
    this.#durationMs[i] = r.durationMs;
    this.#status[i] = r.status;
    this.#proxied[i] = r.proxied ? 1 : 0;
    this.#world[i] = r.world;
    this.#provider[i] = r.provider;
    this.#operationId[i] = r.operationId;
    this.#method[i] = r.method;
    this.#fault[i] = r.fault;
    this.#payload[i] = payload;
    this.#body[i] = r.body;
    this.#heads[i] = this.#slots.write(i, r.url, r.headers) ? undefined : { url: r.url, headers: r.headers };
    this.#entries[i] = undefined;
    this.#next = i + 1 === this.size ? 0 : i + 1;
    if (this.#filled < this.size) this.#filled++;
    // Nobody listening (the usual case) costs this check only.
    if (this.#listeners.size !== 0) {
      const entry = this.#entry(i, this.#seq);
      for (const listener of this.#listeners) listener(entry);
    }
  }

  /** Calls `listener` with each entry as it is recorded (parsed and redacted); returns the unsubscribe function. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  #matches(i: number, filter: JournalFilter): boolean {
    return (
      (filter.provider === undefined || this.#provider[i] === filter.provider) &&
      (filter.operationId === undefined || this.#operationId[i] === filter.operationId) &&
      (filter.status === undefined || this.#status[i] === filter.status) &&
      (filter.world === undefined || this.#world[i] === filter.world) &&
      (filter.since === undefined || this.#timeMs[i] >= filter.since)
    );
  }

  /** Entry `i`, whose id is `id` (the ring's order gives it: the newest has the last sequence number). */
  #entry(i: number, id: number): JournalEntry {
    const cached = this.#entries[i];
    if (cached) return cached;
    const { url, headers } = this.#heads[i] ?? this.#slots.read(i);
    const queryStart = url.indexOf('?');
    const query = queryOf(url);
    const body = this.#body[i];
    const entry: JournalEntry = {
      id,
      time: new Date(this.#timeMs[i]).toISOString(),
      timeMs: this.#timeMs[i],
      world: this.#world[i],
      provider: this.#provider[i],
      operationId: this.#operationId[i],
      method: this.#method[i],
      path: queryStart === -1 ? url : url.slice(0, queryStart),
      query: redact(query) as Record<string, unknown>,
      headers: redactHeaders(headers),
      body: body === undefined ? undefined : redact(body),
      status: this.#status[i],
      responseBody: bodyForJournal(this.#payload[i]),
      durationMs: this.#durationMs[i],
      fault: this.#fault[i],
    };
    if (this.#proxied[i] === 1) entry.proxied = true;
    this.#entries[i] = entry;
    return entry;
  }

  /** Matching entries, newest first. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const limit = filter.limit ?? Infinity;
    for (let k = 1; k <= this.#filled && out.length < limit; k++) {
      const i = (this.#next - k + this.size) % this.size;
      if (this.#matches(i, filter)) out.push(this.#entry(i, this.#seq - k + 1));
    }
    return out;
  }

  count(filter: JournalFilter = {}): number {
    let n = 0;
    for (let k = 1; k <= this.#filled; k++) if (this.#matches((this.#next - k + this.size) % this.size, filter)) n++;
    return n;
  }

  get length(): number {
    return this.#filled;
  }

  clear(): void {
    for (const column of [this.#world, this.#provider, this.#operationId, this.#method, this.#fault, this.#payload, this.#body, this.#heads, this.#entries]) {
      column.fill(undefined as never, 0, this.#filled);
    }
    this.#next = 0;
    this.#filled = 0;
  }
}
