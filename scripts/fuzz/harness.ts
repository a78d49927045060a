import { request as httpRequest, validateHeaderValue } from 'node:http';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import { buildApp, DEFAULT_LIMITS } from '../../src/app.js';
import type { Db } from '../../src/core/db.js';
import { DEFAULT_WORLD_ID } from '../../src/core/worlds.js';
import { controlOperations, FUZZ_WORLD, Gen, generate, generateControl, generateTransport, numberSweep, setDocuments, setKnownIds, type FuzzCase, type FuzzContext, type FuzzCredentials } from './generate.js';

export interface FuzzOptions {
  seed?: number;
  /** Requests in all (in-process and over HTTP). */
  count?: number;
  /** How many of them go over a real socket (transport-level cases and some ordinary ones). */
  httpCount?: number;
  onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  kind: string;
  method: string;
  url: string;
  status: number;
  problem: string;
  body: string;
  payload?: string;
}

export interface FuzzSummary {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  byProvider: Record<string, number>;
  /** Requests that reached an operation's handler pipeline (routed). */
  routed: number;
  /** Requests of the number sweep (every nasty number in every numeric field), and how many there are in all. */
  numberSweep: { sent: number; total: number };
  failures: FuzzFailure[];
  /** Every failure, including the ones not kept in `failures`. */
  failureCount: number;
  defaultWorldUnchanged: boolean;
  durationMs: number;
}

interface Response {
  status: number;
  contentType: string | undefined;
  text: string;
}

const MAX_KEPT_FAILURES = 50;
const T0 = '2026-02-01T00:00:00.000Z';
const T0_MS = Date.parse(T0);
/** Share of generated requests that go to the control plane (`/_emulator`). */
const CONTROL_SHARE = 0.15;

// Text of the store, the runtime or a stack trace: never part of an answer (a provider's own message is).
const INTERNAL_TEXT = /SQLITE_|SqliteError|datatype mismatch|no such (?:table|column)|constraint failed|near "[^"]*": syntax error|Invalid time value|Maximum call stack|is not a function|Cannot read propert|\bat [\w.<>]+ \([^)]*\.[cm]?[jt]s:\d+/;

/** Every row of every provider table for one world, as text. */
export function dumpWorld(db: Db, world: string): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name")
    .all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columns = db.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'world')) continue;
    out[name] = db.prepare(`SELECT * FROM ${name} WHERE world = ? ORDER BY rowid`).all(world);
  }
  return JSON.stringify(out, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v));
}

/**
 * The ids the default fixtures give rooms, calls, conferences, sessions, room codes (never a
 * credential), by the collection they are in (`rooms`, `calls`, …; a key for the others: `roomCode`).
 */
function fixtureIds(fixtures: unknown): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const stack: [unknown, string][] = [[fixtures, '']];
  while (stack.length > 0) {
    const [value, collection] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && /^(?:_?id|rid|\w+Id|roomCode)$/.test(key) && !/token|secret|password|user|creator/i.test(key) && child.length <= 64) {
        const group = /^(?:_?id)$/.test(key) ? collection : key;
        (out[group] ??= new Set()).add(child);
      } else stack.push([child, Array.isArray(value) ? collection : key]);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

function resetRateLimits(app: FastifyInstance): void {
  for (const world of app.emulator.worlds.list()) for (const key of [...world.state.keys()]) if (key.includes(':rate:')) world.state.delete(key);
}

function isFastifyDefaultShape(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'statusCode' in body && 'error' in body && 'message' in body;
}

/** The not-found shapes each provider documents, for requests no operation matched. */
function unroutedCheckers(app: FastifyInstance): Record<string, (status: number, method: string, body: unknown, text: string) => string | undefined> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const schemas = (slug: string) => app.emulator.specs.get(slug)!.document.components.schemas;
  const compile = (schema: unknown): ValidateFunction => ajv.compile(schema as object);
  const rcFailure = compile(schemas('rocketchat').Failure);
  const rcMethod = compile(schemas('rocketchat').MethodNotAllowedError);
  const swError = compile(schemas('signalwire').Error);
  const dtError = compile(schemas('dingtalk').Error);
  const check = (validate: ValidateFunction, body: unknown, method: string, text: string) => {
    if (method === 'HEAD' && text === '') return undefined;
    return validate(body) ? undefined : `body not the documented shape: ${ajv.errorsText(validate.errors)}`;
  };
  return {
    rocketchat: (status, method, body, text) => {
      if (status === 404) return check(rcFailure, body, method, text) ?? ((body as any)?.error === 'Resource not found' || method === 'HEAD' ? undefined : 'not the not-found error');
      if (status === 405) return check(rcMethod, body, method, text);
      if (status === 200 && method === 'OPTIONS' && text === '') return undefined;
      return `unrouted status ${status} not documented`;
    },
    signalwire: (status, method, body, text) => ([401, 404, 429].includes(status) ? check(swError, body, method, text) : `unrouted status ${status} not documented`),
    dingtalk: (status, method, body, text) => (status === 404 ? check(dtError, body, method, text) : `unrouted status ${status} not documented`),
  };
}

/** The request as bytes, for what Node's client refuses to send (control characters in a header). */
function rawRequest(c: FuzzCase): string {
  const payload = Buffer.from(c.payload ?? '', 'utf8').toString('latin1');
  const headers = Object.entries(c.headers).map(([k, v]) => `${k}: ${Buffer.from(v, 'utf8').toString('latin1')}\r\n`);
  return `${c.method} ${c.url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.join('')}content-length: ${Buffer.byteLength(payload, 'latin1')}\r\n\r\n${payload}`;
}

async function sendHttp(port: number, c: FuzzCase): Promise<Response | undefined> {
  try {
    for (const [k, v] of Object.entries(c.headers)) validateHeaderValue(k, v);
  } catch {
    return sendRaw(port, rawRequest(c));
  }
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: c.method, path: c.url, headers: c.headers, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    // The server may answer (413, 431) and close before the whole request is written.
    req.on('error', () => resolve(undefined));
    req.end(c.payload);
  });
}

async function sendRaw(port: number, raw: string): Promise<Response | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!m) return resolve(undefined);
      const head = text.split('\r\n\r\n')[0];
      const type = /\r\ncontent-type: *([^\r\n]*)/i.exec(head)?.[1];
      resolve({ status: Number(m[1]), contentType: type, text: text.slice(head.length + 4) });
    };
    socket.setTimeout(3000, finish);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(raw, 'latin1');
  });
}

/**
 * Runs `count` generated bad requests against an in-process emulator (`app.inject`), and
 * `httpCount` of them over a real socket, checking every answer. Deterministic from `seed`.
 */
export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzSummary> {
  const seed = options.seed ?? 1;
  const count = options.count ?? 100_000;
  const httpCount = Math.min(options.httpCount ?? Math.max(Math.floor(count / 50), 100), count);
  const started = performance.now();
  const app = await buildApp({ now: T0, frozen: true, idSeed: seed, validateResponses: true, journalSize: 4 });
  const runtime = app.emulator;
  const failures: FuzzFailure[] = [];
  let failureCount = 0;
  const byStatus: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  let routed = 0;
  let requests = 0;

  try {
    const before = dumpWorld(runtime.db, DEFAULT_WORLD_ID);

    // The fuzz world, for requests that carry valid credentials.
    const created = await app.inject({ method: 'POST', url: '/_emulator/worlds', payload: { name: 'fuzz' } });
    if (created.statusCode !== 201) throw new Error(`cannot create the fuzz world: ${created.statusCode} ${created.body}`);
    const fuzzWorld = created.json() as { id: string; credentials: any };
    const fuzz: FuzzCredentials = {
      rocketchat: fuzzWorld.credentials.rocketchat.users,
      signalwire: fuzzWorld.credentials.signalwire.projects,
      dingtalk: fuzzWorld.credentials.dingtalk.apps,
    };
    for (const a of fuzz.dingtalk) {
      const res = await app.inject({ method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: a.appKey, appSecret: a.appSecret } });
      a.accessToken = (res.json() as { accessToken: string }).accessToken;
    }
    const fixtures = runtime.defaultFixtures as any;
    const defaults: FuzzCredentials = {
      rocketchat: fixtures.rocketchat.users.map((u: any) => ({ userId: u._id, authToken: u.authTokens?.[0] ?? 'x', password: u.password, username: u.username })),
      signalwire: fixtures.signalwire.projects.map((p: any) => ({ projectId: p.id ?? p.projectId, token: p.api_tokens?.[0]?.token ?? 'x' })),
      dingtalk: fixtures.dingtalk.apps.map((a: any) => ({ appKey: a.appKey, appSecret: a.appSecret })),
    };
    const providerSlugs = runtime.prefixes.map(([, slug]) => slug);
    const ctx: FuzzContext = {
      operations: providerSlugs.flatMap((slug) => runtime.specs.get(slug)!.operations),
      controlOperations: controlOperations(runtime.specs.get('emulator')!.operations),
      defaults,
      fuzz,
      prefixes: Object.fromEntries(runtime.prefixes.map(([prefix, slug]) => [slug, prefix])),
      bodyLimit: DEFAULT_LIMITS.bodyLimit,
    };
    setDocuments(ctx, new Map([...providerSlugs, 'emulator'].map((slug) => [slug, runtime.specs.get(slug)!.document])));
    setKnownIds(Object.fromEntries(providerSlugs.map((slug) => [slug, fixtureIds((runtime.defaultFixtures as Record<string, unknown>)[slug])])));
    const unrouted = unroutedCheckers(app);
    const g = new Gen(seed);
    let lastJournalId = runtime.journal.query({ limit: 1 })[0]?.id ?? 0;

    const fail = (c: FuzzCase, status: number, problem: string, text: string) => {
      failureCount++;
      if (failures.length < MAX_KEPT_FAILURES) {
        failures.push({ kind: c.kind, method: c.method, url: c.url.slice(0, 300), status, problem, body: text.slice(0, 300), payload: c.payload?.slice(0, 300) });
      }
    };

    const check = (c: FuzzCase, res: Response | undefined) => {
      requests++;
      const status = res?.status ?? 0;
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
      const violations = runtime.contractViolations.splice(0);
      if (!res) return;
      const text = res.text;
      if (status >= 500) fail(c, status, 'server error', text);
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      if (isFastifyDefaultShape(body)) fail(c, status, "Fastify's default error shape", text);
      if (INTERNAL_TEXT.test(text)) fail(c, status, 'internal error text reaches the client', text);
      const entry = runtime.journal.query({ limit: 1 })[0];
      const fresh = entry !== undefined && entry.id > lastJournalId ? entry : undefined;
      if (fresh) lastJournalId = fresh.id;
      if (fresh) byProvider[fresh.provider] = (byProvider[fresh.provider] ?? 0) + 1;
      for (const v of violations) fail(c, status, `contract: ${v}`, text);
      if (c.kind.startsWith('control:')) {
        byProvider.emulator = (byProvider.emulator ?? 0) + 1;
        if (c.refuse && status < 300) fail(c, status, 'the control plane accepted a number its spec does not allow', text);
        if (status >= 400 && res.contentType !== 'application/problem+json' && text !== '') fail(c, status, 'a control-plane error that is not problem+json', text);
        return;
      }
      if (c.transport === 'raw') return;
      // Over a real socket Node answers some requests (431, 400, 408) before Fastify: bare, transport-level.
      if (c.transport === 'http' && text === '' && [400, 408, 413, 414, 431].includes(status)) return;
      if (fresh?.operationId) {
        routed++;
        if (c.world === 'default' && status < 400) fail(c, status, 'a request that must fail succeeded', text);
        return;
      }
      const provider = fresh?.provider;
      if (provider && unrouted[provider]) {
        const problem = unrouted[provider](status, c.method, body, text);
        if (problem) fail(c, status, problem, text);
      }
    };

    const fuzzHeader = (c: FuzzCase) => {
      if (c.headers['x-emulator-world'] === FUZZ_WORLD) c.headers['x-emulator-world'] = fuzzWorld.id;
      c.url = c.url.replace(FUZZ_WORLD, fuzzWorld.id);
      return c;
    };
    const next = () => fuzzHeader(g.chance(CONTROL_SHARE) ? generateControl(g, ctx) : generate(g, ctx));
    // What a control-plane request changed must not reach the next requests: its faults, a moved clock.
    const settle = (c: FuzzCase) => {
      if (!c.kind.startsWith('control:')) return;
      runtime.faults.clear();
      for (const world of runtime.worlds.list()) {
        world.clock.freeze(true);
        world.clock.set(T0_MS);
      }
    };

    const injected = count - httpCount;
    // First, every nasty number in every numeric field (thinned out evenly when it is more than half the run).
    const fullSweep = numberSweep(new Gen(seed + 0x5eed), ctx);
    const step = Math.max(1, Math.ceil(fullSweep.length / Math.max(1, Math.floor(injected / 2))));
    const sweep = fullSweep.filter((_c, k) => k % step === 0);
    for (let i = 0; i < injected; i++) {
      if (i % 20 === 0) resetRateLimits(app);
      const c = i < sweep.length ? fuzzHeader(sweep[i]) : next();
      let res: Response | undefined;
      try {
        const r = await app.inject({ method: c.method as any, url: c.url, headers: c.headers, payload: c.payload });
        res = { status: r.statusCode, contentType: r.headers['content-type'] as string | undefined, text: r.body };
      } catch (err) {
        fail(c, 0, `inject threw: ${(err as Error).message}`, '');
      }
      check(c, res);
      settle(c);
      if (options.onProgress && requests % 10_000 === 0) options.onProgress(requests);
    }

    // Over a real socket: transport-level cases, and ordinary ones to prove the same answers travel.
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    for (let i = 0; i < httpCount; i++) {
      if (i % 20 === 0) resetRateLimits(app);
      const c = i % 2 === 0 ? generateTransport(g, ctx, DEFAULT_LIMITS.maxHeaderSize) : { ...next(), transport: 'http' as const };
      if (c.method === 'QUERY' || c.method === 'PROPFIND' || c.method === 'MKCOL' || c.method === 'LOCK' || c.method === 'SEARCH') c.method = 'PATCH';
      const res = c.transport === 'raw' ? await sendRaw(port, c.raw!) : await sendHttp(port, c);
      check(c, res);
      settle(c);
    }
    // Still answering after all that.
    const alive = await sendHttp(port, { kind: 'alive', method: 'GET', url: '/api/v1/me', headers: {}, world: 'default', transport: 'http' });
    if (alive?.status !== 401) fail({ kind: 'alive', method: 'GET', url: '/api/v1/me', headers: {}, world: 'default', transport: 'http' }, alive?.status ?? 0, 'server no longer answers', alive?.text ?? '');

    resetRateLimits(app);
    const after = dumpWorld(runtime.db, DEFAULT_WORLD_ID);
    const unchanged = before === after;
    if (!unchanged) {
      const b = JSON.parse(before) as Record<string, unknown>;
      const a = JSON.parse(after) as Record<string, unknown>;
      const tables = Object.keys({ ...a, ...b }).filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]));
      fail({ kind: 'world', method: '-', url: '-', headers: {}, world: 'default', transport: 'inject' }, 0, `default world changed: ${tables.join(', ')}`, '');
    }
    return { seed, requests, byStatus, byProvider, routed, numberSweep: { sent: sweep.length, total: fullSweep.length }, failures, failureCount, defaultWorldUnchanged: unchanged, durationMs: Math.round(performance.now() - started) };
  } finally {
    await app.close();
  }
}
