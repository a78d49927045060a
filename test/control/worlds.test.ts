import t from 'tap';
import { build, call, T0 } from '../helper.js';
import { INFO_CALL, JOHN, UI_TEST } from '../providers/rocketchat/fixtures.js';

type App = Awaited<ReturnType<typeof build>>;
const createWorld = (app: App, payload: object = {}) => call(app, { method: 'POST', url: '/_emulator/worlds', payload });
const asUser = (u: { userId: string; authToken: string }) => ({ 'x-user-id': u.userId, 'x-auth-token': u.authToken });

t.test('a new world gets fresh credentials that pick it, with no other change to the client', async (t) => {
  const app = await build(t);
  const res = await createWorld(app, { name: 'checkout', fixtures: 'default' });
  t.equal(res.status, 201);
  t.match(res.body.id, /^[0-9a-f-]{36}$/);
  t.equal(res.body.name, 'checkout');
  t.same(res.body.clock, { now: T0, frozen: true });
  const users = res.body.credentials.rocketchat.users as { username: string; userId: string; authToken: string; password: string }[];
  t.same(
    users.map((u) => [u.username, u.userId, u.password]),
    [
      ['john.doe', 'CkCPNctrgCDfmWLqC', 'john-pass'],
      ['jane.doe', 'fRv4qm8ycWHXSA7af', 'jane-pass'],
      ['admin', 'rbAXPnMktTFbNpwtJ', 'admin-pass'],
      ['outsider', 'ZDxqfhLNwTv7Wc3Ea', 'outsider-pass'],
    ],
    'user ids repeat across worlds',
  );
  t.notOk(users.some((u) => u.authToken === JOHN['x-auth-token']), 'tokens are fresh');
  for (const u of users) t.match(u.authToken, /^[A-Za-z0-9_-]{43}$/);

  const john = asUser(users[0]);
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: john, payload: { roomId: UI_TEST } });
  t.equal(started.status, 200);
  const inWorld = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: john });
  const inDefault = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  t.same([inWorld.body.total, inDefault.body.total], [3, 2], "each world sees only its own calls");
  const cross = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${started.body.data.callId}`, headers: JOHN });
  t.same([cross.status, cross.body], [400, { success: false, error: 'invalid-params' }]);
  t.same((await call(app, { method: 'GET', url: '/_emulator/worlds' })).body, {
    worlds: [
      { id: 'default', name: 'default' },
      { id: res.body.id, name: 'checkout' },
    ],
  });
  const got = await call(app, { method: 'GET', url: `/_emulator/worlds/${res.body.id}` });
  t.same(got.body, res.body);

  const login = await call(app, { method: 'POST', url: '/api/v1/login', headers: { 'x-emulator-world': res.body.id }, payload: { user: 'jane.doe', password: 'jane-pass' } });
  t.equal(login.status, 200, 'X-Emulator-World picks the world of an unauthenticated request');
  const me = await call(app, { method: 'GET', url: '/api/v1/video-conference.list?roomId=674eca3e43725ce31dd9a2e8', headers: asUser(login.body.data) });
  t.equal(me.body.total, 3, 'the token issued there belongs to that world');
});

t.test('two worlds used concurrently never share calls or rate-limit counters', async (t) => {
  const app = await build(t);
  const [a, b] = await Promise.all([createWorld(app), createWorld(app)]);
  const ua = asUser(a.body.credentials.rocketchat.users[0]);
  const ub = asUser(b.body.credentials.rocketchat.users[0]);
  const run = async (headers: Record<string, string>) => {
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push((await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers, payload: { roomId: UI_TEST } })).status);
    return out;
  };
  const [ra, rb] = await Promise.all([run(ua), run(ub)]);
  t.same(ra, [200, 200, 200, 429]);
  t.same(rb, [200, 200, 200, 429], "one world's requests do not spend the other's limit");
  const la = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: ua });
  const lb = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: ub });
  t.same([la.body.total, lb.body.total], [5, 5]);
  const ids = (r: typeof la) => r.body.data.slice(0, 3).map((c: { _id: string }) => c._id);
  t.notSame(ids(la), ids(lb));
});

t.test('empty and inline fixtures; invalid fixtures name every bad path and load nothing', async (t) => {
  const app = await build(t);
  const empty = await createWorld(app, { fixtures: 'empty' });
  t.equal(empty.status, 201);
  t.same(empty.body.credentials.rocketchat, { users: [] });
  const inline = await createWorld(app, {
    fixtures: { rocketchat: { users: [{ _id: 'u1', username: 'solo', authTokens: ['ignored'] }], rooms: [{ _id: 'r1', t: 'c', name: 'room' }] } },
  });
  t.equal(inline.status, 201);
  const solo = inline.body.credentials.rocketchat.users[0];
  t.same([solo.username, solo.userId, solo.password], ['solo', 'u1', null]);
  t.not(solo.authToken, 'ignored');
  const res = await call(app, { method: 'GET', url: '/api/v1/video-conference.list?roomId=r1', headers: asUser(solo) });
  t.equal(res.text, '{"data":[],"offset":0,"count":0,"total":0,"success":true}');

  const bad = await createWorld(app, {
    fixtures: { rocketchat: { users: [{ username: 'x' }], rooms: [{ _id: 'r', t: 'x' }], calls: [{ _id: 'zz' }] }, zoom: {} },
  });
  t.equal(bad.status, 400);
  t.equal(bad.headers['content-type'], 'application/problem+json');
  t.equal(bad.body.detail, 'Invalid fixtures');
  const paths = bad.body.errors.map((e: { path: string }) => e.path);
  for (const p of ['fixtures', 'fixtures/rocketchat/users/0', 'fixtures/rocketchat/rooms/0/t', 'fixtures/rocketchat/calls/0', 'fixtures/rocketchat/calls/0/_id']) {
    t.ok(paths.includes(p), `names ${p}`);
  }
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds' })).body.worlds.length, 3, 'nothing half-loaded');

  const dup = await createWorld(app, { fixtures: { rocketchat: { users: [{ _id: 'a', username: 'same' }, { _id: 'b', username: 'same' }] } } });
  t.equal(dup.status, 400);
  t.match(dup.body.detail, /^The fixtures could not be loaded: UNIQUE constraint failed/);
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds' })).body.worlds.length, 3, 'a failed load leaves no world behind');
});

t.test('world clock, reset and delete', async (t) => {
  const app = await build(t);
  const w = (await createWorld(app)).body;
  const john = asUser(w.credentials.rocketchat.users[0]);
  let res = await call(app, { method: 'POST', url: `/_emulator/worlds/${w.id}/clock`, payload: { advanceMs: 24 * 3600_000 } });
  t.same(res.body, { now: '2026-02-02T00:00:00.000Z', frozen: true });
  t.same((await call(app, { method: 'GET', url: '/_emulator/clock' })).body.now, T0, 'the default world keeps its time');
  t.same((await call(app, { method: 'GET', url: `/_emulator/worlds/${w.id}/clock` })).body.now, '2026-02-02T00:00:00.000Z');
  const expired = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: john });
  t.same([expired.body.status, expired.body.endedAt], [2, '2026-02-02T00:00:00.000Z'], "timers follow the world's clock");
  const notExpired = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(notExpired.body.status, 1);

  await call(app, { method: 'POST', url: '/api/v1/logout', headers: john });
  res = await call(app, { method: 'POST', url: `/_emulator/worlds/${w.id}/reset` });
  t.equal(res.status, 204);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: john })).status, 200, "reset restores the world's own credentials");

  res = await call(app, { method: 'DELETE', url: `/_emulator/worlds/${w.id}` });
  t.equal(res.status, 204);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: john })).status, 401, 'its credentials are gone');
  t.same((await call(app, { method: 'GET', url: `/_emulator/worlds/${w.id}` })).body.detail, `No world ${w.id}`);
  t.equal((await call(app, { method: 'POST', url: `/_emulator/worlds/${w.id}/reset` })).status, 404);
  t.equal((await call(app, { method: 'GET', url: `/_emulator/worlds/${w.id}/clock` })).status, 404);
  res = await call(app, { method: 'DELETE', url: '/_emulator/worlds/default' });
  t.same([res.status, res.body.detail], [409, 'The default world always exists; reset it instead']);
});
