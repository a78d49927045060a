import type { FastifyRequest } from 'fastify';
import { MESSAGES, errors, fieldError, type FieldError } from './errors.js';

export const PAGE_PARAMS = ['page_number', 'page_size', 'page_token'] as const;

/**
 * The documented query parameters of a request, in the order received. A repeated parameter keeps
 * its first position and its last value; empty values and undocumented parameters are ignored.
 */
export function readQuery(req: FastifyRequest, names: readonly string[]): Map<string, string> {
  const q = req.url.indexOf('?');
  const out = new Map<string, string>();
  if (q === -1) return out;
  for (const [key, value] of new URLSearchParams(req.url.slice(q + 1))) {
    if (names.includes(key) && value !== '') out.set(key, value);
  }
  return out;
}

/** An integer query parameter with its bounds (reference §2.6 messages). */
export function integerParam(value: string, min: number, max?: number): { error: string } | { value: number } {
  if (!/^[+-]?\d+$/.test(value)) return { error: MESSAGES.notANumber };
  const n = Number(value);
  if (n < min) return { error: MESSAGES.atLeast(min) };
  if (max !== undefined && n > max) return { error: MESSAGES.atMost(max) };
  return { value: n };
}

export interface ListSpec<T> {
  /** Documented query parameters in spec order (their 422 entries follow it). */
  params: readonly string[];
  /** Errors of the filter parameters, by parameter name. */
  filterErrors?: (q: Map<string, string>) => Map<string, string>;
  /** Errors of the other parameters (they do not change the list), by parameter name. */
  optionErrors?: (q: Map<string, string>) => Map<string, string>;
  /** The whole filtered list, ordered by `created_at` then `id`; only called with valid filters. */
  items: (q: Map<string, string>) => T[];
  render: (item: T) => unknown;
}

/**
 * Answers a list request (reference §2.7): validates the page parameters and filters, pages the
 * filtered list from the item after `page_token`, and builds absolute links from the Host header.
 */
export function listPage<T extends { id: string }>(req: FastifyRequest, spec: ListSpec<T>): { links: Record<string, string>; data: unknown[] } {
  const q = readQuery(req, spec.params);
  const problems = new Map<string, string>(spec.filterErrors?.(q) ?? []);
  const filtersValid = problems.size === 0;
  for (const [key, message] of spec.optionErrors?.(q) ?? []) problems.set(key, message);

  // Rails integers have no bound: a huge page_number is echoed exactly (BigInt), never as 1e+23.
  let number = 0n;
  let size = 50;
  const n = q.get('page_number');
  if (n !== undefined) {
    const r = integerParam(n, 0);
    if ('error' in r) problems.set('page_number', r.error);
    else number = BigInt(n);
  }
  const s = q.get('page_size');
  if (s !== undefined) {
    const r = integerParam(s, 1, 1000);
    if ('error' in r) problems.set('page_size', r.error);
    else size = r.value;
  }
  const token = q.get('page_token');
  if (token === undefined) {
    if (number > 0n) problems.set('page_token', MESSAGES.blank);
  } else if (!token.startsWith('PA')) {
    problems.set('page_token', MESSAGES.invalid);
  }

  const items = filtersValid ? spec.items(q) : [];
  let start = 0;
  if (filtersValid && token?.startsWith('PA')) {
    const wanted = token.slice(2).toLowerCase();
    const at = items.findIndex((item) => item.id.toLowerCase() === wanted);
    if (at === -1) problems.set('page_token', MESSAGES.invalid);
    start = at + 1;
  }
  if (problems.size > 0) {
    const entries: FieldError[] = spec.params.filter((p) => problems.has(p)).map((p) => fieldError(p, problems.get(p)!));
    throw errors.validation(entries);
  }

  const page = items.slice(start, start + size);
  const base = `${req.protocol}://${req.headers.host ?? ''}${req.url.split('?')[0]}`;
  const carried = [...q].filter(([key]) => !(PAGE_PARAMS as readonly string[]).includes(key)).map(([key, value]) => `&${key}=${encodeURIComponent(value)}`).join('');
  const link = (pageNumber: bigint, after?: string) =>
    `${base}?page_number=${pageNumber}&page_size=${size}${after === undefined ? '' : `&page_token=PA${after}`}${carried}`;

  const links: Record<string, string> = {
    self: link(number, start > 0 ? items[start - 1].id : undefined),
    first: link(0n),
  };
  if (start + size < items.length) links.next = link(number + 1n, page[page.length - 1].id);
  if (start > 0) {
    const prevStart = start - size;
    links.prev = link(number > 0n ? number - 1n : 0n, prevStart > 0 ? items[prevStart - 1].id : undefined);
  }
  return { links, data: page.map(spec.render) };
}
