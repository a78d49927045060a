import { writeCounter, type Db } from './db.js';

const MISSING = Symbol('missing');
// Keys hold what a client sent (a token, a header): a longer one is answered but not kept.
const MAX_KEY_LENGTH = 512;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Results of reads, kept until the next write to the database (any table, any world): a read
 * that repeats between writes costs a Map lookup instead of a query and a parse. Reads made
 * inside a transaction are not kept (a rollback would leave them stale). Values are deep-frozen,
 * so a caller that changes one fails loudly instead of corrupting later answers.
 */
export class ReadCache<V> {
  readonly #db: Db;
  readonly #writeCount: { readonly n: number };
  readonly #max: number;
  #values = new Map<string, V | typeof MISSING>();
  #writes = -1;

  constructor(db: Db, max = 10_000) {
    this.#db = db;
    this.#writeCount = writeCounter(db);
    this.#max = max;
  }

  get(key: string, load: () => V): V {
    if (this.#db.inTransaction) return load();
    const writes = this.#writeCount.n;
    if (writes !== this.#writes) {
      this.#values.clear();
      this.#writes = writes;
    }
    const cached = this.#values.get(key);
    if (cached !== undefined) return cached === MISSING ? (undefined as V) : cached;
    const value = deepFreeze(load());
    if (key.length > MAX_KEY_LENGTH) return value;
    if (this.#values.size >= this.#max) this.#values.clear();
    this.#values.set(key, value === undefined ? MISSING : value);
    return value;
  }
}
