import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FixturesError, validateFixtures } from '../core/fixtures.js';
import type { JournalFilter } from '../core/journal.js';
import type { PushFilter, PushState } from '../core/pushes.js';
import type { Spec } from '../core/openapi.js';
import { VERSION } from '../core/paths.js';
import { Problem, problemToWire } from '../core/problem.js';
import { mountOperations, type HandlerContext, type Handlers } from '../core/provider.js';
import { sendWire } from '../core/reply.js';
import { requestedWorld } from '../core/request.js';
import { logStreams } from './stream.js';
import { mountUi } from './ui.js';
import { DEFAULT_WORLD_ID, type FixtureSet, type World } from '../core/worlds.js';
import type { ProviderInstance } from '../providers/types.js';

export interface ControlOptions {
  spec: Spec;
  providers: { slug: string; instance: ProviderInstance }[];
  startedAt: number;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The control plane under `/_emulator` (openapi/emulator.yaml). Provider-specific scenario
 * actions come from the providers themselves (`scenarios`), so this plugin stays neutral.
 */
export async function controlPlugin(app: FastifyInstance, opts: ControlOptions): Promise<void> {
  const runtime = app.emulator;
  const { worlds, journal, faults, pushes } = runtime;

  app.setErrorHandler((err, _req, reply) => sendWire(reply, problemToWire(err)));
  app.setNotFoundHandler((req, reply) => sendWire(reply, problemToWire(new Problem(404, `No control operation ${req.method} ${req.url.split('?')[0]}`))));

  // Health answers everyone (probes, the image's HEALTHCHECK): it tells nothing secret. The rest needs
  // the admin token when one is set, else a loopback caller unless controlAccess is 'any'.
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.routeOptions.url === '/_emulator/health') return done();
    const { adminToken: token, controlAccess } = runtime.options;
    if (token) {
      const header = req.headers.authorization ?? '';
      // The dashboard's own files hold no secret: the page loads, then asks for the token.
      if (req.routeOptions.config.page) return done();
      if (!header.startsWith('Bearer ') || !sameSecret(header.slice(7), token)) {
        return done(new Problem(401, 'The control plane needs Authorization: Bearer <admin token>'));
      }
    } else if (controlAccess !== 'any' && !isLoopback(req.socket.remoteAddress)) {
      return done(new Problem(403, 'The control plane answers loopback callers only; start the emulator with --control-access any or --admin-token to open it'));
    }
    done();
  });

  const worldById = (id: string): World => {
    const world = worlds.get(id);
    if (!world) throw new Problem(404, `No world ${id}`);
    return world;
  };

  const details = (world: World) => {
    const credentials: Record<string, unknown> = {};
    for (const { slug, instance } of opts.providers) credentials[slug] = instance.credentials?.(world.fixtures[slug]) ?? {};
    return { id: world.id, name: world.name, credentials, clock: world.clock.state() };
  };

  const changeClock = (world: World, body: { advanceMs?: number; now?: string; frozen?: boolean }) => {
    if (body.now !== undefined) world.clock.set(Date.parse(body.now));
    if (body.advanceMs !== undefined) world.clock.advance(body.advanceMs);
    if (body.frozen !== undefined) world.clock.freeze(body.frozen);
    return world.clock.state();
  };

  const journalFilter = (ctx: HandlerContext): JournalFilter => {
    const q = ctx.query as { provider?: string; operationId?: string; status?: number; world?: string; since?: string; limit?: number };
    return { provider: q.provider, operationId: q.operationId, status: q.status, world: q.world, since: q.since === undefined ? undefined : Date.parse(q.since), limit: q.limit };
  };

  const pushFilter = (ctx: HandlerContext): PushFilter => {
    const q = ctx.query as Omit<PushFilter, 'since' | 'state'> & { since?: string; state?: PushState | 'delivered' };
    return {
      world: q.world,
      provider: q.provider,
      connection: q.connection,
      subject: q.subject,
      channel: q.channel,
      event: q.event,
      callId: q.callId,
      state: q.state === 'delivered' ? ['sent', 'acked'] : q.state,
      after: q.after,
      since: q.since === undefined ? undefined : Date.parse(q.since),
      limit: q.limit,
    };
  };

  const knownProvider = (slug: string | undefined, path: string) => {
    if (slug !== undefined && !opts.providers.some((p) => p.slug === slug)) {
      throw new Problem(400, `Unknown provider ${slug}`, [{ path, message: `must be one of ${opts.providers.map((p) => p.slug).join(', ')}` }]);
    }
  };

  const noContent = (ctx: HandlerContext) => {
    ctx.reply.code(204);
    return undefined;
  };

  mountUi(app);
  const stream = logStreams(runtime, pushFilter);
  app.addHook('preClose', (done) => {
    stream.closeAll();
    done();
  });

  const scenarios: Handlers = {};
  for (const { instance } of opts.providers) Object.assign(scenarios, instance.scenarios, instance.inspect);

  const handlers: Handlers = {
    getHealth: () => ({
      status: 'ok',
      version: VERSION,
      providers: opts.providers.map((p) => p.slug),
      uptimeMs: Math.max(0, Math.round(performance.now() - opts.startedAt)),
    }),
    resetAll: (ctx) => {
      for (const world of worlds.list()) worlds.reset(world);
      journal.clear();
      faults.clear();
      pushes.clear();
      pushes.clearFaults();
      return noContent(ctx);
    },
    getClock: (ctx) => ctx.world.clock.state(),
    setClock: (ctx) => changeClock(ctx.world, ctx.body),

    listWorlds: () => ({ worlds: worlds.list().map((w) => ({ id: w.id, name: w.name })) }),
    createWorld: (ctx) => {
      const body = (ctx.body ?? {}) as { name?: string; fixtures?: 'default' | 'empty' | FixtureSet };
      let base: FixtureSet;
      if (body.fixtures === undefined || body.fixtures === 'default') base = runtime.defaultFixtures;
      else if (body.fixtures === 'empty') base = {};
      else {
        try {
          base = validateFixtures(body.fixtures, 'fixtures');
        } catch (err) {
          if (err instanceof FixturesError) throw new Problem(400, 'Invalid fixtures', err.problems);
          throw err;
        }
      }
      const fixtures: FixtureSet = {};
      for (const { slug, instance } of opts.providers) {
        if (base[slug] !== undefined) fixtures[slug] = instance.withFreshCredentials ? instance.withFreshCredentials(base[slug], runtime.ids) : base[slug];
      }
      const id = runtime.ids.uuid();
      let world: World;
      try {
        world = worlds.create(id, body.name ?? id, fixtures);
      } catch (err) {
        throw new Problem(400, `The fixtures could not be loaded: ${(err as Error).message}`);
      }
      ctx.reply.code(201);
      return details(world);
    },
    getWorld: (ctx) => details(worldById(ctx.params.worldId)),
    deleteWorld: (ctx) => {
      const world = worldById(ctx.params.worldId);
      if (world.id === DEFAULT_WORLD_ID) throw new Problem(409, 'The default world always exists; reset it instead');
      worlds.delete(world);
      return noContent(ctx);
    },
    resetWorld: (ctx) => {
      worlds.reset(worldById(ctx.params.worldId));
      return noContent(ctx);
    },
    getWorldClock: (ctx) => worldById(ctx.params.worldId).clock.state(),
    setWorldClock: (ctx) => changeClock(worldById(ctx.params.worldId), ctx.body),

    listRequests: (ctx) => ({ requests: journal.query(journalFilter(ctx)).map(({ timeMs: _t, ...entry }) => entry) }),
    streamRequests: stream.streamRequests,
    countRequests: (ctx) => ({ count: journal.count(journalFilter(ctx)) }),
    clearRequests: (ctx) => {
      journal.clear();
      return noContent(ctx);
    },

    listPushes: (ctx) => ({ pushes: pushes.query(pushFilter(ctx)) }),
    streamPushes: stream.streamPushes,
    waitPush: async (ctx) => {
      const timeoutMs = (ctx.query as { timeoutMs?: number }).timeoutMs ?? 5000;
      const abort = new AbortController();
      const onClose = () => abort.abort();
      ctx.reply.raw.on('close', onClose);
      const push = await pushes.waitFor(pushFilter(ctx), timeoutMs, abort.signal);
      ctx.reply.raw.off('close', onClose);
      if (!push) throw new Problem(408, `No matching push within ${timeoutMs} ms`);
      return { push };
    },
    clearPushes: (ctx) => {
      pushes.clear();
      return noContent(ctx);
    },
    listPushFaults: () => ({ faults: pushes.faults() }),
    createPushFault: (ctx) => {
      const body = ctx.body as Parameters<typeof pushes.addFault>[0];
      const match = body.match ?? {};
      knownProvider(match.provider, 'body/match/provider');
      ctx.reply.code(201);
      return { id: pushes.addFault({ match, action: body.action, times: body.times, probability: body.probability }).id };
    },
    clearPushFaults: (ctx) => {
      pushes.clearFaults();
      return noContent(ctx);
    },
    deletePushFault: (ctx) => {
      if (!pushes.removeFault(ctx.params.faultId)) throw new Problem(404, `No push fault ${ctx.params.faultId}`);
      return noContent(ctx);
    },

    listFaults: () => ({ faults: faults.list() }),
    createFault: (ctx) => {
      const body = ctx.body as Parameters<typeof faults.add>[0];
      const match = body.match ?? {};
      const provider = match.provider === undefined ? undefined : opts.providers.find((p) => p.slug === match.provider);
      if (match.provider !== undefined && !provider) {
        throw new Problem(400, `Unknown provider ${match.provider}`, [{ path: 'body/match/provider', message: `must be one of ${opts.providers.map((p) => p.slug).join(', ')}` }]);
      }
      if (body.action.code !== undefined) {
        if (!provider) throw new Problem(400, 'A fault code needs match.provider', [{ path: 'body/match/provider', message: 'is required with action.code' }]);
        const codes = provider.instance.faultCodes ?? [];
        if (!codes.includes(body.action.code)) {
          throw new Problem(400, `Unknown ${provider.slug} error code ${body.action.code}`, [{ path: 'body/action/code', message: `must be one of ${codes.join(', ')}` }]);
        }
      }
      ctx.reply.code(201);
      return { id: faults.add({ match, action: body.action, times: body.times, probability: body.probability }).id };
    },
    clearFaults: (ctx) => {
      faults.clear();
      return noContent(ctx);
    },
    deleteFault: (ctx) => {
      if (!faults.remove(ctx.params.faultId)) throw new Problem(404, `No fault ${ctx.params.faultId}`);
      return noContent(ctx);
    },
    ...scenarios,
  };

  mountOperations(app, opts.spec, '/_emulator', handlers, {
    authenticate(req: FastifyRequest) {
      const world = requestedWorld(req);
      if (!world) throw new Problem(404, `No world ${String(req.headers['x-emulator-world'])}`);
      req.ctx = { world, principal: undefined };
    },
    validationError: (part, errs) =>
      new Problem(
        400,
        `Invalid ${part}`,
        errs.map((e) => ({ path: `${part}${e.instancePath}`, message: e.message ?? 'is invalid' })),
      ),
    notImplemented: (op) => new Problem(501, `${op.operationId} is not implemented`),
  });
}
