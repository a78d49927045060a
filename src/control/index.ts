import type { FastifyInstance } from 'fastify';
import { ROOT } from '../core/paths.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../core/openapi.js';
import { mountOperations, requestedWorld, sendWire, type Handlers } from '../core/provider.js';
import { Problem, problemToWire } from '../core/problem.js';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/**
 * The control plane under `/_emulator` (openapi/emulator.yaml). Provider-specific scenario
 * actions come from the providers themselves (`scenarios`), so this plugin stays neutral.
 */
export async function controlPlugin(app: FastifyInstance, opts: { spec: Spec; scenarios: Handlers; startedAt: number }): Promise<void> {
  const runtime = app.emulator;

  app.setErrorHandler((err, _req, reply) => sendWire(reply, problemToWire(err)));
  app.setNotFoundHandler((req, reply) => sendWire(reply, problemToWire(new Problem(404, `No control operation ${req.method} ${req.url.split('?')[0]}`))));

  const handlers: Handlers = {
    getHealth: () => ({
      status: 'ok',
      version: VERSION,
      providers: [...runtime.specs.keys()].filter((slug) => slug !== 'emulator'),
      uptimeMs: Math.max(0, Math.round(performance.now() - opts.startedAt)),
    }),
    resetAll: (ctx) => {
      for (const world of runtime.worlds.list()) runtime.worlds.reset(world);
      ctx.reply.code(204);
      return undefined;
    },
    getClock: (ctx) => ctx.world.clock.state(),
    setClock: (ctx) => {
      const { advanceMs, now, frozen } = ctx.body as { advanceMs?: number; now?: string; frozen?: boolean };
      if (now !== undefined) ctx.world.clock.set(Date.parse(now));
      if (advanceMs !== undefined) ctx.world.clock.advance(advanceMs);
      if (frozen !== undefined) ctx.world.clock.freeze(frozen);
      return ctx.world.clock.state();
    },
    ...opts.scenarios,
  };

  mountOperations(app, opts.spec, '/_emulator', handlers, {
    authenticate(req) {
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
