import { test } from 'tap';
import { runFuzz } from '../scripts/fuzz/harness.js';

// A 5,000-request slice of `npm run fuzz` (same generator, seed 1): no crash, no 5xx, every answer in
// its provider's documented shape, never Fastify's default error body nor internal error text, the
// default world untouched; the control plane too, and a number sweep of every numeric field.
test('5,000 generated bad requests', async (t) => {
  const summary = await runFuzz({ seed: 1, count: 5000, httpCount: 150 });
  t.equal(summary.requests, 5000, 'every request answered or accounted for');
  t.ok(summary.routed > 3000, `most requests reach an operation (${summary.routed})`);
  t.ok(summary.byStatus['413'] > 0 && summary.byStatus['431'] > 0, 'oversized bodies and heads are covered');
  t.ok(summary.byProvider.emulator > 500, `the control plane is covered (${summary.byProvider.emulator})`);
  t.ok(summary.numberSweep.sent * 2 >= summary.numberSweep.total, `at least half the number sweep runs (${summary.numberSweep.sent} of ${summary.numberSweep.total})`);
  t.notOk(Object.keys(summary.byStatus).some((s) => Number(s) >= 500), 'no 5xx');
  t.ok(summary.defaultWorldUnchanged, 'the default world is unchanged');
  t.same(summary.failures, [], `no failures (${summary.failureCount})`);
});
