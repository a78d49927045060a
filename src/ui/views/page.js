import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api.js';

const LIMIT = 25;
export const enc = encodeURIComponent;

/** A page of a read-only state endpoint, refetched whenever the app ticks (journal entry, action). */
export function usePage(world, path, params, tick, setError) {
  const [page, setPage] = useState(null);
  const [offset, setOffset] = useState(0);
  const key = JSON.stringify(params);
  useEffect(() => setOffset(0), [world, key]);
  useEffect(() => {
    api('GET', `/_emulator/worlds/${enc(world)}/${path}${query({ ...params, offset, limit: LIMIT })}`).then(setPage, setError);
  }, [world, key, offset, tick]);
  return [page, setOffset];
}
