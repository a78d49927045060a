import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz/harness.js';

// npm run fuzz [-- --seed 1 --count 100000 --http 2000]: bad requests against every operation, control plane included.
const { values } = parseArgs({ options: { seed: { type: 'string' }, count: { type: 'string' }, http: { type: 'string' } } });
const seed = Number(values.seed ?? 1);
const count = Number(values.count ?? 100_000);
const summary = await runFuzz({
  seed,
  count,
  httpCount: values.http === undefined ? undefined : Number(values.http),
  onProgress: (n) => process.stderr.write(`  ${n} requests…\n`),
});
const statuses = Object.entries(summary.byStatus)
  .sort(([a], [b]) => Number(a) - Number(b))
  .map(([s, n]) => `${s === '0' ? 'no answer' : s}: ${n}`)
  .join(', ');
process.stdout.write(
  [
    `fuzz seed ${summary.seed}: ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s (${summary.routed} routed to an operation)`,
    `by status: ${statuses}`,
    `by provider: ${Object.entries(summary.byProvider).map(([p, n]) => `${p} ${n}`).join(', ')} (emulator: the control plane)`,
    `number sweep: ${summary.numberSweep.sent} of ${summary.numberSweep.total} (every nasty number in every numeric field of every operation)`,
    `default world unchanged: ${summary.defaultWorldUnchanged}`,
    `failures: ${summary.failureCount}`,
    ...summary.failures.map((f) => `  ${f.kind} ${f.method} ${f.url} -> ${f.status}: ${f.problem}\n    body: ${f.body}${f.payload ? `\n    sent: ${f.payload.slice(0, 200)}` : ''}`),
    '',
  ].join('\n'),
);
process.exitCode = summary.failureCount === 0 ? 0 : 1;
