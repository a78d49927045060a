// `npm run bench:sockets`: 1,000 DDP sockets held open on one emulator (a child process, as in
// `npm run bench`), spread over 10 worlds, each logged in and subscribed to its user's video-conference
// stream and a room's videoconf stream; memory (after a full GC) before, with them open, after a ring
// pushed to half of them, and after they close. Writes the "Sockets" section of bench/RESULTS.md.
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { ADMIN, RC_CALL, RC_ROOM, mb, startServer } from './lib.js';

const SOCKETS = 1000;
const WORLDS = 10;
const BATCH = 50;
const RESULTS = new URL('RESULTS.md', import.meta.url).pathname;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

const server = await startServer({ kind: 'emulator', rateLimits: false }, { path: `/api/v1/video-conference.info?callId=${RC_CALL}`, headers: ADMIN });

async function memory(): Promise<Memory> {
  server.child.send('memory');
  for (;;) {
    const [m] = (await once(server.child, 'message')) as [{ memory?: Memory }];
    if (m.memory) return m.memory;
  }
}

/** Connects, logs in with `token`, subscribes to `streams`; resolves once every subscription is ready. */
function open(url: string, token: string, streams: [string, string][]): Promise<{ ws: WebSocket; frames: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/websocket`);
    const frames: string[] = [];
    let ready = 0;
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ msg: 'connect', version: '1', support: ['1'] })));
    ws.on('message', (data) => {
      const text = String(data);
      const msg = JSON.parse(text);
      if (msg.msg === 'connected') ws.send(JSON.stringify({ msg: 'method', method: 'login', id: 'l', params: [{ resume: token }] }));
      else if (msg.msg === 'result' && msg.id === 'l') {
        if (msg.error) reject(new Error(JSON.stringify(msg.error)));
        streams.forEach(([name, eventName], i) => ws.send(JSON.stringify({ msg: 'sub', id: `s${i}`, name, params: [eventName, false] })));
      } else if (msg.msg === 'ready' && ++ready === streams.length) resolve({ ws, frames });
      else if (msg.msg === 'changed') frames.push(text);
      else if (msg.msg === 'ping') ws.send('{"msg":"pong"}');
    });
  });
}

try {
  const json = { 'content-type': 'application/json' };
  const worlds: { jane: { userId: string; authToken: string }; john: { userId: string; authToken: string } }[] = [];
  for (let i = 0; i < WORLDS; i++) {
    const res = await fetch(`${server.url}/_emulator/worlds`, { method: 'POST', headers: json, body: JSON.stringify({ name: `sockets-${i}` }) });
    const { credentials } = (await res.json()) as { credentials: { rocketchat: { users: { username: string; userId: string; authToken: string }[] } } };
    const user = (name: string) => credentials.rocketchat.users.find((u) => u.username === name)!;
    worlds.push({ jane: user('jane.doe'), john: user('john.doe') });
  }
  const before = await memory();
  const started = performance.now();
  const sockets: { ws: WebSocket; frames: string[]; jane: boolean }[] = [];
  for (let i = 0; i < SOCKETS; i += BATCH) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(BATCH, SOCKETS - i) }, (_, k) => {
        const n = i + k;
        const world = worlds[n % WORLDS];
        const who = n % 2 === 0 ? world.jane : world.john;
        return open(server.url, who.authToken, [
          ['stream-notify-user', `${who.userId}/video-conference`],
          ['stream-notify-room', `${RC_ROOM}/videoconf`],
        ]).then((s) => ({ ...s, jane: who === world.jane }));
      }),
    );
    sockets.push(...batch);
  }
  const openMs = performance.now() - started;
  const held = await memory();

  // Every world's john starts a ringing group call: each of the 500 jane sockets gets a ring.
  const pushStarted = performance.now();
  for (const world of worlds) {
    const res = await fetch(`${server.url}/api/v1/video-conference.start`, {
      method: 'POST',
      headers: { ...json, 'x-user-id': world.john.userId, 'x-auth-token': world.john.authToken },
      body: JSON.stringify({ roomId: RC_ROOM, allowRinging: true }),
    });
    if (res.status !== 200) throw new Error(`start: ${res.status}`);
  }
  const janes = sockets.filter((s) => s.jane);
  while (janes.some((s) => s.frames.length === 0)) await new Promise((resolve) => setTimeout(resolve, 5));
  const pushMs = performance.now() - pushStarted;
  const wrong = sockets.filter((s) => s.frames.length !== (s.jane ? 1 : 0)).length;
  const afterPush = await memory();

  for (const s of sockets) s.ws.close();
  await Promise.all(sockets.map((s) => (s.ws.readyState === WebSocket.CLOSED ? undefined : once(s.ws, 'close'))));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const closed = await memory();

  const perSocketKb = ((held.rss - before.rss) / SOCKETS / 1024).toFixed(1);
  const heapPerSocketKb = ((held.heapUsed - before.heapUsed) / SOCKETS / 1024).toFixed(1);
  const row = (label: string, m: Memory) => `| ${label} | ${mb(m.rss).toFixed(1)} | ${mb(m.heapUsed).toFixed(1)} | ${mb(m.external).toFixed(1)} |`;
  const summary = [
    `${SOCKETS.toLocaleString('en')} DDP sockets over ${WORLDS} worlds (half jane, half john), each logged in by resume token and subscribed to its user's video-conference stream and a room's videoconf stream; opened ${BATCH} at a time in ${(openMs / 1000).toFixed(1)} s. A ringing group call started in every world reached the ${janes.length} jane sockets in ${pushMs.toFixed(0)} ms (${wrong} sockets with a wrong count). Memory of the server process after a full GC:`,
    '',
    '| | RSS MB | heap used MB | external MB |',
    '|---|---:|---:|---:|',
    row('before (10 worlds, no socket)', before),
    row(`${SOCKETS} sockets open`, held),
    row('after the rings', afterPush),
    row('after they all closed', closed),
    '',
    `Per open socket: ${perSocketKb} KB of RSS, ${heapPerSocketKb} KB of heap (bounded: each socket's send queue is capped at 4 MiB, then the socket is closed).`,
  ].join('\n');
  console.log(summary);
  if (!process.argv.includes('--no-write')) {
    const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
    const head = previous.replace(/\n## Sockets[\s\S]*$/, '').trimEnd();
    writeFileSync(RESULTS, `${head}\n\n## Sockets\n\nWritten by \`npm run bench:sockets\` on ${new Date().toISOString().slice(0, 10)}.\n\n${summary}\n`);
  }
} finally {
  await server.close();
}
