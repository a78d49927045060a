import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DDPSDK } from '@rocket.chat/ddp-client';
import t, { type Test } from 'tap';
import { WebSocket } from 'ws';
import { build, T0_MS } from '../helper.js';
import { DM, JANE, JOHN, UI_TEST } from '../providers/rocketchat/fixtures.js';

// Rocket.Chat's own DDP SDK (@rocket.chat/ddp-client, unmodified) against the emulator's /websocket.
// Node 20 has no global WebSocket: the SDK is given the `ws` one, as a browser or Node 22 provides its own.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

type App = Awaited<ReturnType<typeof build>>;
type Sdk = Awaited<ReturnType<typeof DDPSDK.createAndConnect>>;

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function connect(t: Test, base: string): Promise<Sdk> {
  const sdk = await DDPSDK.createAndConnect(base);
  t.teardown(() => {
    sdk.timeoutControl.stop();
    sdk.connection.close();
  });
  return sdk;
}

/** Collects a stream's events; `next()` waits for one (at most 5 s). */
function collector() {
  const seen: unknown[][] = [];
  let wake: (() => void) | undefined;
  return {
    seen,
    on: (...args: unknown[]) => {
      seen.push(args);
      wake?.();
    },
    async next(): Promise<unknown[]> {
      const deadline = Date.now() + 5000;
      while (seen.length === 0) {
        if (Date.now() > deadline) throw new Error('no event in time');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return seen.shift()!;
    },
  };
}

const rest = (base: string, path: string, auth: Record<string, string>, body?: unknown) =>
  fetch(`${base}/api/v1/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));

t.test('jane, logged in over DDP, is rung when john starts a ringing group call in their room', async (t) => {
  const app = await build(t, { rateLimits: false });
  const base = await listen(app);
  const jane = await connect(t, base);
  await jane.account.loginWithToken(JANE['x-auth-token']);
  t.equal(jane.account.uid, JANE['x-user-id']);
  t.equal(jane.account.user?.token, JANE['x-auth-token']);
  const rings = collector();
  const sub = jane.stream('notify-user', `${JANE['x-user-id']}/video-conference`, rings.on);
  await sub.ready();

  const started = await rest(base, 'video-conference.start', JOHN, { roomId: UI_TEST, title: 'Standup', allowRinging: true });
  t.equal(started.status, 200);
  const callId = started.body.data.callId;
  t.same(await rings.next(), [{ action: 'ring', params: { callId, rid: UI_TEST, uid: JOHN['x-user-id'] } }]);

  // The push is in the control plane's log, and a test can wait for it.
  const wait = await fetch(`${base}/_emulator/pushes/wait?provider=rocketchat&subject=${JANE['x-user-id']}&event=ring&callId=${callId}&timeoutMs=1000`);
  t.equal(wait.status, 200);
  const { push } = (await wait.json()) as any;
  t.match(push, { world: 'default', provider: 'rocketchat', subject: JANE['x-user-id'], channel: `stream-notify-user/${JANE['x-user-id']}/video-conference`, event: 'ring', callId, state: 'sent' });
  t.same(JSON.parse(push.frame), {
    msg: 'changed',
    collection: 'stream-notify-user',
    id: 'id',
    fields: { eventName: `${JANE['x-user-id']}/video-conference`, args: [{ action: 'ring', params: { callId, rid: UI_TEST, uid: JOHN['x-user-id'] } }] },
  });
  sub.stop();
});

t.test('a direct call: jane accepts through the stream, john hears it; ended through the control plane, the room stream fires and info shows the end', async (t) => {
  const app = await build(t, { rateLimits: false });
  const base = await listen(app);
  const john = await connect(t, base);
  const jane = await connect(t, base);
  await john.account.loginWithPassword('john.doe', createHashHex('john-pass'));
  await jane.account.loginWithToken(JANE['x-auth-token']);
  const johnHears = collector();
  await john.stream('notify-user', `${JOHN['x-user-id']}/video-conference`, johnHears.on).ready();
  const room = collector();
  await jane.stream('notify-room', `${DM}/videoconf`, room.on).ready();

  const started = await rest(base, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true });
  t.match(started.body, { data: { type: 'direct', calleeId: JANE['x-user-id'] }, success: true });
  const callId = started.body.data.callId;
  const params = { callId, uid: JANE['x-user-id'], rid: DM };
  // What the caller's client sends, then what the callee's answers (VideoConfManager).
  await john.call('stream-notify-user', `${JANE['x-user-id']}/video-conference`, { action: 'call', params: { callId, uid: JOHN['x-user-id'], rid: DM } });
  t.equal(await jane.call('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, { action: 'accepted', params }), undefined);
  t.same(await johnHears.next(), [{ action: 'accepted', params }]);

  const ended = await fetch(`${base}/_emulator/rocketchat/calls/${callId}/end`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.equal(ended.status, 200);
  t.same(await room.next(), [callId]);
  const info = await rest(base, `video-conference.info?callId=${callId}`, JANE);
  t.equal(info.body.status, 3);
  t.equal(info.body.endedAt, new Date(T0_MS).toISOString());
  // The caller is told the direct call ended.
  t.same(await johnHears.next(), [{ action: 'end', params: { rid: DM, uid: JOHN['x-user-id'], callId } }]);
});

/** The SDK sends the password as given in `digest`: a client hashes it first, as Meteor's own does. */
const createHashHex = (text: string) => createHash('sha256').update(text).digest('hex');
