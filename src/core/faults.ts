import type { IdSource } from './ids.js';
import type { Operation } from './openapi.js';

export interface FaultMatch {
  provider?: string;
  operationId?: string;
  method?: string;
  /** An exact request path (without the query string). */
  path?: string;
  world?: string;
}

export interface FaultAction {
  /** Answer with this status (the provider's generic error for it, unless `code` names one). */
  status?: number;
  /** An error of the provider's own catalogue, rendered in the provider's format. */
  code?: string;
  /** Delay the response (the real one, or the injected error) by this many real milliseconds. */
  delayMs?: number;
  /** Destroy the connection without any response. */
  drop?: boolean;
}

export interface Fault {
  id: string;
  match: FaultMatch;
  action: FaultAction;
  /** How many more requests it applies to; absent means unlimited. */
  times?: number;
  /** Chance (0–1) that a matching request is affected. */
  probability?: number;
  /** Requests it has been applied to so far. */
  hits: number;
}

export interface FaultTarget {
  provider: string;
  operationId: string;
  method: string;
  path: string;
  world: string;
}

/** Injected faults, checked for every routed provider request; first match wins. */
export class Faults {
  readonly #ids: IdSource;
  #faults: Fault[] = [];

  constructor(ids: IdSource) {
    this.#ids = ids;
  }

  add(spec: Omit<Fault, 'id' | 'hits'>): Fault {
    const fault: Fault = { id: this.#ids.uuid(), ...spec, hits: 0 };
    this.#faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.#faults];
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }

  get size(): number {
    return this.#faults.length;
  }

  /** The fault that applies to this request, if any; counts the hit and retires spent faults. */
  take(target: FaultTarget): Fault | undefined {
    for (const fault of this.#faults) {
      const m = fault.match;
      if (m.provider !== undefined && m.provider !== target.provider) continue;
      if (m.operationId !== undefined && m.operationId !== target.operationId) continue;
      if (m.method !== undefined && m.method.toUpperCase() !== target.method) continue;
      if (m.path !== undefined && m.path !== target.path) continue;
      if (m.world !== undefined && m.world !== target.world) continue;
      if (fault.probability !== undefined && this.#ids.bytes(4).readUInt32BE(0) / 0x1_0000_0000 >= fault.probability) continue;
      fault.hits += 1;
      if (fault.times !== undefined) {
        fault.times -= 1;
        if (fault.times <= 0) this.remove(fault.id);
      }
      return fault;
    }
    return undefined;
  }
}

/** The error statuses an operation documents (its responses from 400 up), in order. */
export function documentedErrorStatuses(op: Operation): number[] {
  return [...op.responseSchemas.keys()]
    .filter((key) => /^\d{3}$/.test(key) && Number(key) >= 400)
    .map(Number)
    .sort((a, b) => a - b);
}
