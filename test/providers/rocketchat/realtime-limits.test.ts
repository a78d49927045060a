import { once } from 'node:events';
import t from 'tap';
import { HEARTBEAT } from '../../../src/providers/rocketchat/realtime/ddp.js';
import { build } from '../../helper.js';
import { Client, client, listen, rest } from './ddp.js';
import { DM, JANE, JOHN, UI_TEST } from './fixtures.js';

// The DDP endpoint's limits: sockets that come and go, a client that stops reading, heartbeats.

t.test('robustness: 100 sockets subscribing and closing in a loop leave nothing behind; a socket that never reads is closed', async (t) => {
  const app = await build(t, { rateLimits: false });
  const port = await listen(app);
  for (let round = 0; round < 100; round++) {
    const c = new Client(port);
    await c.login(JANE['x-auth-token']);
    c.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
    c.sub('stream-notify-room', `${UI_TEST}/videoconf`, false);
    await c.take(2);
    c.close();
    await once(c.ws, 'close');
  }
  // The server notices the closes asynchronously: once it has, no world is listened to.
  const world = app.emulator.worlds.default;
  for (let i = 0; i < 200 && world.events.listening; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.notOk(world.events.listening, 'no listener left on the world');

  // A client that stops reading: its queue grows past the bound and the server closes it.
  const stalled = await client(t, port);
  await stalled.login(JANE['x-auth-token']);
  stalled.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
  await stalled.next();
  const raw = (stalled.ws as unknown as { _socket: import('node:net').Socket })._socket;
  raw.pause();
  const closed = once(stalled.ws, 'close');
  const big = { action: 'call', params: { callId: '', uid: JANE['x-user-id'], rid: DM } };
  const john = await client(t, port);
  await john.login(JOHN['x-auth-token']);
  const callId = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  big.params.callId = callId;
  // Relay large pushes to it, 2.5 MB at a time, until the server stops queueing for it: the kernel's
  // buffers fill, then its 4 MiB send queue; what it could not take is logged as dropped.
  let dropped: unknown[] = [];
  for (let sent = 0; sent < 200 && dropped.length === 0; sent += 10) {
    for (let i = 0; i < 10; i++) john.call('stream-notify-user', `${JANE['x-user-id']}/video-conference`, { ...big, pad: 'y'.repeat(250_000) });
    for (let wait = 0; wait < 20 && dropped.length === 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      dropped = (await app.inject({ method: 'GET', url: `/_emulator/pushes?subject=${JANE['x-user-id']}&state=dropped&limit=1` })).json().pushes;
    }
  }
  t.equal(dropped.length, 1, 'frames dropped');
  raw.resume();
  const [code] = (await closed) as [number];
  // Its close frame sat behind megabytes it never read: the server cut the connection (1006), or it got the 1008.
  t.ok(code === 1006 || code === 1008, `closed by the server (${code})`);
  // Other connections go on.
  const other = await client(t, port);
  await other.connect();
  const id = other.call('no.such.method');
  t.equal((await other.next()).id, id);
});

t.test('heartbeat: the server pings an idle client and closes one that does not answer', async (t) => {
  const saved = { ...HEARTBEAT };
  Object.assign(HEARTBEAT, { intervalMs: 60, timeoutMs: 60, idleMs: 80 });
  t.teardown(() => Object.assign(HEARTBEAT, saved));
  const app = await build(t);
  const port = await listen(app);
  const c = await client(t, port);
  await c.connect();
  t.same(await c.next(), { msg: 'ping' });
  c.send({ msg: 'pong' });
  t.same(await c.next(), { msg: 'ping' }, 'again after another idle interval');
  const [code] = await once(c.ws, 'close');
  t.equal(code, 1005, 'no answer: closed');
  // DDP pre1 has no heartbeat: an idle pre1 client is closed after the idle time, without a ping.
  const old = await client(t, port);
  await old.open();
  await old.next();
  old.send({ msg: 'connect', version: 'pre1', support: ['pre1'] });
  t.equal((await old.next()).msg, 'connected');
  await once(old.ws, 'close');
  t.same(old.frames, [], 'no ping');
  // A socket that never sends connect is closed after the idle time.
  const idle = await client(t, port);
  await idle.open();
  await once(idle.ws, 'close');
  t.pass('closed before connect');
});
