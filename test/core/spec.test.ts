import { readdirSync } from 'node:fs';
import t from 'tap';
import Fastify from 'fastify';
import { build, call } from '../helper.js';
import { loadSpec } from '../../src/core/openapi.js';
import { mountOperations } from '../../src/core/provider.js';
import { sendWire } from '../../src/core/reply.js';
import { errors, toWire } from '../../src/providers/rocketchat/errors.js';
import type { Runtime } from '../../src/core/runtime.js';

t.test('every operation of every spec is mounted and implemented', async (t) => {
  const app = await build(t);
  const specFiles = readdirSync(new URL('../../openapi/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
  t.same([...app.emulator.specs.keys()].sort(), specFiles.map((f) => f.replace('.yaml', '')).sort(), 'every spec file is loaded');
  let operations = 0;
  for (const spec of app.emulator.specs.values()) {
    for (const op of spec.operations) {
      operations++;
      const mounted = app.emulator.mounted.find((m) => m.provider === spec.provider && m.operationId === op.operationId);
      t.ok(mounted?.implemented, `${spec.provider} ${op.operationId} has a handler`);
      t.ok(app.hasRoute({ method: op.method, url: op.url }), `${op.method} ${op.path} is routed`);
    }
  }
  t.equal(app.emulator.mounted.length, operations, 'nothing mounted that no spec documents');
});

t.test('an operation without a handler answers 501 in the provider format, naming it', async (t) => {
  const full = await loadSpec('rocketchat', new URL('../../openapi/rocketchat.yaml', import.meta.url).pathname);
  // `/api/info` is mounted at a prefix of its own.
  const spec = { ...full, operations: full.operations.filter((op) => op.path.startsWith('/api/v1/')) };
  const app = Fastify();
  const runtime = { options: { rateLimits: false, validateResponses: false }, mounted: [], faults: { size: 0 } } as unknown as Runtime;
  app.decorate('emulator', runtime);
  await app.register(
    async (scope) => {
      scope.setErrorHandler((err, _req, reply) => sendWire(reply, toWire(err)));
      mountOperations(scope, spec, '/api/v1', {}, {
        authenticate: (req) => {
          req.ctx = { world: undefined as never, principal: undefined };
        },
        validationError: (_part, errs) => errors.validation(errs[0].message ?? ''),
        notImplemented: (op) => errors.notImplemented(op.operationId),
      });
    },
    { prefix: '/api/v1' },
  );
  t.teardown(() => app.close());
  const res = await call(app, { method: 'GET', url: '/api/v1/video-conference.providers' });
  t.same([res.status, res.body], [
    501,
    { success: false, error: 'The operation get-api-v1-video-conference.providers is not implemented by the emulator [error-not-implemented]' },
  ]);
  t.same(runtime.mounted.filter((m) => m.implemented), []);
});

t.test('the build ships standalone request validators; a changed YAML is read and compiled again, with the same answers', async (t) => {
  const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const original = new URL('../../openapi/rocketchat.yaml', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'vconf-spec-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const changed = join(dir, 'rocketchat.yaml');
  writeFileSync(changed, `${readFileSync(original, 'utf8')}\n# changed after the build\n`);
  const built = await loadSpec('rocketchat', original);
  const fresh = await loadSpec('rocketchat', changed);
  const list = (spec: typeof built) => spec.operations.find((op) => op.operationId === 'get-api-v1-video-conference.list')!.validator('query')!;
  t.not(list(built), list(fresh), 'two different validators');
  t.match(list(built).toString(), /^function validate\d+\(data, \{instancePath=""/, 'the built one is standalone code');
  for (const input of [{}, { roomId: 'r', count: '5' }, { roomId: 'r', count: 'five' }, { roomId: 'r', extra: '1' }]) {
    const a = { ...input };
    const b = { ...input };
    const [okA, okB] = [list(built)(a), list(fresh)(b)];
    t.same([okA, list(built).errors ?? null, a], [okB, list(fresh).errors ?? null, b], JSON.stringify(input));
  }
  const coerced: Record<string, unknown> = { roomId: 'r', count: '5' };
  list(built)(coerced);
  t.same(coerced, { roomId: 'r', count: 5 }, 'parameters are coerced to their documented types');
});
