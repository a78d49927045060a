/**
 * The push log: every frame a provider's realtime endpoint pushes to a client (an event, a relayed
 * message), in a bounded ring like the request journal, with push faults that delay or drop them.
 *
 * For a provider's realtime code (`runtime.pushes`):
 * - `deliver(push, send)` logs `push` and sends its frame with `send(frame)` (which returns false when
 *   the socket is gone or not reading) unless a push fault drops or delays it. Returns the entry's id.
 *   States: `sent` (written to the socket), `delayed` (a fault holds it; `sent` or `dropped` later),
 *   `dropped` (a fault, or the socket could not take it), `acked` (the client confirmed it).
 * - `ack(id)` marks a sent push as acknowledged (for protocols with acks); false if unknown or not sent.
 * - `listening` is true while a stream or wait is open; `subscribe(fn)` calls fn with an entry each
 *   time one is added or changes state (same id, new state).
 * - `query(filter)` (newest first), `count`, `waitFor(filter, timeoutMs, signal)`, `clear`.
 * Control plane (openapi/emulator.yaml, tag Pushes): `GET|DELETE /_emulator/pushes`,
 * `GET /_emulator/pushes/stream` (SSE), `GET /_emulator/pushes/wait`, `GET|POST|DELETE /_emulator/pushes/faults`,
 * `DELETE /_emulator/pushes/faults/{faultId}`.
 */
import type { IdSource } from './ids.js';

export type PushState = 'sent' | 'delayed' | 'dropped' | 'acked';

/** What a provider tells the log about a frame it pushes. */
export interface Push {
  /** Epoch ms on the world's clock when it was pushed. */
  at: number;
  world: string;
  provider: string;
  /** The socket's id, as the provider names connections (a session id). */
  connection: string;
  /** Who receives it: the user, project or subject the connection is logged in as. */
  subject: string | null;
  /** The stream or channel it is pushed on. */
  channel: string | null;
  /** The provider's name for what is pushed (an action, an event type). */
  event: string;
  /** The call, conference or session it is about, when there is one. */
  callId: string | null;
  /** The frame exactly as sent. */
  frame: string;
}

/** A logged push: what the provider told, its world-clock time as ISO 8601 instead of `at`, and what became of it. */
export interface PushEntry extends Omit<Push, 'at'> {
  id: number;
  /** World clock, ISO 8601. */
  time: string;
  state: PushState;
  /** The push fault that delayed or dropped it. */
  fault: string | null;
}

export interface PushFilter {
  world?: string;
  provider?: string;
  connection?: string;
  subject?: string;
  channel?: string;
  event?: string;
  callId?: string;
  /** One state, or several (a wait for "delivered" takes `sent` and `acked`). */
  state?: PushState | PushState[];
  /** Only entries with a larger id. */
  after?: number;
  /** Only entries at or after this instant (epoch ms on the world clock). */
  since?: number;
  limit?: number;
}

export interface PushFaultMatch {
  provider?: string;
  world?: string;
  event?: string;
  subject?: string;
  channel?: string;
}

export interface PushFault {
  id: string;
  match: PushFaultMatch;
  /** `delayMs` holds the frame that many real milliseconds; `drop` never sends it. */
  action: { delayMs?: number; drop?: boolean };
  times?: number;
  probability?: number;
  hits: number;
}

type Entry = PushEntry & { timeMs: number };

const DELIVERED: PushState[] = ['sent', 'acked'];

/** Whether `e` passes `f` (its `limit` aside). */
export function pushMatches(e: PushEntry, f: PushFilter): boolean {
  return (
    (f.world === undefined || e.world === f.world) &&
    (f.provider === undefined || e.provider === f.provider) &&
    (f.connection === undefined || e.connection === f.connection) &&
    (f.subject === undefined || e.subject === f.subject) &&
    (f.channel === undefined || e.channel === f.channel) &&
    (f.event === undefined || e.event === f.event) &&
    (f.callId === undefined || e.callId === f.callId) &&
    (f.state === undefined || (typeof f.state === 'string' ? e.state === f.state : f.state.includes(e.state))) &&
    (f.after === undefined || e.id > f.after) &&
    (f.since === undefined || ((e as Entry).timeMs ?? Date.parse(e.time)) >= f.since)
  );
}

const shown = ({ timeMs: _t, ...entry }: Entry): PushEntry => ({ ...entry });

export class PushLog {
  readonly size: number;
  readonly #ids: IdSource;
  readonly #ring: (Entry | undefined)[];
  #next = 0;
  #filled = 0;
  #seq = 0;
  #faults: PushFault[] = [];
  /** Held frames, so `clear` and close can cancel them. */
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #listeners = new Set<(entry: PushEntry) => void>();

  constructor(size: number, ids: IdSource) {
    this.size = size;
    this.#ids = ids;
    this.#ring = new Array(size);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  subscribe(listener: (entry: PushEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #tell(entry: Entry): void {
    if (this.#listeners.size === 0) return;
    const copy = shown(entry);
    for (const listener of [...this.#listeners]) listener(copy);
  }

  #set(entry: Entry, state: PushState): void {
    entry.state = state;
    this.#tell(entry);
  }

  deliver(push: Push, send: (frame: string) => boolean): number {
    const fault = this.#faults.length === 0 ? undefined : this.#take(push);
    const entry: Entry = {
      id: ++this.#seq,
      time: new Date(push.at).toISOString(),
      timeMs: push.at,
      world: push.world,
      provider: push.provider,
      connection: push.connection,
      subject: push.subject,
      channel: push.channel,
      event: push.event,
      callId: push.callId,
      frame: push.frame,
      state: 'sent',
      fault: fault?.id ?? null,
    };
    if (this.size > 0) {
      this.#ring[this.#next] = entry;
      this.#next = (this.#next + 1) % this.size;
      if (this.#filled < this.size) this.#filled++;
    }
    if (fault?.action.drop) {
      entry.state = 'dropped';
    } else if (fault?.action.delayMs) {
      entry.state = 'delayed';
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#set(entry, send(push.frame) ? 'sent' : 'dropped');
      }, fault.action.delayMs);
      this.#timers.add(timer);
    } else if (!send(push.frame)) {
      entry.state = 'dropped';
    }
    this.#tell(entry);
    return entry.id;
  }

  ack(id: number): boolean {
    const entry = this.#find(id);
    if (!entry || entry.state !== 'sent') return false;
    this.#set(entry, 'acked');
    return true;
  }

  #find(id: number): Entry | undefined {
    const back = this.#seq - id;
    if (back < 0 || back >= this.#filled) return undefined;
    return this.#ring[(this.#next - 1 - back + this.size) % this.size];
  }

  /** Matching entries, newest first. */
  query(filter: PushFilter = {}): PushEntry[] {
    const out: PushEntry[] = [];
    const limit = filter.limit ?? Infinity;
    for (let k = 1; k <= this.#filled && out.length < limit; k++) {
      const entry = this.#ring[(this.#next - k + this.size) % this.size] as Entry;
      if (pushMatches(entry, filter)) out.push(shown(entry));
    }
    return out;
  }

  count(filter: PushFilter = {}): number {
    let n = 0;
    for (let k = 1; k <= this.#filled; k++) if (pushMatches(this.#ring[(this.#next - k + this.size) % this.size] as Entry, filter)) n++;
    return n;
  }

  /**
   * The oldest entry matching `filter` (state `sent` or `acked` unless the filter names one), already
   * logged or the first to come; undefined after `timeoutMs` or when `signal` aborts.
   */
  waitFor(filter: PushFilter, timeoutMs: number, signal?: AbortSignal): Promise<PushEntry | undefined> {
    const f: PushFilter = { ...filter, state: filter.state ?? DELIVERED, limit: undefined };
    const logged = this.query(f);
    if (logged.length > 0) return Promise.resolve(logged[logged.length - 1]);
    return new Promise((resolve) => {
      const done = (entry: PushEntry | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', abort);
        resolve(entry);
      };
      const abort = () => done(undefined);
      const timer = setTimeout(abort, timeoutMs);
      const unsubscribe = this.subscribe((entry) => {
        if (pushMatches(entry, f)) done(entry);
      });
      signal?.addEventListener('abort', abort);
    });
  }

  clear(): void {
    this.#ring.fill(undefined, 0, this.#filled);
    this.#next = 0;
    this.#filled = 0;
  }

  get length(): number {
    return this.#filled;
  }

  // Push faults: checked for each push while any is in force; first match wins.

  addFault(spec: Omit<PushFault, 'id' | 'hits'>): PushFault {
    const fault: PushFault = { id: this.#ids.uuid(), ...spec, hits: 0 };
    this.#faults.push(fault);
    return fault;
  }

  faults(): PushFault[] {
    return [...this.#faults];
  }

  removeFault(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Cancels held frames (on close). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #take(push: Push): PushFault | undefined {
    for (const fault of this.#faults) {
      const m = fault.match;
      if (m.provider !== undefined && m.provider !== push.provider) continue;
      if (m.world !== undefined && m.world !== push.world) continue;
      if (m.event !== undefined && m.event !== push.event) continue;
      if (m.subject !== undefined && m.subject !== push.subject) continue;
      if (m.channel !== undefined && m.channel !== push.channel) continue;
      if (fault.probability !== undefined && this.#ids.bytes(4).readUInt32BE(0) / 0x1_0000_0000 >= fault.probability) continue;
      fault.hits += 1;
      if (fault.times !== undefined) {
        fault.times -= 1;
        if (fault.times <= 0) this.removeFault(fault.id);
      }
      return fault;
    }
    return undefined;
  }
}
