/** What the journal shows of a request or response: secrets replaced, long values cut. */

export const REDACTED = '[redacted]';
const SECRET_HEADERS = new Set(['authorization', 'x-auth-token', 'x-acs-dingtalk-access-token', 'cookie', 'set-cookie', 'proxy-authorization']);
const SECRET_KEY = /pass(word)?|token|secret|resume|digest|authorization/i;
const MAX_STRING = 2048;
export const MAX_BODY = 8192;

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

/** A deep copy of a JSON value with every secret-looking key replaced, nothing cut (for a recording). */
export function redactSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactSecrets(v);
  return out;
}

/** Whether the journal redacts a header of this name. */
export const isSecretHeader = (name: string): boolean => SECRET_HEADERS.has(name.toLowerCase());

/** Whether the journal redacts a body or query key of this name. */
export const isSecretKey = (name: string): boolean => SECRET_KEY.test(name);

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

/** Characters a query string holds when it may name a secret: a secret-looking key, or an escape that could spell one. */
const MAYBE_SECRET_QUERY = /pass|token|secret|resume|digest|authorization|%/i;

/**
 * A request target with the value of every secret-looking query key replaced, as the journal
 * redacts the parsed query (`/api/v1/me?authToken=…` → `/api/v1/me?authToken=[redacted]`). A key is
 * read decoded, as the server reads it; the rest of the target stays as sent.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  const at = h !== -1 && (q === -1 || h < q) ? h : q;
  if (at === -1 || !MAYBE_SECRET_QUERY.test(url.slice(at + 1))) return url;
  const pairs = url.slice(at + 1).split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const eq = pair.indexOf('=');
    const raw = eq === -1 ? pair : pair.slice(0, eq);
    let key = raw;
    try {
      key = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      // An undecodable key is tested as sent.
    }
    if (SECRET_KEY.test(key)) pairs[i] = `${raw}=${REDACTED}`;
  }
  return `${url.slice(0, at + 1)}${pairs.join('&')}`;
}
