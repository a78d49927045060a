import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { readHar, type HarEntry, type HarHeader } from './core/har.js';
import { operationMatcher } from './core/provider.js';
import { REDACTED } from './core/redact.js';
import { providers } from './providers/index.js';
import type { WorldCredentials } from './providers/types.js';

/** One way the emulator's answer differs from the recorded one. */
export interface Difference {
  /** 1-based position of the exchange in the recording. */
  exchange: number;
  provider: string | null;
  operationId: string | null;
  method: string;
  path: string;
  /** `status`, `content-type`, `header <name>` or `body.<path>`. */
  field: string;
  recorded: string;
  emulator: string;
}

export interface VerifyReport {
  file: string;
  /** Exchanges replayed. */
  exchanges: number;
  /** Entries for no provider path (a browser's recording holds pages and assets too), not replayed. */
  skipped: number;
  differences: Difference[];
}

export interface VerifyOptions {
  /** Fixtures of the fresh world the recording is replayed against (default: the embedded ones). */
  fixtures?: string;
}

/** Where each provider's routes start in a URL path (the upstream may add a base path before them). */
const PREFIXES: [string, string][] = [
  ['/api/v1', 'rocketchat'],
  ['/avatar', 'rocketchat'],
  ['/api/info', 'rocketchat'],
  ...providers.filter((p) => p.slug !== 'rocketchat').map((p): [string, string] => [p.prefix, p.slug]),
];

function locate(pathname: string): { at: number; provider: string } | undefined {
  let best: { at: number; provider: string } | undefined;
  for (const [prefix, provider] of PREFIXES) {
    let at = pathname.indexOf(prefix);
    while (at !== -1) {
      const end = at + prefix.length;
      if (end === pathname.length || pathname[end] === '/') break;
      at = pathname.indexOf(prefix, at + 1);
    }
    if (at !== -1 && (best === undefined || at < best.at)) best = { at, provider };
  }
  return best;
}

/**
 * Formats compared instead of values: ids, tokens, timestamps and URLs differ between the
 * provider and a fresh emulator world by nature; their shape must not.
 */
export function formatOf(value: string): string | undefined {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'uuid';
  if (/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(value)) return 'UUID (upper case)';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return 'ISO 8601 time';
  if (/^https?:\/\/\S+$/.test(value)) return 'URL';
  if (/^[0-9a-f]{16,}$/.test(value)) return `hex id (${value.length})`;
  if (/^[0-9A-F]{16,}$/.test(value)) return `upper-case hex id (${value.length})`;
  if (/^\d{8,}$/.test(value)) return 'numeric id';
  if (/^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/.test(value)) return 'Meteor id';
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(value)) return 'JWT';
  if (/^[A-Za-z0-9_+/=-]{20,}$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value)) return 'token';
  return undefined;
}

/** Keys whose numbers are instants or durations: compared as numbers, not by value. */
const TIME_KEY = /time|date|_at$|At$|expire|duration|^ts$|reset|^_updatedAt$/i;

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return formatOf(v) ?? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) return `array (${v.length})`;
  if (v !== null && typeof v === 'object') return 'object';
  return JSON.stringify(v);
}

type Found = (field: string, recorded: unknown, emulator: unknown) => void;

/** Same keys, same JSON types, same array lengths; ids, tokens, times and URLs by format, the rest by value. */
function compareValues(field: string, key: string, rec: unknown, emu: unknown, found: Found): void {
  if (rec === REDACTED) {
    if (emu === undefined) found(field, rec, emu);
    return;
  }
  const type = typeOf(rec);
  if (type !== typeOf(emu)) return found(field, rec, emu);
  if (type === 'array') {
    const a = rec as unknown[];
    const b = emu as unknown[];
    if (a.length !== b.length) found(`${field}.length`, a.length, b.length);
    for (let i = 0; i < Math.min(a.length, b.length); i++) compareValues(`${field}[${i}]`, key, a[i], b[i], found);
    return;
  }
  if (type === 'object') {
    const a = rec as Record<string, unknown>;
    const b = emu as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) compareValues(`${field}.${k}`, k, a[k], b[k], found);
    return;
  }
  if (type === 'string') {
    const format = formatOf(rec as string);
    if (format !== undefined ? format !== formatOf(emu as string) : rec !== emu) found(field, rec, emu);
    return;
  }
  if (type === 'number' && TIME_KEY.test(key)) return;
  if (rec !== emu) found(field, rec, emu);
}

/** What the emulator created where the provider did: each recorded id or token → the emulator's. */
class Learned {
  readonly ids = new Map<string, string>();
  /** Secrets the recording redacted, by key, as the emulator issued them (`authToken`, `accessToken`). */
  readonly secrets = new Map<string, string>();

  learn(key: string, rec: unknown, emu: unknown): void {
    if (typeof rec === 'string' && typeof emu === 'string') {
      const format = formatOf(rec);
      if (rec === REDACTED) this.secrets.set(key, emu);
      else if (rec !== emu && format !== undefined && !format.includes('time') && format !== 'URL') this.ids.set(rec, emu);
      return;
    }
    if (Array.isArray(rec) && Array.isArray(emu)) {
      for (let i = 0; i < Math.min(rec.length, emu.length); i++) this.learn(key, rec[i], emu[i]);
      return;
    }
    if (rec && emu && typeof rec === 'object' && typeof emu === 'object') {
      for (const k of Object.keys(rec)) this.learn(k, (rec as Record<string, unknown>)[k], (emu as Record<string, unknown>)[k]);
    }
  }

  map(value: string): string {
    return this.ids.get(value) ?? value;
  }

  mapDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.map(value);
    if (Array.isArray(value)) return value.map((v) => this.mapDeep(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.mapDeep(v)]));
    return value;
  }
}

/**
 * A value the recording redacted, as the fresh world holds it: a token the emulator issued earlier
 * in the replay, else the world's own credential for the same user, project or app.
 */
function secretFor(name: string, provider: string, learned: Learned, creds: WorldCredentials, context: Record<string, unknown>): string | undefined {
  const user = (id: unknown) => creds.rocketchat?.users?.find((u) => u.userId === id || u.username === id);
  switch (name.toLowerCase()) {
    case 'x-auth-token':
    case 'resume':
      return learned.secrets.get('authToken') ?? user(context.userId)?.authToken ?? undefined;
    case 'password':
      return user(context.user ?? context.username)?.password ?? undefined;
    case 'x-acs-dingtalk-access-token':
      return learned.secrets.get('accessToken');
    case 'appsecret':
      return (creds.dingtalk?.apps?.find((a) => a.appKey === context.appKey) ?? creds.dingtalk?.apps?.[0])?.appSecret;
    case 'authorization': {
      if (provider !== 'signalwire') return undefined;
      const project = creds.signalwire?.projects?.[0];
      return project && `Basic ${Buffer.from(`${project.projectId}:${project.token}`).toString('base64')}`;
    }
  }
  // Any other secret the emulator issued under the same key (a page token, a password it generated).
  return learned.secrets.get(name);
}

function fillSecrets(value: unknown, provider: string, learned: Learned, creds: WorldCredentials): unknown {
  if (Array.isArray(value)) return value.map((v) => fillSecrets(v, provider, learned, creds));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v === REDACTED ? (secretFor(k, provider, learned, creds, obj) ?? v) : fillSecrets(v, provider, learned, creds);
  return out;
}

// Sent by the replay itself, or about the connection: not the recorded client's to choose.
const SKIPPED_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'accept-encoding', 'te', 'upgrade', 'expect']);
const DOCUMENTED_HEADER = /^(x-ratelimit-|ratelimit|retry-after$|x-acs-|allow$)/i;

const headerMap = (headers: HarHeader[]) => new Map(headers.map((h) => [h.name.toLowerCase(), h.value]));

function parseJson(text: string | undefined): { json: true; value: unknown } | { json: false; value: string } {
  if (text === undefined || text === '') return { json: false, value: '' };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, value: text };
  }
}

async function replay(app: FastifyInstance, entry: HarEntry, index: number, learned: Learned, creds: WorldCredentials): Promise<Difference[]> {
  const url = new URL(entry.request.url);
  const where = locate(url.pathname);
  const differences: Difference[] = [];
  const base: Omit<Difference, 'field' | 'recorded' | 'emulator'> = { exchange: index + 1, provider: where?.provider ?? null, operationId: entry._operationId ?? null, method: entry.request.method, path: url.pathname };
  const found: Found = (field, recorded, emulator) => differences.push({ ...base, field, recorded: describe(recorded), emulator: describe(emulator) });
  if (!where) return differences;
  const provider = where.provider;
  if (base.operationId === null && entry._operationId === undefined) {
    base.operationId = operationMatcher(app.emulator.specs.get(provider)!)(entry.request.method, url.pathname.slice(where.at))?.operationId ?? null;
  }
  const path = url.pathname
    .slice(where.at)
    .split('/')
    .map((segment) => {
      try {
        return encodeURIComponent(learned.map(decodeURIComponent(segment)));
      } catch {
        return segment;
      }
    })
    .join('/');
  const query = new URLSearchParams();
  const recordedQuery: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) recordedQuery[k] = v;
  const filledQuery = fillSecrets(learned.mapDeep(recordedQuery), provider, learned, creds) as Record<string, string>;
  for (const [k, v] of url.searchParams) query.append(k, k in filledQuery ? filledQuery[k] : learned.map(v));

  const headers: Record<string, string> = {};
  for (const h of entry.request.headers) {
    const name = h.name.toLowerCase();
    if (SKIPPED_REQUEST_HEADERS.has(name) || name.startsWith(':')) continue;
    headers[name] = learned.map(h.value);
  }
  Object.assign(headers, fillSecrets({ ...headers, userId: headers['x-user-id'] }, provider, learned, creds));
  delete headers.userId;

  let payload: string | undefined = entry.request.postData?.text;
  const body = parseJson(payload);
  if (body.json) payload = JSON.stringify(fillSecrets(learned.mapDeep(body.value), provider, learned, creds));

  const search = query.toString();
  const res = await app.inject({ method: entry.request.method as 'GET', url: path + (search ? `?${search}` : ''), headers, payload });

  if (res.statusCode !== entry.response.status) found('status', entry.response.status, res.statusCode);
  const recordedHeaders = headerMap(entry.response.headers);
  const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase().replace(/\s+/g, '') : undefined);
  const recType = recordedHeaders.get('content-type');
  const emuType = res.headers['content-type'];
  if (norm(recType) !== norm(emuType)) found('content-type', recType, emuType);
  const names = new Set([...recordedHeaders.keys(), ...Object.keys(res.headers)].filter((n) => DOCUMENTED_HEADER.test(n)));
  for (const name of names) {
    const emu = res.headers[name];
    compareValues(`header ${name}`, name, recordedHeaders.get(name), Array.isArray(emu) ? emu.join(', ') : emu === undefined ? undefined : String(emu), found);
  }
  const recBody = parseJson(entry.response.content.text);
  const emuBody = parseJson(res.body);
  if (recBody.json && emuBody.json) {
    compareValues('body', '', recBody.value, emuBody.value, found);
    learned.learn('', recBody.value, emuBody.value);
  } else if (recBody.json !== emuBody.json || (!recBody.json && recBody.value !== emuBody.value)) {
    found('body', recBody.value === '' ? undefined : recBody.value, emuBody.value === '' ? undefined : emuBody.value);
  }
  return differences;
}

/**
 * Replays a recording against a fresh emulator world, in order, and compares each answer with the
 * recorded one. The world's clock is set to each exchange's recorded time, so windows and
 * deadlines fall as they did.
 */
export async function verifyRecording(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const har = readHar(file);
  const entries = har.log.entries;
  const first = entries[0] ? Date.parse(entries[0].startedDateTime) : undefined;
  const app = await buildApp({ fixtures: options.fixtures, frozen: true, now: Number.isFinite(first) ? first : undefined });
  const differences: Difference[] = [];
  let skipped = 0;
  try {
    const world = app.emulator.worlds.default;
    const details = await app.inject({ method: 'GET', url: '/_emulator/worlds/default' });
    const creds = (details.json() as { credentials: WorldCredentials }).credentials;
    const learned = new Learned();
    for (const [i, entry] of entries.entries()) {
      if (!locate(new URL(entry.request.url).pathname)) {
        skipped++;
        continue;
      }
      const at = Date.parse(entry.startedDateTime);
      if (Number.isFinite(at)) world.clock.set(at);
      differences.push(...(await replay(app, entry, i, learned, creds)));
    }
  } finally {
    await app.close();
  }
  return { file, exchanges: entries.length - skipped, skipped, differences };
}

/** The report as a table: one block per operation, one row per difference. */
export function formatReport(report: VerifyReport): string {
  const skipped = report.skipped === 0 ? '' : ` (${report.skipped} entr${report.skipped === 1 ? 'y' : 'ies'} for no provider path skipped)`;
  const lines = [`${report.file}: ${report.exchanges} exchange${report.exchanges === 1 ? '' : 's'} replayed against a fresh emulator world${skipped}`];
  if (report.differences.length === 0) return `${lines[0]}\nno differences`;
  const rows = [...report.differences].sort((a, b) => (a.operationId ?? '').localeCompare(b.operationId ?? '') || a.exchange - b.exchange);
  const table = [['operation', '#', 'field', 'recorded', 'emulator'], ...rows.map((d) => [d.operationId ?? `${d.method} ${d.path}`, String(d.exchange), d.field, d.recorded, d.emulator])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  let previous = '';
  for (const [i, row] of table.entries()) {
    const op = i > 0 && row[0] === previous ? '' : row[0];
    if (i > 0) previous = row[0];
    lines.push([op, ...row.slice(1)].map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
  }
  const operations = new Set(rows.map((d) => d.operationId ?? `${d.method} ${d.path}`)).size;
  lines.push(`${rows.length} difference${rows.length === 1 ? '' : 's'} in ${operations} operation${operations === 1 ? '' : 's'}`);
  return lines.join('\n');
}
