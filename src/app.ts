import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { controlPlugin } from './control/index.js';
import { mountIndex } from './control/ui.js';
import { openDatabase } from './core/db.js';
import { defaultFixtures, FixturesError, parseFixturesFile, readFixturesFile, validateFixtures, watchFile } from './core/fixtures.js';
import { IdSource } from './core/ids.js';
import { loadSpec, type Spec } from './core/openapi.js';
import { HarRecorder } from './core/har.js';
import { OPENAPI_DIR, VERSION } from './core/paths.js';
import { operationMatcher } from './core/provider.js';
import { proxyPlugin } from './core/upstream.js';
import { Problem, problemToWire } from './core/problem.js';
import { sendWire } from './core/reply.js';
import { Faults } from './core/faults.js';
import { Journal } from './core/journal.js';
import { PushLog } from './core/pushes.js';
import type { Runtime } from './core/runtime.js';
import { listenUrl, normalizePublicUrl } from './core/base-url.js';
import { mountWebSockets } from './core/websocket.js';
import { DEFAULT_WORLD_ID, Worlds, type FixtureSet } from './core/worlds.js';
import { providers } from './providers/index.js';

export interface EmulatorOptions {
  /** SQLite database: `:memory:` (default) or a file path, kept across restarts. */
  db?: string;
  /** Fixtures of the default world: a file path or an object with one section per provider. Default: `fixtures/`. */
  fixtures?: string | FixtureSet;
  /**
   * Watch the `fixtures` file: each change re-seeds the default world (only it) and becomes the
   * `default` fixtures of new worlds. A file that does not load is logged and the old data kept.
   */
  watchFixtures?: boolean;
  /** Provider rate limiters (default on). */
  rateLimits?: boolean;
  /** Factor applied to every provider's documented request limits (default 1); the headers report the result. */
  rateLimitScale?: number;
  /** Pino log level (`fatal` … `trace`, or `silent`). Default `silent` for `buildApp`, `info` for the CLI. */
  logLevel?: string;
  /** Initial time of every world's clock (ISO string or epoch ms). Default: the real time. */
  now?: string | number;
  /** Start every world's clock frozen. */
  frozen?: boolean;
  /** Seed for deterministic ids and tokens. Default: random. */
  idSeed?: string | number;
  /** Check every provider response against its documented schema and collect violations (for tests). */
  validateResponses?: boolean;
  /** Entries kept in the request journal (default 1000; 0 turns it off). */
  journalSize?: number;
  /** Entries kept in the push log of realtime frames (default 1000; 0 keeps none). */
  pushLogSize?: number;
  /** Require `Authorization: Bearer <token>` on the control plane; without it only loopback callers may use it. */
  adminToken?: string;
  /**
   * Who may use the control plane without an admin token: `loopback` callers (default) or `any` caller
   * (a container reached through a published port). `/_emulator/health` answers everyone.
   */
  controlAccess?: 'loopback' | 'any';
  /** Request size and time limits (defaults: {@link DEFAULT_LIMITS}). */
  limits?: Partial<EmulatorLimits>;
  /**
   * Base URL clients reach the emulator at (behind Docker or a proxy), e.g. `https://emu.example`:
   * used for the URLs providers build (Rocket.Chat `avatarUrl`). Default: the address it listens on.
   */
  publicUrl?: string;
  /**
   * Providers to forward to a real server instead of emulating them: slug → base URL, e.g.
   * `{ rocketchat: 'https://chat.example.com' }`. The others stay emulated (README, Proxy and record).
   */
  upstream?: Record<string, string>;
  /** Append every proxied exchange to this HAR file, secrets redacted as the journal redacts them. */
  record?: string;
}

/** Size and time limits of the HTTP server. Bodies over `bodyLimit` answer 413 in the provider's format. */
export interface EmulatorLimits {
  /** Largest request body in bytes. */
  bodyLimit: number;
  /** Longest path parameter; a longer one matches no route (the provider's 404). */
  maxParamLength: number;
  /** Largest request head (request line + headers) in bytes; Node answers a bare 431 above it. */
  maxHeaderSize: number;
  /** Time allowed to receive the request head, in ms. */
  headersTimeout: number;
  /** Time allowed to receive a whole request, in ms (Node answers a bare 408). */
  requestTimeout: number;
  /** Idle socket timeout, in ms: longer than the longest injected fault delay (600 s). */
  connectionTimeout: number;
  /** How long an idle keep-alive connection stays open, in ms. */
  keepAliveTimeout: number;
  /** Time a provider's upstream (`upstream`) has to answer a forwarded request in full, in ms; then 504. */
  upstreamTimeout: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = {
  bodyLimit: 1024 * 1024,
  maxParamLength: 1024,
  maxHeaderSize: 16 * 1024,
  headersTimeout: 20_000,
  requestTimeout: 30_000,
  connectionTimeout: 630_000,
  keepAliveTimeout: 10_000,
  upstreamTimeout: 30_000,
};

const SLUGS = providers.map((p) => p.slug);

function unusedCompiler(): never {
  throw new Error('Fastify route schemas are not used: validation follows the OpenAPI specs');
}

const rerouted = new WeakSet<object>();

/** A path the router accepts: undecodable segments taken literally (`%` escaped), over-long ones cut. */
export function readableUrl(url: string, maxParamLength: number): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const segments = path.split('/').map((segment) => {
    let text = segment;
    try {
      decodeURIComponent(text);
    } catch {
      text = text.replace(/%/g, '%25');
    }
    return text.length > maxParamLength ? text.slice(0, maxParamLength).replace(/%[0-9A-Fa-f]?$/, '') : text;
  });
  return segments.join('/') + (queryAt === -1 ? '' : url.slice(queryAt));
}

const renderProblem = (req: FastifyRequest, reply: FastifyReply) =>
  sendWire(reply, problemToWire(new Problem(404, `Nothing at ${req.method} ${req.url.split('?')[0]}`)));

/**
 * Swagger UI and the spec files as written, at `/docs`. They live in an app of their own, built on
 * the first `/docs` request: loading @fastify/swagger-ui (and @fastify/static under it) and the
 * YAML support of @fastify/swagger would otherwise add about 30 ms to every start.
 */
function mountDocs(app: FastifyInstance, specs: Map<string, Spec>): void {
  let docs: Promise<FastifyInstance> | undefined;
  const build = async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
    const ui = Fastify({ logger: false });
    ui.setNotFoundHandler(renderProblem);
    ui.setErrorHandler((err, _req, reply) => sendWire(reply, problemToWire(err)));
    await ui.register(swagger, { mode: 'static', specification: { document: specs.get('rocketchat')!.document as never } });
    await ui.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { urls: [...SLUGS, 'emulator'].map((slug) => ({ name: specs.get(slug)!.document.info.title, url: `/docs/openapi/${slug}.yaml` })) },
    });
    for (const slug of [...SLUGS, 'emulator']) {
      const text = readFileSync(specs.get(slug)!.file, 'utf8');
      ui.get(`/docs/openapi/${slug}.yaml`, (_req, reply) => reply.type('application/yaml; charset=utf-8').send(text));
    }
    await ui.ready();
    return ui;
  };
  const forward = async (req: FastifyRequest, reply: FastifyReply) => {
    // A failed build is tried again on the next request.
    const ui = await (docs ??= build().catch((err: unknown) => {
      docs = undefined;
      throw err;
    }));
    reply.hijack();
    ui.routing(req.raw, reply.raw);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/docs', handler: forward });
  app.route({ method: ['GET', 'HEAD'], url: '/docs/*', handler: forward });
  app.addHook('onClose', async () => {
    await docs?.then((ui) => ui.close());
  });
}

async function loadSpecs(): Promise<Map<string, Spec>> {
  const specs = new Map<string, Spec>();
  for (const slug of [...SLUGS, 'emulator']) specs.set(slug, await loadSpec(slug, join(OPENAPI_DIR, `${slug}.yaml`)));
  return specs;
}

/**
 * Builds the emulator as a Fastify instance (not listening): every provider mounted from its
 * spec, the control plane at `/_emulator`, Swagger UI at `/docs`. Tests and the CLI both use it.
 */
export async function buildApp(options: EmulatorOptions = {}): Promise<FastifyInstance> {
  const startedAt = performance.now();
  const publicUrl = options.publicUrl === undefined ? undefined : normalizePublicUrl(options.publicUrl);
  if (options.publicUrl !== undefined && publicUrl === undefined) throw new TypeError(`invalid publicUrl "${options.publicUrl}": expected an absolute http or https URL`);
  if (options.watchFixtures && typeof options.fixtures !== 'string') throw new TypeError('watchFixtures needs fixtures as a file path');
  const upstreams = upstreamUrls(options.upstream ?? {});
  if (options.record !== undefined && upstreams.size === 0) throw new TypeError('record needs an upstream: only proxied exchanges are recorded');
  const specs = await loadSpecs();
  const fixtures =
    typeof options.fixtures === 'string'
      ? readFixturesFile(options.fixtures)
      : options.fixtures
        ? validateFixtures(options.fixtures, 'fixtures')
        : defaultFixtures(SLUGS);
  const db = openDatabase(options.db ?? ':memory:', providers.map((p) => p.schema));
  const ids = new IdSource(options.idSeed);
  const instances = providers.map((p) => p.create(db));
  const now = options.now === undefined ? undefined : typeof options.now === 'number' ? options.now : Date.parse(options.now);
  const worlds = new Worlds(db, ids, instances, { now, frozen: options.frozen }, (id) => (id === DEFAULT_WORLD_ID ? fixtures : {}));
  if (!worlds.get(DEFAULT_WORLD_ID)) {
    try {
      worlds.create(DEFAULT_WORLD_ID, 'default', fixtures);
    } catch (err) {
      db.close();
      throw new FixturesError(`fixtures could not be loaded: ${(err as Error).message}`);
    }
  }

  const runtime: Runtime = {
    db,
    ids,
    worlds,
    journal: new Journal(options.journalSize ?? 1000),
    faults: new Faults(ids),
    pushes: new PushLog(options.pushLogSize ?? 1000, ids),
    specs,
    defaultFixtures: fixtures,
    prefixes: providers.map((p) => [p.prefix, p.slug]),
    options: {
      rateLimits: options.rateLimits ?? true,
      rateLimitScale: options.rateLimitScale ?? 1,
      validateResponses: options.validateResponses ?? false,
      adminToken: options.adminToken,
      publicUrl,
      controlAccess: options.controlAccess ?? 'loopback',
    },
    contractViolations: [],
    mounted: [],
  };

  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const logLevel = options.logLevel ?? 'silent';
  const app = Fastify({
    // Silent means no logger at all: a silent pino still builds a child logger per request (~3 µs).
    logger: logLevel === 'silent' ? false : { level: logLevel, redact: ['req.headers.authorization', 'req.headers["x-auth-token"]'] },
    exposeHeadRoutes: false,
    // Requests are validated against the OpenAPI specs by the provider pipeline (src/core/openapi.ts),
    // never by Fastify route schemas: its own ajv and serializer compilers (~18 ms to load) stay unloaded.
    schemaController: { compilersFactory: { buildValidator: unusedCompiler, buildSerializer: unusedCompiler } },
    bodyLimit: limits.bodyLimit,
    routerOptions: { maxParamLength: limits.maxParamLength },
    requestTimeout: limits.requestTimeout,
    connectionTimeout: limits.connectionTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    // Node rejects a head over maxHeaderSize with a bare 431 before Fastify sees the request.
    http: { maxHeaderSize: limits.maxHeaderSize, headersTimeout: Math.min(limits.headersTimeout, limits.requestTimeout),
      // How often Node enforces those timeouts (default 30 s, coarser than the timeouts themselves).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeout) },
    // Node's parser refuses the request (head too large, malformed HTTP, timeout) before routing, so
    // no provider can answer: a bare status line as Node sends it, not Fastify's JSON shape.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || socket.destroyed) return;
      const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    },
    // The router refuses a path with bad percent-encoding or an over-long parameter before any
    // provider sees it, with Fastify's own body. Route it again, readable: the provider answers.
    frameworkErrors: (err, req, reply) => {
      const raw = req.raw;
      if (rerouted.has(raw)) return sendWire(reply, problemToWire(new Problem(400, `Invalid URL: ${err.message}`)));
      rerouted.add(raw);
      raw.url = readableUrl(raw.url ?? '/', limits.maxParamLength);
      app.routing(raw, reply.raw);
    },
  });
  app.decorate('emulator', runtime);
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('op', null);
  app.decorateRequest('faultId', null);
  app.addHook('onClose', () => db.close());
  app.addHook('onClose', () => runtime.pushes.stop());
  app.addHook('onListen', (done) => {
    runtime.listenUrl = listenUrl(app.server.address());
    done();
  });

  app.setNotFoundHandler(renderProblem);
  app.setErrorHandler((err, _req, reply) => sendWire(reply, problemToWire(err)));

  mountDocs(app, specs);
  mountIndex(app);

  const recorder = options.record === undefined ? undefined : new HarRecorder(options.record, VERSION);
  if (recorder) app.addHook('onClose', async () => recorder.close());
  for (const [i, provider] of providers.entries()) {
    const spec = specs.get(provider.slug)!;
    const site = instances[i].site;
    const base = upstreams.get(provider.slug);
    if (base) {
      const proxy = (scope: FastifyInstance) =>
        proxyPlugin(scope, {
          provider: provider.slug,
          base,
          timeoutMs: limits.upstreamTimeout,
          operation: operationMatcher(spec),
          upstreamError: (status, message) => instances[i].upstreamError(status, message, ids),
          recorder,
        });
      await app.register(proxy, { prefix: provider.prefix });
      if (site) await app.register(proxy, { prefix: site.prefix });
      continue;
    }
    await app.register((scope) => instances[i].plugin(scope, spec), { prefix: provider.prefix });
    if (site) await app.register(site.plugin, { prefix: site.prefix });
  }
  mountWebSockets(
    app,
    instances.flatMap((instance, i) => (instance.realtime && !upstreams.has(providers[i].slug) ? [instance.realtime(runtime)] : [])),
  );
  await app.register(controlPlugin, {
    prefix: '/_emulator',
    spec: specs.get('emulator')!,
    providers: providers.map((p, i) => ({ slug: p.slug, instance: instances[i] })),
    startedAt,
  });
  if (options.watchFixtures) {
    const file = options.fixtures as string;
    const stop = watchFile(file, (text) => {
      try {
        const next = parseFixturesFile(file, text);
        worlds.reseed(worlds.default, next);
        runtime.defaultFixtures = next;
        app.log.info({ fixtures: file }, 'fixtures file changed: the default world is re-seeded');
      } catch (err) {
        app.log.error({ fixtures: file, error: (err as Error).message }, 'fixtures file changed but does not load: the default world keeps its data');
      }
    });
    app.addHook('onClose', async () => stop());
  }
  await warmTickQueue();
  return app;
}

/** `upstream` checked: known provider slugs, absolute http(s) URLs. */
function upstreamUrls(upstream: Record<string, string>): Map<string, URL> {
  const out = new Map<string, URL>();
  for (const [slug, text] of Object.entries(upstream)) {
    if (!SLUGS.includes(slug)) throw new TypeError(`unknown provider "${slug}" in upstream: the providers are ${SLUGS.join(', ')}`);
    const url = normalizePublicUrl(text);
    if (url === undefined) throw new TypeError(`invalid upstream for ${slug} "${text}": expected an absolute http or https URL`);
    out.set(slug, new URL(url));
  }
  return out;
}

let tickQueueWarm = false;

/**
 * On Node 20 (V8 11.3) the tick objects `process.nextTick` builds (Node's HTTP stack schedules about
 * ten per request) often end up created through the V8 runtime under load: the literal's property
 * stores turn megamorphic, a state they never leave, as V8 keeps no polymorphic state for literal
 * stores. Such a process served 15–20 % fewer requests per second for its whole life. Ticks
 * scheduled in bulk before the first request leave those stores monomorphic (measured over many
 * processes; README, Performance). Measured again on Node 22 and 24 (`npm run bench:tick-queue`), it
 * still pays there, so it runs on every line. Once per process.
 */
async function warmTickQueue(): Promise<void> {
  if (tickQueueWarm) return;
  tickQueueWarm = true;
  const noop = () => {};
  for (let batch = 0; batch < 5; batch++) {
    for (let i = 0; i < 2000; i++) process.nextTick(noop);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
