import type { Operation } from '../../src/core/openapi.js';

/** One generated request. `raw` cases are bytes written to a socket (real HTTP only). */
export interface FuzzCase {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** Which world's data the request may touch: `default` requests must all fail. */
  world: 'default' | 'fuzz';
  transport: 'inject' | 'http' | 'raw';
  raw?: string;
  /** A number the operation's spec does not allow (control plane): any 2xx answer is a failure. */
  refuse?: boolean;
}

/** Credentials the generator may use: valid ones only for the fuzz world. */
export interface FuzzCredentials {
  rocketchat: { userId: string; authToken: string; password: string; username: string }[];
  signalwire: { projectId: string; token: string }[];
  dingtalk: { appKey: string; appSecret: string; accessToken?: string }[];
}

export interface FuzzContext {
  operations: Operation[];
  /** The control plane's operations (openapi/emulator.yaml) the generator may call. */
  controlOperations: Operation[];
  /** Default world credentials: only their ids are sent, with wrong secrets. */
  defaults: FuzzCredentials;
  /** The fuzz world's credentials: valid, sent with bad input. */
  fuzz: FuzzCredentials;
  prefixes: Record<string, string>;
  bodyLimit: number;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

export const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '9999999999999999999999',
  "' OR '1'='1",
  "'; DROP TABLE rocketchat_calls; --",
  '1; SELECT * FROM worlds',
  '" OR ""="',
  '%',
  '_',
  '\\',
  "Robert'); DELETE FROM signalwire_conferences WHERE ('1'='1",
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '{"__proto__":{"polluted":1}}',
  '\u0000',
  '\u0000abc',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066evil',
  '\ufeff',
  '\u200b\u200d',
  'Ａ𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '😀👨‍👩‍👧‍👦🏳️‍🌈',
  'ﷺ',
  'e\u0301\u0301\u0301\u0301',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  'http://127.0.0.1:4010/_emulator/reset',
  'a'.repeat(256),
  'x'.repeat(5000),
  '697866d5c8b053302078137a',
  '674eca3e43725ce31dd9a2e8',
  '00000000-0000-0000-0000-000000000000',
  'PA00000000-0000-0000-0000-000000000000',
  '2026-02-31T25:61:61Z',
  '-0',
  '0x10',
  '1.5',
  '[]',
  '{}',
];

/**
 * Numbers as text, for query strings: huge, past 2^53, past a double, fractional, hexadecimal, binary,
 * octal, exponent, negative, non-finite, padded, signed, empty.
 */
export const NASTY_NUMBERS = [
  '99999999999999999999999',
  '1e20',
  '1e400',
  '-1e400',
  'Infinity',
  '-Infinity',
  'NaN',
  '0x1',
  '0x10',
  '0b1',
  '0o7',
  '1.5',
  '0.5',
  '-5',
  '-1',
  '-0',
  '1e2',
  '2.0',
  '1E1',
  ' 1',
  '1 ',
  '+1',
  '9007199254740992',
  '9007199254740993',
  '8640000000000000',
  '9'.repeat(400),
  '1e-7',
  '',
];

/** Numbers as JSON text for bodies (valid JSON all; `1e400` parses to Infinity). */
const NASTY_JSON_NUMBERS = ['99999999999999999999999', '1e20', '1e400', '-1e400', '1e-400', '1.5', '0.1', '-5', '-1', '-0', '2.0', '1e2', '9007199254740993', '8640000000000000', '-8640000000000001', '1E308'];

// A body value that `serialize` writes as the bare number text (JSON.stringify cannot write 1e400).
const numberText = (text: string) => `@@number:${text}@@`;

/** A nasty number for a numeric field: text in a query, a bare JSON number in a body. */
export function nastyNumber(g: Gen, where: 'query' | 'body'): string {
  return where === 'query' ? g.pick(NASTY_NUMBERS) : numberText(g.pick(NASTY_JSON_NUMBERS));
}

const isNumeric = (schema: any) => {
  const type = Array.isArray(schema?.type) ? schema.type.find((t: string) => t !== 'null') : schema?.type;
  return type === 'integer' || type === 'number';
};
// Parameters typed as strings that carry numbers (DingTalk's `nextToken`).
const NUMERIC_NAME = /offset|count|limit|token|page|max|ttl|size|number|ms$/i;

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', '', ' ', '$where', '$gt', 'a.b', 'a[b]', '\u0000', '😀', 'x'.repeat(300)];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'application/vnd.api+json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-8; charset=latin1',
  '*/*',
  ';;;',
  'application/',
  'json',
  ' ',
  'application/json\t',
  'application/jsonp',
];

/** A value of a random JSON type, sometimes hostile. */
function anyValue(g: Gen, depth = 0): unknown {
  switch (g.int(depth > 2 ? 7 : 10)) {
    case 0:
      return null;
    case 1:
      return g.chance(0.5);
    case 2:
      return g.pick([0, -1, 1, 1.5, -0.0001, 2 ** 53, -(2 ** 63), 1e308, 3]);
    case 3:
    case 4:
    case 5:
      return g.pick(NASTY_STRINGS);
    case 6:
      return g.pick(['Standup', 'jitsi', 'googlemeet', 'small', 'medium', 'large', 'grid-responsive', 'active', 'completed']);
    case 7:
      return [anyValue(g, depth + 1), anyValue(g, depth + 1)];
    case 8:
      return { [g.pick(NASTY_KEYS)]: anyValue(g, depth + 1) };
    default:
      return {};
  }
}

/** A value of the wrong type for a schema (or of the right type but out of range). */
function wrongValue(g: Gen, schema: any): unknown {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (type === 'string' && g.chance(0.4)) return g.pick([g.pick(NASTY_STRINGS), 'x'.repeat(g.pick([101, 256, 1001, 20000]))]);
  if ((type === 'integer' || type === 'number') && g.chance(0.5)) return nastyNumber(g, 'body');
  if ((type === 'integer' || type === 'number') && g.chance(0.4)) return g.pick([-1, 0, 1001, 1.5, 2 ** 31, -(2 ** 53), 1e308]);
  if (schema?.enum && g.chance(0.3)) return `${String(schema.enum[0])}x`;
  return anyValue(g);
}

/** Ids of the default fixtures per provider and collection (`rooms`, `calls`, `conferences`, `roomCode`…): every world has them. */
let idsByProvider: Record<string, Record<string, string[]>> = {};
// The ids of the provider the request being generated goes to (all of them for the control plane).
let knownIds: string[] = [];
let knownGroups: Record<string, string[]> = {};
export function setKnownIds(ids: Record<string, Record<string, string[]>>): void {
  idsByProvider = ids;
}
function useIdsOf(provider: string | undefined): void {
  const groups = provider === undefined ? Object.values(idsByProvider) : [idsByProvider[provider] ?? {}];
  knownGroups = {};
  for (const group of groups) for (const [k, v] of Object.entries(group)) (knownGroups[k] ??= []).push(...v);
  knownIds = Object.values(knownGroups).flat();
}

/** A known id for a parameter or field name: `roomId` → a room's, `callId` → a call's, `roomCode` → a room code. */
function idFor(g: Gen, name: string): string | undefined {
  const stem = name.replace(/_?id$/i, '').toLowerCase();
  const group = Object.keys(knownGroups).find((k) => stem !== '' && (k.toLowerCase() === name.toLowerCase() || k.toLowerCase().startsWith(stem)));
  const pool = group ? knownGroups[group] : knownIds;
  return pool.length > 0 ? g.pick(pool) : undefined;
}

/** A plausible value for a schema, to make the rest of a body valid enough to reach the handler. */
function plausibleValue(g: Gen, schema: any, depth = 0): unknown {
  if (!schema || depth > 4) return 'x';
  if (schema.enum) return g.pick(schema.enum);
  if (schema.type === 'string' && !schema.format && knownIds.length > 0 && g.chance(0.3)) return g.pick(knownIds);
  if (schema.example !== undefined && g.chance(0.7)) return schema.example;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (schema.oneOf || schema.anyOf) return plausibleValue(g, g.pick(schema.oneOf ?? schema.anyOf), depth + 1);
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return '2026-02-01T00:00:00.000Z';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return g.pick(['Standup', 'room-1', 'abc']);
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return g.chance(0.5);
    case 'array':
      return [plausibleValue(g, schema.items, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries<any>(schema.properties ?? {})) if ((schema.required ?? []).includes(k) || g.chance(0.3)) out[k] = plausibleValue(g, v, depth + 1);
      return out;
    }
    default:
      return 'x';
  }
}

function deepNest(depth: number, array: boolean): string {
  return array ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const bigCache = new Map<number, string>();
function bigBody(size: number): string {
  let s = bigCache.get(size);
  if (!s) {
    s = JSON.stringify({ title: 'x'.repeat(size), roomId: 'GENERAL', callId: 'x' });
    bigCache.set(size, s);
  }
  return s;
}

function bodySchema(op: Operation, document: Record<string, any>): any {
  return document.paths?.[op.path]?.[op.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
}

function params(document: Record<string, any>, op: Operation, where: 'path' | 'query'): any[] {
  const item = document.paths?.[op.path] ?? {};
  return [...(item.parameters ?? []), ...(item[op.method.toLowerCase()]?.parameters ?? [])].filter((p: any) => p.in === where);
}

/** Percent-encodes; a lone surrogate becomes the bytes of an invalid UTF-8 sequence (a fuzz case of its own). */
export function encode(v: unknown): string {
  let text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  text = text.replace(/^@@number:(.*)@@$/, '$1');
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\u0001')).replace(/%01/g, '%ED%A0%80');
  }
}

/** Credentials for a request: what a client may get wrong, from nothing to valid (fuzz world only). */
function auth(g: Gen, ctx: FuzzContext, provider: string): { headers: Record<string, string>; world: 'default' | 'fuzz' } {
  const h: Record<string, string> = {};
  const mode = g.int(10);
  if (provider === 'rocketchat') {
    const d = g.pick(ctx.defaults.rocketchat);
    const f = g.pick(ctx.fuzz.rocketchat);
    if (mode < 4) return { headers: { 'x-user-id': f.userId, 'x-auth-token': f.authToken }, world: 'fuzz' };
    if (mode === 4) return { headers: { 'x-user-id': d.userId, 'x-auth-token': d.authToken.slice(0, -1) + (d.authToken.endsWith('A') ? 'B' : 'A') }, world: 'default' };
    if (mode === 5) return { headers: { 'x-user-id': d.userId }, world: 'default' };
    if (mode === 6) return { headers: { 'x-auth-token': d.authToken }, world: 'default' };
    if (mode === 7) return { headers: { 'x-user-id': g.pick(NASTY_STRINGS) || 'x', 'x-auth-token': g.pick(NASTY_STRINGS) || 'x' }, world: 'default' };
    // Half-valid: a real token under another user's id (ids are shared across worlds, tokens are not).
    if (mode === 8) {
      const other = ctx.defaults.rocketchat.find((u) => u.userId !== d.userId) ?? d;
      const token = g.chance(0.5) ? d.authToken : (ctx.fuzz.rocketchat.find((u) => u.userId === d.userId) ?? f).authToken;
      return { headers: { 'x-user-id': other.userId, 'x-auth-token': token }, world: 'default' };
    }
    return { headers: h, world: 'default' };
  }
  if (provider === 'signalwire') {
    const d = g.pick(ctx.defaults.signalwire);
    const f = g.pick(ctx.fuzz.signalwire);
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    if (mode < 4) return { headers: { authorization: basic(f.projectId, f.token) }, world: 'fuzz' };
    if (mode === 4) return { headers: { authorization: basic(d.projectId, `${d.token}x`) }, world: 'default' };
    if (mode === 5) return { headers: { authorization: basic(d.projectId.toUpperCase(), '') }, world: 'default' };
    if (mode === 6) return { headers: { authorization: g.pick(['Basic', 'Basic ', 'Basic !!!', 'Bearer x', `Basic ${Buffer.from(d.projectId).toString('base64')}`, 'basic Og==']) }, world: 'default' };
    if (mode === 7) return { headers: { authorization: basic(g.pick(NASTY_STRINGS), g.pick(NASTY_STRINGS)) }, world: 'default' };
    if (mode === 8) return { headers: { authorization: basic(f.projectId, d.token) }, world: 'default' };
    return { headers: h, world: 'default' };
  }
  const f = g.pick(ctx.fuzz.dingtalk);
  if (mode < 4 && f.accessToken) return { headers: { 'x-acs-dingtalk-access-token': f.accessToken }, world: 'fuzz' };
  if (mode === 5) return { headers: { 'x-acs-dingtalk-access-token': g.pick(NASTY_STRINGS) || ' ' }, world: 'default' };
  if (mode === 6) return { headers: { authorization: `Bearer ${f.accessToken ?? 'x'}` }, world: 'default' };
  if (mode === 7) return { headers: { 'x-acs-dingtalk-access-token': 'f'.repeat(32) }, world: 'default' };
  return { headers: h, world: 'default' };
}

/** A login/token body that can never succeed in the default world (never a default password or secret). */
function credentialBody(g: Gen, ctx: FuzzContext, op: Operation, world: 'default' | 'fuzz'): unknown {
  if (op.provider === 'rocketchat') {
    const u = g.pick(world === 'fuzz' ? ctx.fuzz.rocketchat : ctx.defaults.rocketchat);
    const password = world === 'fuzz' && g.chance(0.3) ? u.password : g.pick(['wrong', '', g.pick(NASTY_STRINGS)]);
    return g.pick([
      { user: u.username, password },
      { username: u.username, password: g.chance(0.5) ? password : { digest: 'x'.repeat(64), algorithm: 'sha-256' } },
      { email: g.pick(['john@example.com', "' OR 1=1 --", 'a@b']), password },
      { user: { username: u.username }, password },
      { resume: world === 'fuzz' && g.chance(0.3) ? g.pick(ctx.fuzz.rocketchat).authToken : g.pick(NASTY_STRINGS) },
      { user: anyValue(g), password: anyValue(g) },
      { ...(anyValue(g) as object) },
    ]);
  }
  const a = g.pick(world === 'fuzz' ? ctx.fuzz.dingtalk : ctx.defaults.dingtalk);
  const secret = world === 'fuzz' && g.chance(0.3) ? a.appSecret : g.pick(['wrong', '', `${a.appSecret.slice(0, 10)}`, g.pick(NASTY_STRINGS)]);
  return g.pick([{ appKey: a.appKey, appSecret: secret }, { appKey: anyValue(g), appSecret: anyValue(g) }, { appKey: a.appKey }, { appSecret: secret }]);
}

/** Paths (object keys, `0` for an array item) to every numeric field a schema describes, nested ones too. */
function numericPaths(schema: any, depth = 0): string[][] {
  if (!schema || depth > 5) return [];
  if (isNumeric(schema)) return [[]];
  const out: string[][] = [];
  for (const sub of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) out.push(...numericPaths(sub, depth + 1));
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) for (const rest of numericPaths(v, depth + 1)) out.push([k, ...rest]);
  if (schema.items) for (const rest of numericPaths(schema.items, depth + 1)) out.push(['0', ...rest]);
  return out;
}

/** Sets a nasty number at a path of a body, making the objects and arrays on the way. */
function setNumber(g: Gen, body: Record<string, unknown>, path: string[]): void {
  let at: any = body;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) at[key] = nastyNumber(g, 'body');
    else {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = path[i + 1] === '0' ? [] : {};
      at = at[key];
    }
  }
}

/** Mutates a plausible body: drop, add, retype, nest, pollute, a nasty number in a numeric field. */
function mutateBody(g: Gen, schema: any, base: Record<string, unknown>): unknown {
  const body: Record<string, unknown> = structuredClone(base);
  const keys = Object.keys(schema?.properties ?? {});
  const numbers = numericPaths(schema).filter((p) => p.length > 0);
  const n = 1 + g.int(3);
  for (let i = 0; i < n; i++) {
    if (numbers.length > 0 && g.chance(0.3)) {
      setNumber(g, body, g.pick(numbers));
      continue;
    }
    switch (g.int(7)) {
      case 0:
        if (keys.length) delete body[g.pick(keys)];
        break;
      case 1:
      case 2:
        if (keys.length) {
          const numeric = keys.filter((k) => isNumeric(schema.properties[k]));
          const k = numeric.length > 0 && g.chance(0.5) ? g.pick(numeric) : g.pick(keys);
          body[k] = wrongValue(g, schema.properties[k]);
        }
        break;
      case 3:
        body[g.pick(NASTY_KEYS)] = anyValue(g);
        break;
      case 4:
        return g.pick([null, [], [body], 'string', 42, true, anyValue(g)]);
      case 5:
        if (keys.length) body[g.pick(keys)] = JSON.parse(deepNest(20 + g.int(200), g.chance(0.5)));
        break;
      default:
        body.extra = anyValue(g);
    }
  }
  return body;
}

function serialize(g: Gen, body: unknown): string {
  let text = (JSON.stringify(body) ?? 'null').replace(/"@@number:([^"@]*)@@"/g, '$1');
  if (g.chance(0.15)) text = text.replace('{', '{"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
  return text;
}

function routeUrl(g: Gen, ctx: FuzzContext, op: Operation): { url: string; query: string[] } {
  let url = op.path.replace(/\{([^}]+)\}/g, () => {
    const v = g.pick([
      g.pick(NASTY_STRINGS),
      knownIds.length > 0 ? g.pick(knownIds) : 'x',
      knownIds.length > 0 ? g.pick(knownIds) : 'x',
      '00000000-0000-4000-8000-000000000000',
      'b58db736-e874-4487-9843-6a54e5c705ec',
      'x'.repeat(g.pick([200, 1023, 1500])),
      '123456',
      '%00',
      '%ZZ',
      '%2F',
      ';',
    ]);
    return v.startsWith('%') ? v : encode(v) || '%20';
  });
  const query: string[] = [];
  for (const p of params(ctxDocument(ctx, op), op, 'query')) {
    const r = g.int(6);
    if (r === 0) continue;
    if ((isNumeric(p.schema) || NUMERIC_NAME.test(p.name)) && g.chance(0.35)) query.push(`${p.name}=${encode(nastyNumber(g, 'query'))}`);
    else if (r === 1) query.push(`${p.name}=${encode(wrongValue(g, p.schema))}`);
    else if (r === 2) query.push(`${p.name}=1&${p.name}=2`);
    else if (r === 3) query.push(`${p.name}[$ne]=x`);
    else query.push(`${p.name}=${encode(plausibleValue(g, p.schema))}`);
  }
  if (g.chance(0.3)) query.push(`${encode(g.pick(NASTY_KEYS))}=${encode(g.pick(NASTY_STRINGS))}`);
  if (g.chance(0.05)) query.push('a=%', '%%%=1', 'b=%E0%A4%A');
  if (g.chance(0.05)) url += g.pick(['/', '//', '/.', '%20', '.json', '?']);
  return { url, query };
}

const documents = new WeakMap<FuzzContext, Map<string, Record<string, any>>>();
export function setDocuments(ctx: FuzzContext, docs: Map<string, Record<string, any>>): void {
  documents.set(ctx, docs);
}
function ctxDocument(ctx: FuzzContext, op: Operation): Record<string, any> {
  return documents.get(ctx)?.get(op.provider) ?? {};
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'SEARCH', 'PROPFIND', 'MKCOL', 'LOCK', 'TRACE', 'QUERY'];

/** Valid credentials of the fuzz world for a provider. */
function fuzzCredentials(g: Gen, ctx: FuzzContext, provider: string): Record<string, string> {
  if (provider === 'rocketchat') {
    const u = g.pick(ctx.fuzz.rocketchat);
    return { 'x-user-id': u.userId, 'x-auth-token': u.authToken };
  }
  if (provider === 'signalwire') {
    const p = g.pick(ctx.fuzz.signalwire);
    return { authorization: `Basic ${Buffer.from(`${p.projectId}:${p.token}`).toString('base64')}` };
  }
  return { 'x-acs-dingtalk-access-token': g.pick(ctx.fuzz.dingtalk).accessToken ?? 'x' };
}

/** A request that would succeed in the fuzz world but for one numeric query parameter's nasty number. */
function numbersCase(g: Gen, ctx: FuzzContext, op: Operation, doc: Record<string, any>, numeric: any[]): FuzzCase {
  const url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encode(idFor(g, name) ?? 'x'));
  const target = g.pick(numeric);
  const query: string[] = [];
  for (const p of params(doc, op, 'query')) {
    if (p === target) query.push(`${p.name}=${encode(nastyNumber(g, 'query'))}`);
    else if (p.required || g.chance(0.3)) query.push(`${p.name}=${encode(p.schema?.type === 'string' && /id$|code$/i.test(p.name) ? (idFor(g, p.name) ?? 'x') : plausibleValue(g, p.schema))}`);
  }
  return { kind: `${op.operationId}:numbers`, method: op.method, url: `${url}?${query.join('&')}`, headers: fuzzCredentials(g, ctx, op.provider), world: 'fuzz', transport: 'inject' };
}

/** The i-th request of a run: deterministic from the generator's state. */
export function generate(g: Gen, ctx: FuzzContext): FuzzCase {
  const op = g.pick(ctx.operations);
  useIdsOf(op.provider);
  const doc = ctxDocument(ctx, op);
  const credentials = auth(g, ctx, op.provider);
  const headers = credentials.headers;
  let world = credentials.world;
  // A valid logout would revoke the fuzz world's token: logout only ever gets a wrong one.
  if (op.operationId.includes('logout') && world === 'fuzz') {
    headers['x-auth-token'] = `${headers['x-auth-token']}x`;
    world = 'default';
  }
  const kind = g.int(100);

  // Numbers alone: valid credentials and a plausible request but for one numeric query parameter.
  const numeric = params(doc, op, 'query').filter((p) => isNumeric(p.schema) || NUMERIC_NAME.test(p.name));
  if (kind >= 80 && numeric.length > 0 && !op.operationId.includes('logout')) return numbersCase(g, ctx, op, doc, numeric);

  // Unrouted: unknown paths and wrong methods under every provider prefix.
  if (kind < 12) {
    const prefix = ctx.prefixes[op.provider];
    const useKnown = g.chance(0.5);
    const path = useKnown
      ? op.path.replace(/\{[^}]+\}/g, 'x')
      : `${prefix}/${g.pick(['', 'unknown', 'video-conference.delete', 'conferences/x/y/z', 'oauth2', 'v2', encode(g.pick(NASTY_STRINGS)) || 'y', '..%2f_emulator%2freset'])}`;
    const method = useKnown ? g.pick(OTHER_METHODS.filter((m) => m !== op.method)) : g.pick(OTHER_METHODS);
    const h: Record<string, string> = { ...headers };
    let payload: string | undefined;
    if (method !== 'GET' && method !== 'HEAD' && g.chance(0.6)) {
      h['content-type'] = g.pick(CONTENT_TYPES);
      payload = g.chance(0.05) ? bigBody(ctx.bodyLimit + 10) : serialize(g, anyValue(g));
    } else if (method === 'QUERY' && g.chance(0.5)) h['content-type'] = 'application/json';
    // A "wrong" method may be another operation of the same path: valid credentials are the fuzz world's.
    return { kind: useKnown ? 'wrong-method' : 'unknown-path', method, url: path, headers: h, payload, world, transport: 'inject' };
  }

  const { url, query } = routeUrl(g, ctx, op);
  const h: Record<string, string> = { ...headers };
  if (g.chance(0.05)) h[g.pick(['x-forwarded-for', 'x-emulator-world', 'user-agent', 'accept', 'x-requested-with'])] = g.pick(NASTY_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s)));
  if (g.chance(0.03)) h['x-long'] = 'h'.repeat(8000);
  const schema = bodySchema(op, doc);
  let payload: string | undefined;
  let bodyKind = 'none';
  if (op.method !== 'GET') {
    const b = g.int(100);
    if (b < 5) bodyKind = 'absent';
    else if (b < 12) {
      bodyKind = 'invalid-json';
      h['content-type'] = 'application/json';
      payload = g.pick(['{', '{"a":', '[1,2', '{"a":1}}', "{'a':1}", '{"a":undefined}', 'NaN', '\u0000', '{"a":"\\u00"}', '\ufeff{}', '{"a":1,}', 'tru']);
    } else if (b < 18) {
      bodyKind = 'wrong-content-type';
      h['content-type'] = g.pick(CONTENT_TYPES);
      payload = g.chance(0.5) ? serialize(g, plausibleValue(g, schema)) : g.pick(['a=1&b=2', '<xml/>', '--x\r\n\r\n--x--', '\u00ff\u00fe']);
    } else if (b < 20) {
      bodyKind = 'too-large';
      h['content-type'] = 'application/json';
      payload = bigBody(ctx.bodyLimit + g.pick([1, 100, 1024 * 1024]));
    } else if (b < 23) {
      bodyKind = 'deep';
      h['content-type'] = 'application/json';
      payload = deepNest(g.pick([100, 1000, 5000, 50_000]), g.chance(0.5));
    } else if (b < 25) {
      bodyKind = 'wide';
      h['content-type'] = 'application/json';
      const wide: Record<string, number> = {};
      for (let i = 0; i < 5000; i++) wide[`k${i}`] = i;
      payload = JSON.stringify(wide);
    } else if (b < 27) {
      bodyKind = 'empty';
      h['content-type'] = g.pick(['application/json', 'text/plain']);
      payload = g.pick(['', ' ', '\n', 'null', '""', '[]', '0']);
    } else {
      bodyKind = 'mutated';
      h['content-type'] = 'application/json';
      const base =
        (op.operationId === 'post-api-v1-login' || op.operationId === 'getAccessToken')
          ? credentialBody(g, ctx, op, world)
          : plausibleValue(g, schema ?? { type: 'object', properties: {} });
      const body = g.chance(0.85) ? mutateBody(g, schema, (base && typeof base === 'object' ? base : {}) as Record<string, unknown>) : base;
      payload = serialize(g, body);
    }
  } else if (g.chance(0.03)) {
    bodyKind = 'get-body';
    h['content-type'] = 'application/json';
    payload = '{"x":1}';
  }
  const caseWorld = op.auth === 'none' ? (world === 'fuzz' && op.provider === 'rocketchat' ? 'fuzz' : world) : world;
  if (op.auth === 'none' && caseWorld === 'fuzz' && op.provider === 'rocketchat') h['x-emulator-world'] = '__FUZZ_WORLD__';
  return { kind: `${op.operationId}:${bodyKind}`, method: op.method, url: query.length ? `${url}?${query.join('&')}` : url, headers: h, payload, world: caseWorld, transport: 'inject' };
}

// Never generated: the endless event streams, a wait that may hold its answer for minutes (timeoutMs), and resets
// that would reload the default world and the journal.
const CONTROL_SKIPPED = new Set(['streamRequests', 'streamPushes', 'waitPush', 'resetAll', 'clearRequests']);

export function controlOperations(operations: Operation[]): Operation[] {
  return operations.filter((op) => !CONTROL_SKIPPED.has(op.operationId));
}

/** Placeholder the harness replaces with the fuzz world's id (in a path or a header). */
export const FUZZ_WORLD = '__FUZZ_WORLD__';

/**
 * A control-plane request: every numeric field of its query and body gets huge, fractional, hexadecimal,
 * exponent, negative and non-finite values. A request that changes state names the fuzz world (never the
 * default one), and the harness removes its faults and puts clocks back after it.
 */
export function generateControl(g: Gen, ctx: FuzzContext): FuzzCase {
  const op = g.pick(ctx.controlOperations);
  useIdsOf(undefined);
  const doc = documents.get(ctx)?.get('emulator') ?? {};
  const writes = op.method !== 'GET';
  const url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (name === 'worldId') {
      if (op.operationId === 'deleteWorld') return g.pick(['nope', '00000000-0000-4000-8000-000000000000', encode(g.pick(NASTY_STRINGS)) || '%20']);
      return g.chance(0.7) ? FUZZ_WORLD : writes ? 'nope' : g.pick(['default', 'nope', encode(g.pick(NASTY_STRINGS)) || '%20']);
    }
    if (knownIds.length > 0 && g.chance(0.4)) return encode(g.pick(knownIds));
    return g.chance(0.3) ? '00000000-0000-4000-8000-000000000000' : encode(g.pick(NASTY_STRINGS)) || '%20';
  });
  const query: string[] = [];
  for (const p of params(doc, op, 'query')) {
    const r = g.int(5);
    if (r === 0) continue;
    if (isNumeric(p.schema) && r < 4) query.push(`${p.name}=${encode(nastyNumber(g, 'query'))}`);
    else if (r === 1) query.push(`${p.name}=${encode(wrongValue(g, p.schema))}`);
    else query.push(`${p.name}=${encode(plausibleValue(g, p.schema))}`);
  }
  const headers: Record<string, string> = { 'x-emulator-world': writes || g.chance(0.7) ? FUZZ_WORLD : g.pick(['default', 'nope']) };
  let payload: string | undefined;
  const schema = bodySchema(op, doc);
  if (schema && g.chance(0.95)) {
    headers['content-type'] = 'application/json';
    const base = plausibleValue(g, schema);
    const body = base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
    const numbers = numericPaths(schema).filter((p) => p.length > 0);
    if (numbers.length > 0 && g.chance(0.7)) {
      const mutated = structuredClone(body);
      setNumber(g, mutated, g.pick(numbers));
      payload = serialize(g, mutated);
    } else payload = serialize(g, g.chance(0.5) ? mutateBody(g, schema, body) : body);
  }
  return { kind: `control:${op.operationId}`, method: op.method, url: query.length ? `${url}?${query.join('&')}` : url, headers, payload, world: 'fuzz', transport: 'inject' };
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Whether a number's text is one the schema allows: a finite JSON number of its type, within its bounds. */
function allowedNumber(schema: any, text: string): boolean {
  if (!JSON_NUMBER.test(text)) return false;
  const n = Number(text);
  if (!Number.isFinite(n)) return false;
  if ((schema?.type === 'integer' || (Array.isArray(schema?.type) && schema.type.includes('integer'))) && !Number.isInteger(n)) return false;
  if (schema?.minimum !== undefined && n < schema.minimum) return false;
  if (schema?.maximum !== undefined && n > schema.maximum) return false;
  if (schema?.enum && !schema.enum.includes(n)) return false;
  return true;
}

/** The schema at a path of a body schema (`0` for an array item). */
function schemaAt(schema: any, path: string[]): any {
  let at = schema;
  for (const key of path) at = key === '0' ? at?.items : at?.properties?.[key];
  return at;
}

/** Sets a given number text at a path of a body (see {@link setNumber}). */
function setNumberText(body: Record<string, unknown>, path: string[], text: string): void {
  let at: any = body;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) at[key] = numberText(text);
    else {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = path[i + 1] === '0' ? [] : {};
      at = at[key];
    }
  }
}

/**
 * Every nasty number in every numeric field of every operation, providers and control plane alike:
 * each query parameter that holds a number gets each of {@link NASTY_NUMBERS}, each numeric body field
 * (nested ones too) each of the JSON ones, the rest of the request valid in the fuzz world.
 */
export function numberSweep(g: Gen, ctx: FuzzContext): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const [op, control] of [...ctx.operations.map((o) => [o, false] as const), ...ctx.controlOperations.map((o) => [o, true] as const)]) {
    if (op.operationId.includes('logout')) continue;
    useIdsOf(control ? undefined : op.provider);
    const doc = (control ? documents.get(ctx)?.get('emulator') : ctxDocument(ctx, op)) ?? {};
    const url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (control && name === 'worldId') return op.operationId === 'deleteWorld' ? 'nope' : FUZZ_WORLD;
      return encode(idFor(g, name) ?? 'x');
    });
    const headers = (): Record<string, string> => (control ? { 'x-emulator-world': FUZZ_WORLD } : fuzzCredentials(g, ctx, op.provider));
    const query = params(doc, op, 'query');
    const base = (skip?: any) =>
      query
        .filter((p) => p !== skip && p.required)
        .map((p) => `${p.name}=${encode(p.schema?.type === 'string' && /id$|code$/i.test(p.name) ? (idFor(g, p.name) ?? 'x') : plausibleValue(g, p.schema))}`);
    const schema = bodySchema(op, doc);
    const validBody = () => {
      const b = schema ? plausibleValue(g, schema) : undefined;
      return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
    };
    const kind = `${control ? 'control:' : ''}${op.operationId}:number-sweep`;
    for (const p of query.filter((q) => isNumeric(q.schema) || NUMERIC_NAME.test(q.name))) {
      for (const text of NASTY_NUMBERS) {
        const q = [...base(p), `${p.name}=${encodeURIComponent(text)}`];
        const payload = schema ? serialize(g, validBody()) : undefined;
        const refuse = control && isNumeric(p.schema) && !allowedNumber(p.schema, text);
        out.push({ kind, method: op.method, url: `${url}?${q.join('&')}`, headers: { ...headers(), ...(payload ? { 'content-type': 'application/json' } : {}) }, payload, world: 'fuzz', transport: 'inject', refuse });
      }
    }
    for (const path of numericPaths(schema).filter((x) => x.length > 0)) {
      for (const text of NASTY_JSON_NUMBERS) {
        const body = validBody();
        setNumberText(body, path, text);
        const q = base();
        const refuse = control && !path.includes('0') && !allowedNumber(schemaAt(schema, path), text);
        out.push({ kind, method: op.method, url: q.length ? `${url}?${q.join('&')}` : url, headers: { ...headers(), 'content-type': 'application/json' }, payload: serialize(g, body).replace(/^\{"__proto__".*?"yes"\}\},/, '{'), world: 'fuzz', transport: 'inject', refuse });
      }
    }
  }
  return out;
}

/** Transport-level cases, for a real socket: long heads and URLs, unknown methods, malformed HTTP. */
export function generateTransport(g: Gen, ctx: FuzzContext, maxHeaderSize: number): FuzzCase {
  const op = g.pick(ctx.operations);
  const path = op.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
  const base = { world: 'default' as const, headers: {} as Record<string, string>, method: op.method, url: path };
  switch (g.int(9)) {
    case 0:
      return { ...base, kind: 'http:long-header', transport: 'http', headers: { 'x-big': 'a'.repeat(maxHeaderSize + g.int(4096)) } };
    case 1:
      return { ...base, kind: 'http:many-headers', transport: 'http', headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'v'.repeat(8)])) };
    case 2:
      return { ...base, kind: 'http:long-url', transport: 'http', url: `${path}?q=${'u'.repeat(maxHeaderSize + g.int(8192))}` };
    case 3:
      return { ...base, kind: 'http:long-url-ok', transport: 'http', url: `${path}?q=${'u'.repeat(g.pick([2000, 8000]))}` };
    case 4: {
      const method = g.pick(['FOO', 'BREW', 'GETT', 'get', 'M-SEARCH', 'PURGE', 'LINK']);
      return { ...base, kind: 'raw:unknown-method', transport: 'raw', raw: `${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` };
    }
    case 5: {
      const raw = g.pick([
        'GARBAGE\r\n\r\n',
        `GET ${path} HTTP/9.9\r\nHost: x\r\n\r\n`,
        `GET ${path}\r\n\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n`,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n`,
        `GET /\u00ff\u0001 HTTP/1.1\r\nHost: x\r\n\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        '\r\n\r\n\r\n',
        `GET ${path} HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n`,
      ]);
      return { ...base, kind: 'raw:malformed', transport: 'raw', raw: raw.includes('Connection:') ? raw : raw.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n') };
    }
    case 6: {
      const chunked = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
      const chunk = 'a'.repeat(64 * 1024);
      const n = Math.ceil((ctx.bodyLimit + 1) / chunk.length);
      return { ...base, kind: 'raw:chunked-too-large', transport: 'raw', raw: chunked + `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(n) + '0\r\n\r\n' };
    }
    case 7:
      return { ...base, kind: 'http:unicode-header', transport: 'http', headers: { 'x-user-id': 'Ã©Ã', 'x-auth-token': 'ÿÿ' } };
    default:
      return { ...base, kind: 'http:big-body', transport: 'http', method: 'POST', headers: { 'content-type': 'application/json' }, payload: bigBody(ctx.bodyLimit + 1) };
  }
}
