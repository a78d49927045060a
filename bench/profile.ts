// `node --import @tapjs/typescript/import bench/profile.ts [info|sw|list|startjoin|bare] [--duration s]`:
// one case under `node --cpu-prof`, then the top functions by self time (the .cpuprofile is kept
// for Chrome DevTools).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, BENCH_ROOM, RC_CALL, RC_ROOM, SW_AUTH, SW_CONFERENCE, load, option, startServer, type LoadRequest, type ServerSpec } from './lib.js';

const which = process.argv[2] ?? 'info';
const info = `/api/v1/video-conference.info?callId=${RC_CALL}`;
const list = `/api/v1/video-conference.list?roomId=${BENCH_ROOM}&count=10`;
const json = { 'content-type': 'application/json' };
const CASES: Record<string, { server: ServerSpec; path: string; headers: Record<string, string>; requests: LoadRequest[] }> = {
  bare: { server: { kind: 'bare' }, path: '/bare', headers: {}, requests: [{ method: 'GET', path: '/bare' }] },
  info: { server: { kind: 'emulator' }, path: info, headers: ADMIN, requests: [{ method: 'GET', path: info, headers: ADMIN }] },
  sw: {
    server: { kind: 'emulator' },
    path: `/api/video/conferences/${SW_CONFERENCE}`,
    headers: SW_AUTH,
    requests: [{ method: 'GET', path: `/api/video/conferences/${SW_CONFERENCE}`, headers: SW_AUTH }],
  },
  list: { server: { kind: 'emulator', roomCalls: 100_000 }, path: list, headers: ADMIN, requests: [{ method: 'GET', path: list, headers: ADMIN }] },
  startjoin: {
    server: { kind: 'emulator' },
    path: info,
    headers: ADMIN,
    requests: [
      { method: 'POST', path: '/api/v1/video-conference.start', headers: { ...ADMIN, ...json }, body: JSON.stringify({ roomId: RC_ROOM }), captureCallId: true },
      { method: 'POST', path: '/api/v1/video-conference.join', headers: { ...ADMIN, ...json }, body: JSON.stringify({ callId: '{{callId}}' }) },
    ],
  },
};

const c = CASES[which];
const dir = mkdtempSync(join(tmpdir(), 'vconf-prof-'));
const server = await startServer(c.server, { path: c.path, headers: c.headers }, ['--cpu-prof', '--cpu-prof-dir', dir]);
const result = await load({ url: server.url, duration: Number(option('duration') ?? 6), requests: c.requests });
await server.close();
console.log(`${which}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const self = new Map<number, number>();
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
const total = profile.samples.length;
if (process.argv.includes('--by-file')) {
  const byFile = new Map<string, number>();
  for (const [key, n] of byFunction) {
    const where = key.slice(key.indexOf(' ') + 1).replace(/:\d+$/, '');
    const bucket = where.startsWith('node:') ? 'node internals' : where.includes('/') ? where : `${key.split(' ')[0]} (native)`;
    byFile.set(bucket, (byFile.get(bucket) ?? 0) + n);
  }
  for (const [key, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
}
console.log(`profile: ${file}`);
for (const [key, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(option('top') ?? 40))) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
}
