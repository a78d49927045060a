// `npm run soak [-- --minutes N]` (default 10): steady read load on one emulator (journal on, rate
// limits off) in a child process, RSS sampled every 10 s. Growth is measured from the first sample
// after a warm-up (a tenth of the run, at most one minute) to the end; the target is < 10 %.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ADMIN, DT_APP, DT_CONFERENCE, RC_CALL, SW_AUTH, SW_CONFERENCE, load, mb, option, startServer } from './lib.js';

const MINUTES = Number(option('minutes') ?? 10);
const CHUNK_S = 10;
const RESULTS = new URL('RESULTS.md', import.meta.url).pathname;

const info = `/api/v1/video-conference.info?callId=${RC_CALL}`;
const server = await startServer({ kind: 'emulator', rateLimits: false }, { path: info, headers: ADMIN });
try {
  const res = await fetch(`${server.url}/v1.0/oauth2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DT_APP) });
  const { accessToken } = (await res.json()) as { accessToken: string };
  const requests = [
    { method: 'GET' as const, path: info, headers: ADMIN },
    { method: 'GET' as const, path: `/api/video/conferences/${SW_CONFERENCE}`, headers: SW_AUTH },
    { method: 'GET' as const, path: `/v1.0/conference/videoConferences/${DT_CONFERENCE}`, headers: { 'x-acs-dingtalk-access-token': accessToken } },
  ];
  const startRss = mb(await server.rss());
  const chunks = Math.max(1, Math.round((MINUTES * 60) / CHUNK_S));
  const warmupChunks = Math.max(1, Math.min(6, Math.round(chunks / 10)));
  const samples: { t: number; rss: number; rps: number }[] = [];
  let total = 0;
  let failures = 0;
  for (let i = 0; i < chunks; i++) {
    const result = await load({ url: server.url, connections: 50, duration: CHUNK_S, requests });
    total += result.requests;
    failures += result.non2xx + result.errors;
    samples.push({ t: (i + 1) * CHUNK_S, rss: mb(await server.rss()), rps: result.rps });
    if ((i + 1) % 6 === 0 || i === chunks - 1) {
      const s = samples[samples.length - 1];
      console.log(`${s.t} s: RSS ${s.rss.toFixed(1)} MB, ${s.rps.toFixed(0)} req/s`);
    }
  }
  const baseline = samples[warmupChunks - 1].rss;
  const final = samples[samples.length - 1].rss;
  const peak = Math.max(...samples.map((s) => s.rss));
  const growth = ((final - baseline) / baseline) * 100;
  const summary = [
    `${MINUTES} min of steady load (Rocket.Chat info, SignalWire get, DingTalk query info in turn; 50 connections; journal on; rate limits off), ${total.toLocaleString('en')} requests, ${failures} non-2xx/errors.`,
    '',
    `| RSS after start | after warm-up (${samples[warmupChunks - 1].t} s) | peak | end | growth warm-up → end |`,
    '|---:|---:|---:|---:|---:|',
    `| ${startRss.toFixed(1)} MB | ${baseline.toFixed(1)} MB | ${peak.toFixed(1)} MB | ${final.toFixed(1)} MB | ${growth.toFixed(1)} % (target < 10 %) ${growth < 10 ? 'PASS' : 'FAIL'} |`,
  ].join('\n');
  console.log(`\n${summary}`);
  if (!process.argv.includes('--no-write')) {
    const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
    const sockets = /\n## Sockets[\s\S]*$/.exec(previous)?.[0] ?? '';
    const head = previous.replace(/\n## (Soak|Sockets)[\s\S]*$/, '').trimEnd();
    writeFileSync(RESULTS, `${head}\n\n## Soak\n\nWritten by \`npm run soak -- --minutes ${MINUTES}\` on ${new Date().toISOString().slice(0, 10)}.\n\n${summary}\n${sockets}`);
  }
} finally {
  await server.close();
}
