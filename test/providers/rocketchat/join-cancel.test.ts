import t from 'tap';
import { build, call, T0, T0_MS } from '../../helper.js';
import { DM, EXPIRED_CALL, INFO_CALL, INVALID_PARAMS, JANE, JOHN, JOIN_CALL, NOT_LOGGED_IN, OUTSIDER, PRIVATE_CALL, invalid } from './fixtures.js';

type App = Awaited<ReturnType<typeof build>>;
const join = (app: App, body: unknown, headers: Record<string, string> = JOHN) =>
  call(app, { method: 'POST', url: '/api/v1/video-conference.join', headers, payload: body as object });
const info = (app: App, callId: string, headers: Record<string, string> = JOHN) =>
  call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers });
const iso = (ms: number) => new Date(ms).toISOString();

t.test('join returns the documented example and records the user once', async (t) => {
  const app = await build(t, { rateLimits: false });
  const res = await join(app, { callId: JOIN_CALL, state: { mic: true, cam: true } });
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify({ url: 'http://g.co/meet/RocketChat_697887e3c8b0533020781a4a', providerName: 'googlemeet', success: true }));
  app.emulator.worlds.default.clock.advance(5000);
  await join(app, { callId: JOIN_CALL });
  await join(app, { callId: JOIN_CALL }, JANE);
  const after = await info(app, JOIN_CALL);
  t.same(after.body.users, [
    { _id: 'CkCPNctrgCDfmWLqC', username: 'john.doe', name: 'john', avatarETag: null, ts: T0 },
    { _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', avatarETag: null, ts: iso(T0_MS + 5000) },
  ]);
  t.equal(after.body._updatedAt, iso(T0_MS + 5000));
});

t.test('join of an expired call, validation and access errors', async (t) => {
  const app = await build(t, { rateLimits: false });
  let res = await join(app, { callId: EXPIRED_CALL });
  t.same([res.status, res.body], [400, { success: false }], 'a logged-in user gets a bare failure');
  res = await join(app, {});
  t.same([res.status, res.body], [400, invalid("must have required property 'callId'")]);
  // The server's ajv coerces bodies (reference §12): 1 and null are the strings "1" and "".
  res = await join(app, { callId: 1 });
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await join(app, { callId: null });
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await join(app, { callId: [JOIN_CALL] });
  t.same([res.status, res.body], [400, invalid('must be string')]);
  res = await join(app, { callId: 'x', foo: 1 });
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await join(app, { callId: 'x', state: { mic: 'yes' } });
  t.same([res.status, res.body], [400, invalid('must be boolean')]);
  res = await join(app, { callId: 'x', state: { x: 1 } });
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await join(app, { callId: JOIN_CALL, state: null });
  t.equal(res.status, 200, 'a null state counts as absent');
  res = await join(app, { callId: JOIN_CALL, state: { mic: null, cam: null } });
  t.equal(res.status, 200, 'null mic/cam count as absent');
  res = await join(app, { callId: 'not-a-call' });
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await join(app, { callId: PRIVATE_CALL }, OUTSIDER);
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await join(app, { callId: JOIN_CALL }, {});
  t.same([res.status, res.body], [401, NOT_LOGGED_IN], 'anonymous join is refused while anonymous read is off');
});

t.test('malformed, empty and non-JSON bodies count as {}', async (t) => {
  const app = await build(t, { rateLimits: false });
  const expected = invalid("must have required property 'callId'");
  for (const [payload, type] of [
    ['{"callId":', 'application/json'],
    ['', 'application/json'],
    ['callId=697887e3c8b0533020781a4a', 'application/x-www-form-urlencoded'],
    ['hello', 'text/plain'],
  ]) {
    const res = await call(app, { method: 'POST', url: '/api/v1/video-conference.join', headers: { ...JOHN, 'content-type': type }, payload });
    t.same([res.status, res.body], [400, expected], `${type}: ${payload}`);
  }
  const none = await call(app, { method: 'POST', url: '/api/v1/video-conference.cancel', headers: JOHN });
  t.same([none.status, none.body], [400, expected], 'no body at all');
  for (const payload of ['[]', 'null', '"s"']) {
    const res = await call(app, { method: 'POST', url: '/api/v1/video-conference.join', headers: { ...JOHN, 'content-type': 'application/json' }, payload });
    t.same([res.status, res.body], [400, invalid('must be object')], payload);
  }
});

t.test('anonymous join, when anonymous read is on', async (t) => {
  const app = await build(t, { rateLimits: false });
  app.emulator.db.prepare("UPDATE rocketchat_settings SET value = 'true' WHERE key = 'Accounts_AllowAnonymousRead'").run();
  let res = await join(app, { callId: JOIN_CALL }, {});
  t.same([res.status, res.body], [200, { url: 'http://g.co/meet/RocketChat_697887e3c8b0533020781a4a', providerName: 'googlemeet', success: true }]);
  res = await join(app, { callId: JOIN_CALL }, { 'x-user-id': 'nobody', 'x-auth-token': 'bad' });
  t.equal(res.status, 200, 'bad headers fall back to anonymous');
  const after = await info(app, JOIN_CALL);
  t.equal(after.body.anonymousUsers, 2, 'every anonymous join counts');
  t.same(after.body.users, []);
  res = await join(app, { callId: EXPIRED_CALL }, {});
  t.same([res.status, res.body], [400, { success: false, error: 'failed-to-get-url' }]);
  res = await join(app, { callId: PRIVATE_CALL }, {});
  t.same([res.status, res.body], [400, INVALID_PARAMS], 'anonymous callers reach public channels only');
  res = await join(app, { callId: JOIN_CALL }, { 'x-emulator-world': 'no-such-world' });
  t.same([res.status, res.body], [401, NOT_LOGGED_IN]);
});

t.test('direct call: the callee joining starts it; the caller can cancel while it rings', async (t) => {
  const app = await build(t, { rateLimits: false });
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: DM, allowRinging: true } });
  const callId = started.body.data.callId;
  await join(app, { callId }, JOHN);
  let doc = await info(app, callId);
  t.equal(doc.body.status, 0, 'the caller joining changes only users');
  t.equal(doc.body.users.length, 1);
  await join(app, { callId }, JANE);
  doc = await info(app, callId);
  t.equal(doc.body.status, 1);
  t.equal(doc.body.ringing, false);
  const cancel = await call(app, { method: 'POST', url: '/api/v1/video-conference.cancel', headers: JOHN, payload: { callId } });
  t.same([cancel.status, cancel.body], [400, { success: false, error: 'invalid-call-status' }]);

  const second = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: DM, allowRinging: true } });
  const ringing = second.body.data.callId;
  app.emulator.worlds.default.clock.advance(1000);
  const ok = await call(app, { method: 'POST', url: '/api/v1/video-conference.cancel', headers: JANE, payload: { callId: ringing } });
  t.equal(ok.text, '{"success":true}');
  doc = await info(app, ringing);
  t.same(
    [doc.body.status, doc.body.ringing, doc.body.endedAt, doc.body._updatedAt, doc.body.endedBy],
    [4, false, iso(T0_MS + 1000), iso(T0_MS + 1000), { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' }],
  );
  const again = await call(app, { method: 'POST', url: '/api/v1/video-conference.cancel', headers: JANE, payload: { callId: ringing } });
  t.same([again.status, again.body], [400, { success: false, error: 'invalid-call-status' }]);
  const declinedJoin = await join(app, { callId: ringing }, JANE);
  t.same([declinedJoin.status, declinedJoin.body], [400, { success: false }]);
});

t.test('cancel errors', async (t) => {
  const app = await build(t, { rateLimits: false });
  const cancel = (body: unknown, headers: Record<string, string> = JOHN) =>
    call(app, { method: 'POST', url: '/api/v1/video-conference.cancel', headers, payload: body as object });
  let res = await cancel({ callId: INFO_CALL });
  t.same([res.status, res.body], [400, { success: false, error: 'invalid-call' }], 'group calls cannot be cancelled');
  res = await cancel({ callId: '000000000000000000000000' });
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await cancel({ callId: PRIVATE_CALL }, OUTSIDER);
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await cancel({ callId: 'x', other: true });
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await cancel({ callId: INFO_CALL }, {});
  t.same([res.status, res.body], [401, NOT_LOGGED_IN]);
});

t.test('lifecycle on the clock: 40 s auto-decline, 24 h expiry from the later of createdAt and load', async (t) => {
  const app = await build(t, { rateLimits: false });
  const clock = app.emulator.worlds.default.clock;
  const direct = (await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: DM, allowRinging: true } })).body.data.callId;
  clock.advance(39_999);
  t.equal((await info(app, direct)).body.status, 0, 'still ringing at 39.999 s');
  clock.advance(1);
  let doc = (await info(app, direct)).body;
  t.same([doc.status, doc.ringing, doc.endedAt, doc._updatedAt], [4, false, iso(T0_MS + 40_000), iso(T0_MS + 40_000)]);
  t.notOk('endedBy' in doc);

  const before = (await info(app, INFO_CALL)).body;
  t.equal(before.status, 1, 'the documented call is unchanged after loading');
  t.notOk('endedAt' in before);
  clock.advance(24 * 3600_000 - 40_000 - 1);
  t.equal((await info(app, INFO_CALL)).body.status, 1, 'not yet expired 1 ms before 24 h after the load');
  clock.advance(1);
  doc = (await info(app, INFO_CALL)).body;
  t.same([doc.status, doc.endedAt, doc._updatedAt], [2, iso(T0_MS + 24 * 3600_000), iso(T0_MS + 24 * 3600_000)]);
  t.equal(doc.ringing, true, 'expiry leaves ringing as it was');
});

t.test('a ringing direct call whose clock jumps 25 h ends declined, not expired', async (t) => {
  const app = await build(t, { rateLimits: false });
  const direct = (await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: DM, allowRinging: true } })).body.data.callId;
  await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 25 * 3600_000 } });
  const doc = (await info(app, direct)).body;
  t.same([doc.status, doc.endedAt], [4, iso(T0_MS + 40_000)]);
});
