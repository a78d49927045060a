// `npm run bench`: every case against servers of its own (bench/server.js, child processes), ratios
// against the bare Fastify baseline of the same run; the last case is 1M requests for RSS (`--quick`
// leaves it out). `--duration <s>` changes the length of each measured run (default 5), `--rounds <n>`
// the paired rounds (default 5); `--only <text>` keeps the cases whose name contains it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN,
  BENCH_ROOM,
  DT_APP,
  DT_CONFERENCE,
  RC_CALL,
  RC_ROOM,
  SW_AUTH,
  SW_CONFERENCE,
  cliStartup,
  flag,
  load,
  mb,
  NODE_FLAGS,
  option,
  startServer,
  warmClient,
  type LoadRequest,
  type LoadResult,
  type Probe,
  type RunningServer,
  type ServerSpec,
} from './lib.js';

const DURATION = Number(option('duration') ?? 5);
const WARMUP = 2;
const CONNECTIONS = 50;
const RESULTS = new URL('RESULTS.md', import.meta.url).pathname;

interface Case {
  name: string;
  note?: string;
  server: ServerSpec;
  probe: Probe;
  /** Per-run setup against the started server (e.g. a DingTalk access token). */
  prepare?: (server: RunningServer) => Promise<Record<string, string>>;
  requests: (extra: Record<string, string>) => LoadRequest[];
  amount?: number;
  /** `logging`: paired with the silent Rocket.Chat GET case (req/s ratio), target ≥ 0.85. */
  target?: 'get' | 'list' | 'long' | 'logging';
}

const get = (path: string, headers: Record<string, string>): LoadRequest => ({ method: 'GET', path, headers });
const rcInfo = `/api/v1/video-conference.info?callId=${RC_CALL}`;
const listOf = (rid: string) => `/api/v1/video-conference.list?roomId=${rid}&count=10`;
const json = { 'content-type': 'application/json' };

async function dingTalkToken(server: RunningServer): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/v1.0/oauth2/accessToken`, { method: 'POST', headers: json, body: JSON.stringify(DT_APP) });
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { 'x-acs-dingtalk-access-token': accessToken };
}

/** The fixtures' completed recording (fixtures/signalwire.json). */
const SW_RECORDING = '6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170';

async function signalWireRoom(server: RunningServer): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/api/video/rooms`, { method: 'POST', headers: { ...SW_AUTH, ...json }, body: JSON.stringify({ name: 'bench_room' }) });
  const { id } = (await res.json()) as { id: string };
  return { room: id };
}

async function signalWireLog(server: RunningServer): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/api/video/logs`, { headers: SW_AUTH });
  const { data } = (await res.json()) as { data: { id: string }[] };
  return { log: data[0].id };
}

// The conference API's GETs beyond queryConferenceInfo, against the default fixtures' started meeting.
const DT_GETS = [
  '/v1.0/conference/users/lists?unionId=unionid-host-0001iEiE',
  '/v1.0/conference/orgConferences?maxResults=20',
  '/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978/infos',
  '/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978/details',
  '/v1.0/conference/videoConferences/histories/dataLists?realData=true',
  '/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978/minutes/meetingResult?unionId=unionid-host-0001iEiE',
  '/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978/metricDatas?unionId=unionid-host-0001iEiE&beginTime=1769904000000&endTime=1769904060000',
];

const startJoin = (): LoadRequest[] => [
  { method: 'POST', path: '/api/v1/video-conference.start', headers: { ...ADMIN, ...json }, body: JSON.stringify({ roomId: RC_ROOM, title: 'bench' }), captureCallId: true },
  { method: 'POST', path: '/api/v1/video-conference.join', headers: { ...ADMIN, ...json }, body: JSON.stringify({ callId: '{{callId}}', state: { mic: true, cam: false } }) },
];

function cases(tmp: string): Case[] {
  const all: Case[] = [
    { name: BARE, server: { kind: 'bare' }, probe: { path: '/bare' }, requests: () => [get('/bare', {})] },
    {
      name: 'Rocket.Chat video-conference.info (admin)',
      note: 'rate limits on; admin bypasses them',
      server: { kind: 'emulator' },
      probe: { path: rcInfo, headers: ADMIN },
      requests: () => [get(rcInfo, ADMIN)],
      target: 'get',
    },
    {
      name: 'Rocket.Chat video-conference.info (admin), journal off',
      note: 'journalSize: 0, for comparison: what the journal costs',
      server: { kind: 'emulator', journalSize: 0 },
      probe: { path: rcInfo, headers: ADMIN },
      requests: () => [get(rcInfo, ADMIN)],
      target: 'get',
    },
    {
      name: 'Rocket.Chat video-conference.info (admin), default logging (JSON)',
      note: 'the CLI default off a terminal: level info, a JSON line per request, stdout to a file',
      server: { kind: 'emulator', logging: 'json' },
      probe: { path: rcInfo, headers: ADMIN },
      requests: () => [get(rcInfo, ADMIN)],
      target: 'logging',
    },
    {
      name: 'Rocket.Chat video-conference.info (admin), default logging (pretty)',
      note: 'the CLI default on a terminal: level info, a readable line per request, stdout to a file',
      server: { kind: 'emulator', logging: 'pretty' },
      probe: { path: rcInfo, headers: ADMIN },
      requests: () => [get(rcInfo, ADMIN)],
      target: 'logging',
    },
    {
      name: 'SignalWire get conference',
      note: 'rate limits on; GETs are never counted',
      server: { kind: 'emulator' },
      probe: { path: `/api/video/conferences/${SW_CONFERENCE}`, headers: SW_AUTH },
      requests: () => [get(`/api/video/conferences/${SW_CONFERENCE}`, SW_AUTH)],
      target: 'get',
    },
    {
      name: 'SignalWire get room',
      note: 'a room created before the run',
      server: { kind: 'emulator' },
      probe: { path: `/api/video/conferences/${SW_CONFERENCE}`, headers: SW_AUTH },
      prepare: signalWireRoom,
      requests: ({ room }) => [get(`/api/video/rooms/${room}`, SW_AUTH)],
      target: 'get',
    },
    {
      name: 'SignalWire get room by name',
      server: { kind: 'emulator' },
      probe: { path: `/api/video/conferences/${SW_CONFERENCE}`, headers: SW_AUTH },
      prepare: signalWireRoom,
      requests: () => [get('/api/video/rooms/bench_room', SW_AUTH)],
      target: 'get',
    },
    {
      name: 'SignalWire get room recording',
      note: 'a fresh signed uri per request',
      server: { kind: 'emulator' },
      probe: { path: `/api/video/room_recordings/${SW_RECORDING}`, headers: SW_AUTH },
      requests: () => [get(`/api/video/room_recordings/${SW_RECORDING}`, SW_AUTH)],
      target: 'get',
    },
    {
      name: 'SignalWire get log',
      server: { kind: 'emulator' },
      probe: { path: '/api/video/logs', headers: SW_AUTH },
      prepare: signalWireLog,
      requests: ({ log }) => [get(`/api/video/logs/${log}`, SW_AUTH)],
      target: 'get',
    },
    {
      name: 'SignalWire list room recordings',
      server: { kind: 'emulator' },
      probe: { path: '/api/video/room_recordings', headers: SW_AUTH },
      requests: () => [get('/api/video/room_recordings', SW_AUTH)],
      target: 'list',
    },
    {
      name: 'DingTalk queryConferenceInfo',
      note: 'rateLimits: false (20 QPS per app, no bypass)',
      server: { kind: 'emulator', rateLimits: false },
      probe: { path: '/_emulator/health' },
      prepare: dingTalkToken,
      requests: (token) => [get(`/v1.0/conference/videoConferences/${DT_CONFERENCE}`, token)],
      target: 'get',
    },
    {
      name: 'DingTalk conference API GETs, in turn',
      note: 'rateLimits: false; one request = the next of the GETs beyond info and members',
      server: { kind: 'emulator', rateLimits: false },
      probe: { path: '/_emulator/health' },
      prepare: dingTalkToken,
      requests: (token) => DT_GETS.map((path) => get(path, token)),
      target: 'get',
    },
    {
      name: LIST_10,
      note: 'admin',
      server: { kind: 'emulator', roomCalls: 10 },
      probe: { path: listOf(BENCH_ROOM), headers: ADMIN },
      requests: () => [get(listOf(BENCH_ROOM), ADMIN)],
      target: 'list',
    },
    {
      name: 'Rocket.Chat list, 100,000 calls in the room (count=10)',
      note: 'admin; startup includes seeding 100k calls',
      server: { kind: 'emulator', roomCalls: 100_000 },
      probe: { path: listOf(BENCH_ROOM), headers: ADMIN },
      requests: () => [get(listOf(BENCH_ROOM), ADMIN)],
      target: 'list',
    },
    {
      name: 'Rocket.Chat start + join, in memory',
      note: 'admin; one request = start or join',
      server: { kind: 'emulator' },
      probe: { path: rcInfo, headers: ADMIN },
      requests: startJoin,
    },
    {
      name: 'Rocket.Chat start + join, file DB (WAL)',
      note: 'admin; one request = start or join',
      server: { kind: 'emulator', db: join(tmp, 'bench.db') },
      probe: { path: rcInfo, headers: ADMIN },
      requests: startJoin,
    },
  ];
  if (!flag('quick')) {
    all.push({
      name: 'Rocket.Chat video-conference.info, 1,000,000 requests (journal on)',
      note: 'RSS after 1M requests',
      server: { kind: 'emulator' },
      probe: { path: rcInfo, headers: ADMIN },
      requests: () => [get(rcInfo, ADMIN)],
      amount: 1_000_000,
      target: 'long',
    });
  }
  const only = option('only');
  if (!only) return all;
  const kept = all.filter((c, i) => i === 0 || c.name.toLowerCase().includes(only.toLowerCase()));
  // A default-logging case needs its silent twin.
  if (kept.some((c) => c.target === 'logging') && !kept.some((c) => c.name === SILENT)) kept.splice(1, 0, all.find((c) => c.name === SILENT)!);
  return kept;
}

interface Measured {
  result: LoadResult;
  startupMs: number;
  rssMb: number;
}

interface Row extends Measured {
  c: Case;
  /** Median of the paired rounds' ratios (GET cases: req/s against bare; the 100k list: p50 against the 10-call list). */
  ratio?: number;
  /** Lowest and highest of the rounds' ratios. */
  range?: [number, number];
}

const ROUNDS = Number(option('rounds') ?? 5);
const BARE = 'bare Fastify, constant 1 KB JSON';
/** The silent server the default-logging cases are measured against. */
const SILENT = 'Rocket.Chat video-conference.info (admin)';
const LIST_10 = 'Rocket.Chat list, 10 calls in the room (count=10)';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Per-round medians of each figure, with the totals of all rounds. */
function medianOf(rounds: Measured[]): Measured {
  const pick = (f: (r: Measured) => number) => median(rounds.map(f));
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((n, r) => n + f(r.result), 0);
  return {
    result: {
      rps: pick((r) => r.result.rps),
      p50: pick((r) => r.result.p50),
      p99: pick((r) => r.result.p99),
      requests: sum((r) => r.requests),
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
    },
    startupMs: pick((r) => r.startupMs),
    rssMb: pick((r) => r.rssMb),
  };
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? 'unknown';
  return `nproc ${availableParallelism()}, CPU ${cpu}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** One case in a server process of its own: start-up, warm-up, the measured load, RSS, shutdown. */
async function measure(c: Case): Promise<Measured> {
  const server = await startServer(c.server, c.probe);
  try {
    const extra = c.prepare ? await c.prepare(server) : {};
    const requests = c.requests(extra);
    const result = await load({ url: server.url, connections: CONNECTIONS, requests, ...(c.amount ? { amount: c.amount } : { warmup: WARMUP, duration: DURATION }) });
    return { result, startupMs: server.startupMs, rssMb: mb(await server.rss()) };
  } finally {
    await server.close();
  }
}

const describe = (name: string, m: Measured, extra = '') =>
  `${name}: ${fmt(m.result.rps, 0)} req/s, p50 ${fmt(m.result.p50)} ms, p99 ${fmt(m.result.p99)} ms, startup ${fmt(m.startupMs, 0)} ms, RSS ${fmt(m.rssMb, 0)} MB${extra}` +
  (m.result.non2xx || m.result.errors ? ` (non-2xx ${m.result.non2xx}, errors ${m.result.errors})` : '');

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'vconf-bench-'));
  const rows: Row[] = [];
  const began = performance.now();
  try {
    await warmClient();
    const cliMs: number[] = [];
    for (let i = 0; i < 5; i++) cliMs.push(await cliStartup([], { path: rcInfo, headers: ADMIN }));
    cliMs.sort((a, b) => a - b);
    const cliFileMs = await cliStartup(['--db', join(tmp, 'cli.db')], { path: rcInfo, headers: ADMIN });
    console.log(`CLI startup to first 200 (${['node', ...NODE_FLAGS, 'dist/src/cli.js'].join(' ')}, 5 runs): median ${fmt(cliMs[2], 0)} ms, min ${fmt(cliMs[0], 0)}, max ${fmt(cliMs[4], 0)}; new file DB ${fmt(cliFileMs, 0)} ms`);

    const all = cases(tmp);
    const byName = new Map(all.map((c) => [c.name, c]));
    const bareRounds: Measured[] = [];
    for (const c of all) {
      if (c.name === BARE) continue;
      const base =
        c.target === 'get' ? byName.get(BARE) : c.target === 'logging' ? byName.get(SILENT) : c.target === 'list' && c.name !== LIST_10 ? byName.get(LIST_10) : undefined;
      if (!base) {
        const m = await measure(c);
        rows.push({ c, ...m });
        console.log(describe(c.name, m));
        continue;
      }
      // A compared case alternates rounds with its baseline, each round in new server processes: the
      // machine's speed drifts (shared host), and one Node process can run persistently slower than the
      // next (JIT and GC decisions). Its ratio is the median of the rounds' ratios.
      const own: Measured[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const b = await measure(base);
        if (base.name === BARE) bareRounds.push(b);
        const o = await measure(c);
        own.push(o);
        ratios.push(c.target === 'get' || c.target === 'logging' ? o.result.rps / b.result.rps : o.result.p50 / b.result.p50);
      }
      const m = medianOf(own);
      const ratio = median(ratios);
      const range: [number, number] = [Math.min(...ratios), Math.max(...ratios)];
      rows.push({ c, ...m, ratio, range });
      console.log(describe(c.name, m, `, ratio ${fmt(ratio)} (median of ${ROUNDS} paired rounds, ${fmt(range[0])}–${fmt(range[1])})`));
    }
    const bareCase = byName.get(BARE)!;
    if (bareRounds.length === 0) bareRounds.push(await measure(bareCase));
    const bareRow = medianOf(bareRounds);
    rows.unshift({ c: bareCase, ...bareRow });
    console.log(describe(BARE, bareRow, ` (median of ${bareRounds.length} runs)`));

    const bare = rows[0].result.rps;
    const header = [
      `Machine: ${machine()}. ${CONNECTIONS} connections, ${DURATION} s per case after a ${WARMUP} s warm-up; the load generator (autocannon, in a plain Node process of its own, default flags) and the server share the machine; every server (the bare baseline too) runs with the Node flags \`npm start\` uses (${NODE_FLAGS.length ? `\`${NODE_FLAGS.join(' ')}\`` : 'none'}).`,
      `Every case runs in server processes of its own. The provider GET cases run as ${ROUNDS} rounds, each right after a round of the bare baseline, every round in new processes: their × bare is the median of the rounds' ratios (range in the notes), their other figures the medians of the rounds. The bare row is the median of all its rounds. The 100,000-call list is paired the same way with the 10-call list, on p50; the default-logging cases with the silent Rocket.Chat GET case, on req/s (× silent in the notes).`,
      `CLI startup to first 200 (\`${['node', ...NODE_FLAGS, 'dist/src/cli.js'].join(' ')}\`, as \`npm start\` runs it, in-memory DB, median of 5): **${fmt(cliMs[2], 0)} ms** (min ${fmt(cliMs[0], 0)}, max ${fmt(cliMs[4], 0)}); new file DB: ${fmt(cliFileMs, 0)} ms.`,
      '',
      '| case | req/s | p50 ms | p99 ms | × bare | startup ms | RSS MB | notes |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
    ];
    const lines = rows.map(
      ({ c, result, ratio, range, startupMs, rssMb }) =>
        `| ${c.name} | ${fmt(result.rps, 0)} | ${fmt(result.p50)} | ${fmt(result.p99)} | ${fmt(c.target === 'get' && ratio !== undefined ? ratio : result.rps / bare)} | ${fmt(startupMs, 0)} | ${fmt(rssMb, 0)} | ${[
          c.note,
          c.target === 'logging' && ratio !== undefined ? `× silent ${fmt(ratio)}` : '',
          range ? `${c.target === 'get' ? '× bare' : c.target === 'logging' ? '× silent' : 'p50 ÷ 10-call list'} ${fmt(range[0])}–${fmt(range[1])} over ${ROUNDS} rounds` : '',
          result.non2xx ? `${result.non2xx} non-2xx` : '',
          result.errors ? `${result.errors} errors` : '',
        ]
          .filter(Boolean)
          .join('; ')} |`,
    );
    const checks: string[] = [];
    const bareP99 = rows[0].result.p99;
    for (const { c, result, ratio = NaN } of rows.filter((r) => r.c.target === 'get')) {
      checks.push(
        `- ${c.name}: ${fmt(ratio)} × bare (target ≥ 0.80) ${ratio >= 0.8 ? 'PASS' : 'FAIL'}; ` +
          `p99 ${fmt(result.p99)} ms (target ≤ 2; bare: ${fmt(bareP99)}) ${result.p99 <= 2 ? 'PASS' : 'FAIL'}`,
      );
    }
    for (const { c, ratio = NaN } of rows.filter((r) => r.c.target === 'logging')) {
      checks.push(`- ${c.name}: ${fmt(ratio)} × silent, paired rounds (target ≥ 0.85) ${ratio >= 0.85 ? 'PASS' : 'FAIL'}`);
    }
    const paired = rows.find((r) => r.c.target === 'list' && r.ratio !== undefined);
    if (paired?.ratio !== undefined) {
      checks.push(`- list p50, 100k calls / 10 calls: ${fmt(paired.ratio)} (target ≤ 1.2) ${paired.ratio <= 1.2 ? 'PASS' : 'FAIL'}`);
    }
    checks.push(`- CLI startup ${fmt(cliMs[2], 0)} ms (target ≤ 300) ${cliMs[2] <= 300 ? 'PASS' : 'FAIL'}`);
    for (const { c, rssMb, result } of rows.filter((r) => r.c.target === 'long')) {
      checks.push(`- RSS after ${result.requests} requests (journal on): ${fmt(rssMb, 0)} MB (target ≤ 150) ${rssMb <= 150 ? 'PASS' : 'FAIL'} [${c.name}]`);
    }
    const table = [...header, ...lines, '', ...checks].join('\n');
    console.log(`\n${table}\n\n(${fmt((performance.now() - began) / 1000, 0)} s)`);

    if (!flag('no-write')) {
      const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
      const soak = /\n## (Soak|Sockets)[\s\S]*$/.exec(previous)?.[0] ?? '';
      writeFileSync(RESULTS, `# Benchmark results\n\nWritten by \`npm run bench${flag('quick') ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n${soak}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
