// Concurrent creates over real HTTP never hand out the same id, SignalWire name or DingTalk room code.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build } from '../helper.js';
import { AUTH, entry, unprocessable } from '../providers/signalwire/fixtures.js';
import { ADMIN, UI_TEST } from '../providers/rocketchat/fixtures.js';
import { APP, HOST } from '../providers/dingtalk/fixtures.js';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

// SignalWire's limit (13,800 writes per window) cannot trigger here, so the limiter stays on.
t.test('SignalWire: 200 concurrent creates with one display_name get distinct ids and names x, x-2, …', async (t) => {
  const base = await listen(await build(t));
  const replies = await times(200, () => post(`${base}/api/video/conferences`, AUTH, { display_name: 'x' }));
  t.same(replies.filter((r) => r.status !== 200), [], 'all 200');
  t.equal(new Set(replies.map((r) => r.body.id)).size, 200, 'distinct ids');
  const expected = ['x', ...Array.from({ length: 199 }, (_, i) => `x-${i + 2}`)];
  t.same(new Set(replies.map((r) => r.body.name)), new Set(expected), 'names x, x-2 … x-200');
});

t.test('SignalWire: 50 concurrent creates with one explicit name: one 200, 49 value_not_unique', async (t) => {
  const base = await listen(await build(t));
  const replies = await times(50, (i) => post(`${base}/api/video/conferences`, AUTH, { name: 'same-name', display_name: `Same ${i}` }));
  t.equal(replies.filter((r) => r.status === 200).length, 1, 'one created');
  const refused = replies.filter((r) => r.status !== 200);
  t.equal(refused.length, 49);
  t.same(new Set(refused.map((r) => JSON.stringify([r.status, r.body]))), new Set([JSON.stringify([422, unprocessable(entry('name', 'This value must be unique', 'value_not_unique'))])]));
});

// The admin bypasses the Rocket.Chat rate limiter (start allows 3 a minute otherwise).
t.test('Rocket.Chat: 200 concurrent starts get distinct call ids', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const replies = await times(200, (i) => post(`${base}/api/v1/video-conference.start`, ADMIN, { roomId: UI_TEST, title: `call ${i}` }));
  t.same(replies.filter((r) => r.status !== 200), [], 'all 200');
  const ids = replies.map((r) => r.body.data.callId as string);
  t.equal(new Set(ids).size, 200, 'distinct call ids');
  const list = await fetch(`${base}/api/v1/video-conference.list?roomId=${UI_TEST}&count=0`, { headers: ADMIN });
  const body = (await list.json()) as { total: number; data: { _id: string }[] };
  t.equal(body.total, 202, 'the 2 fixture calls and the 200 new ones, each counted once');
  t.same(new Set(body.data.map((c) => c._id)).size, 202);
});

// DingTalk allows 20 creates per app per second and has no bypass: its limiter is off here.
t.test('DingTalk: 200 concurrent creates get distinct conference ids and room codes', async (t) => {
  const base = await listen(await build(t, { rateLimits: false }));
  const token = (await post(`${base}/v1.0/oauth2/accessToken`, {}, APP)).body.accessToken as string;
  const replies = await times(200, (i) => post(`${base}/v1.0/conference/videoConferences`, { 'x-acs-dingtalk-access-token': token }, { userId: HOST, confTitle: `会议 ${i}` }));
  t.same(replies.filter((r) => r.status !== 200), [], 'all 200');
  t.equal(new Set(replies.map((r) => r.body.conferenceId)).size, 200, 'distinct conference ids');
  t.equal(new Set(replies.map((r) => r.body.roomCode)).size, 200, 'distinct room codes');
});
