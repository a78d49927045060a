// The load generator: autocannon in a process of its own, plain JavaScript like bench/server.js.
// In the TypeScript-loaded bench process its scavenges took about 0.9 ms against about 0.6 ms here,
// and each of its pauses is added to the measured latency of every request in flight.
// Usage: node bench/loadgen.js '<options json>'   (spawned by `load` in bench/lib.ts with an IPC channel)
//   { url, connections, duration | amount, warmup?, headers?, requests }
// Requests are autocannon's, JSON only. A request with `"captureCallId": true` keeps its response's
// `data.callId` for the connection; the JSON string "{{callId}}" in a later request's body is replaced by it.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);

const requests = opts.requests.map(({ captureCallId, ...req }) => {
  const out = { ...req };
  if (captureCallId) {
    // A failed start leaves the connection without a call: its status counts in non2xx.
    out.onResponse = (status, body, context) => {
      try {
        context.callId = status >= 200 && status < 300 ? JSON.parse(body)?.data?.callId : undefined;
      } catch {
        context.callId = undefined;
      }
    };
  }
  if (typeof req.body === 'string' && req.body.includes('{{callId}}')) {
    out.setupRequest = (r, context) => ({ ...r, body: req.body.replaceAll('"{{callId}}"', () => JSON.stringify(context.callId ?? null)) });
  }
  return out;
});

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Latency percentiles come from every response's own duration: autocannon's histogram has
// whole-millisecond resolution, too coarse for a 2 ms target.
async function run(length) {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let non2xx = 0;
  const instance = autocannon({ url: opts.url, connections: opts.connections, headers: opts.headers, requests, ...length });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode < 200 || statusCode >= 300) non2xx++;
    if (n === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[n++] = ms;
  });
  const started = performance.now();
  const result = await instance;
  // autocannon's own duration is in whole seconds: too coarse for a run of a fixed request count.
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, n).sort();
  return {
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx,
    errors: result.errors + result.timeouts,
  };
}

if (opts.warmup) await run({ duration: opts.warmup });
const result = await run(opts.amount ? { amount: opts.amount } : { duration: opts.duration });
process.send(result, () => process.disconnect());
