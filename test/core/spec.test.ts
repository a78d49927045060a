import { readdirSync } from 'node:fs';
import t from 'tap';
import Fastify from 'fastify';
import { build, call } from '../helper.js';
import { loadSpec } from '../../src/core/openapi.js';
import { mountOperations, sendWire } from '../../src/core/provider.js';
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
  const spec = await loadSpec('rocketchat', new URL('../../openapi/rocketchat.yaml', import.meta.url).pathname);
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
