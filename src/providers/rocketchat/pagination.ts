const DEFAULT_COUNT = 50; // API_Default_Count
const UPPER_COUNT = 100; // API_Upper_Count_Limit
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** MongoDB's `safeNumberLong`, which reads a command's `skip` and `limit`: NaN is 0, the rest clamped to int64. */
function safeNumberLong(n: number): bigint {
  if (Number.isNaN(n)) return 0n;
  if (n >= 2 ** 63) return INT64_MAX;
  if (n < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(n));
}

/** SQLite takes up to 2^63-1; no world holds 2^53 calls, so the largest safe integer reads the same. */
const toSql = (n: bigint) => (n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));

export interface Page {
  /** The `offset` the reply echoes: `getPaginationItems`' number (NaN, serialised as null, for `Infinity`). */
  offset: number;
  /** What the database skips, or the negative value MongoDB refuses (error 51024, `errors.negativeSkip`). */
  skip: number | { negative: string };
  /** Rows to read; -1 for all. */
  limit: number;
}

/**
 * `video-conference.list` paging in 8.x (reference §7, §12): the validator (`VideoConfListProps`,
 * `{type:'number', nullable:true}`, coerced) has already turned the text into a number or null;
 * `getPaginationItems` then takes `parseInt(String(value))` (`Infinity` → NaN, `1e+23` → 1),
 * caps `count` at 100 and keeps 0 as "all"; the cursor's `skip`/`limit` are MongoDB's: a negative
 * limit returns |limit| items in one batch, a NaN one is no limit, a negative skip is an error.
 */
export function paginationItems(query: { offset?: number | null; count?: number | null }): Page {
  const offset = query.offset ? Number.parseInt(String(query.offset), 10) : 0;
  let count = query.count !== undefined && query.count !== null ? Number.parseInt(String(query.count || 0), 10) : DEFAULT_COUNT;
  if (count > UPPER_COUNT) count = UPPER_COUNT;
  // The usual page: small integers, no int64 arithmetic needed.
  if (Number.isSafeInteger(offset) && offset >= 0 && Number.isSafeInteger(count)) return { offset, skip: offset, limit: count === 0 ? -1 : Math.abs(count) };
  const skip = safeNumberLong(offset);
  const limit = safeNumberLong(count);
  const rows = limit < 0n ? -limit : limit;
  return {
    offset,
    skip: skip < 0n ? { negative: String(skip) } : toSql(skip),
    limit: rows === 0n ? -1 : toSql(rows),
  };
}
