const DEFAULT_COUNT = 50; // API_Default_Count
const UPPER_COUNT = 100; // API_Upper_Count_Limit

/** `getPaginationItems` (reference §7): `limit` -1 means all. */
export function paginationItems(query: { offset?: number; count?: number }): { offset: number; limit: number } {
  const offset = Math.max(query.offset ?? 0, 0);
  const requested = Math.min(query.count ?? DEFAULT_COUNT, UPPER_COUNT);
  const limit = requested === 0 ? -1 : Math.abs(requested);
  return { offset, limit };
}
