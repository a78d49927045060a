import t from 'tap';
import { build, call } from '../../helper.js';
import { DM, INVALID_PARAMS, JANE, JOHN, NOT_LOGGED_IN, NOT_LOGGED_IN_7, UI_TEST, defaultRocketChat, invalid } from './fixtures.js';

// What Rocket.Chat 8.x does that 6.x did not, and what a world at another version does (reference §12).

type App = Awaited<ReturnType<typeof build>>;
const post = (app: App, endpoint: string, payload: unknown, headers: Record<string, string> = JOHN) =>
  call(app, { method: 'POST', url: `/api/v1/${endpoint}`, headers, payload: payload as object });
const get = (app: App, url: string, headers: Record<string, string> = JOHN) => call(app, { method: 'GET', url, headers });
const settings = (app: App, body: unknown, world = 'default') =>
  call(app, { method: 'PATCH', url: `/_emulator/worlds/${world}/rocketchat/settings`, payload: body as object });
const withFixtures = (change: (rc: Record<string, any>) => void) => {
  const rocketchat = defaultRocketChat();
  change(rocketchat);
  return { rocketchat };
};

t.test('GET /api/info: the version the world behaves as, without auth', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/api/info' });
  t.same([res.status, res.text], [200, '{"version":"8.8.1","success":true}']);
  t.equal(res.headers['content-type'], 'application/json');
  t.equal(res.headers['x-ratelimit-limit'], undefined, 'API.default routes have no rate limiter');
  res = await call(app, { method: 'GET', url: '/api/info', headers: { 'x-emulator-world': 'nope' } });
  t.same([res.status, res.body], [401, NOT_LOGGED_IN], 'an unknown world, as for login');
  res = await call(app, { method: 'DELETE', url: '/api/info' });
  t.same([res.status, res.headers.allow, res.body], [405, 'GET, OPTIONS', { status: 'error', message: 'API endpoint does not exist' }]);
  res = await call(app, { method: 'GET', url: '/api/info/more' });
  t.same([res.status, res.body], [404, { success: false, error: 'Resource not found' }]);

  const changed = await settings(app, { version: '7.10.0' });
  t.equal(changed.body.version, '7.10.0');
  res = await call(app, { method: 'GET', url: '/api/info' });
  t.equal(res.text, '{"version":"7.10.0","success":true}', 'the control plane changes it at run time');
});

t.test('401 and 403 bodies follow the version switch (applyBreakingChanges = version >= 8.0.0)', async (t) => {
  const guest = (rc: Record<string, any>) => rc.users.push({ _id: 'guestUserIdAAAAAA', username: 'guest', roles: ['guest'], authTokens: ['guest-token'] });
  const GUEST = { 'x-user-id': 'guestUserIdAAAAAA', 'x-auth-token': 'guest-token' };
  for (const [version, notLoggedIn, forbidden] of [
    ['8.8.1', NOT_LOGGED_IN, 'forbidden'],
    ['8.0.0', NOT_LOGGED_IN, 'forbidden'],
    ['8.0.0-rc.1', NOT_LOGGED_IN_7, 'unauthorized'],
    ['7.10.0', NOT_LOGGED_IN_7, 'unauthorized'],
    ['6.14.0', NOT_LOGGED_IN_7, 'unauthorized'],
  ] as const) {
    const app = await build(t, { rateLimits: false, fixtures: withFixtures((rc) => ((rc.version = version), guest(rc))) });
    let res = await get(app, '/api/v1/me', {});
    t.equal(res.text, JSON.stringify(notLoggedIn), `${version}: 401`);
    res = await post(app, 'video-conference.start', { roomId: UI_TEST }, { ...JOHN, 'x-auth-token': 'wrong' });
    t.same([res.status, res.body], [401, notLoggedIn]);
    res = await post(app, 'video-conference.start', { roomId: UI_TEST }, GUEST);
    t.same([res.status, res.text], [403, JSON.stringify({ success: false, error: forbidden })], `${version}: 403`);
    // An injected 401 or 403 is the world's own body.
    for (const status of [401, 403]) {
      const fault = await call(app, { method: 'POST', url: '/_emulator/faults', payload: { match: { provider: 'rocketchat', operationId: 'post-api-v1-video-conference.start' }, action: { status }, times: 1 } });
      t.equal(fault.status, 201, `${version}: fault ${status} created`);
      res = await post(app, 'video-conference.start', { roomId: UI_TEST });
      t.same([res.status, res.body], [status, status === 401 ? notLoggedIn : { success: false, error: forbidden }], `${version}: injected ${status}`);
    }
  }
});

t.test('call-management is checked against the room: a room owner or moderator may start a call', async (t) => {
  const app = await build(t, {
    rateLimits: false,
    fixtures: withFixtures((rc) => {
      rc.users.push({ _id: 'guestUserIdAAAAAA', username: 'guest', name: 'Guest', roles: ['guest'], authTokens: ['guest-token'] });
      rc.rooms.push(
        { _id: 'owned-room', t: 'c', name: 'owned', members: ['guestUserIdAAAAAA'], roles: { guestUserIdAAAAAA: ['owner'] } },
        { _id: 'moderated-room', t: 'p', name: 'moderated', members: ['guestUserIdAAAAAA'], roles: { guestUserIdAAAAAA: ['moderator'] } },
        { _id: 'plain-room', t: 'c', name: 'plain', members: ['guestUserIdAAAAAA'] },
        { _id: 'ro-room', t: 'c', name: 'news', ro: true, members: ['guestUserIdAAAAAA'], roles: { guestUserIdAAAAAA: ['owner'] } },
      );
    }),
  });
  const GUEST = { 'x-user-id': 'guestUserIdAAAAAA', 'x-auth-token': 'guest-token' };
  for (const roomId of ['owned-room', 'moderated-room', 'ro-room']) {
    const res = await post(app, 'video-conference.start', { roomId }, GUEST);
    t.same([res.status, res.body.data?.rid], [200, roomId], `${roomId}: the room role grants it (post-readonly too)`);
  }
  let res = await post(app, 'video-conference.start', { roomId: 'plain-room' }, GUEST);
  t.same([res.status, res.body], [403, { success: false, error: 'forbidden' }], 'no global role, no room role');
  res = await post(app, 'video-conference.start', { roomId: 'GENERAL' }, GUEST);
  t.same([res.status, res.body], [403, { success: false, error: 'forbidden' }], 'a room role elsewhere does not count');
});

t.test('bodies are coerced as the server validator does', async (t) => {
  const app = await build(t, { rateLimits: false });
  // "true" rings: in the two-member direct room it is a direct call.
  let res = await post(app, 'video-conference.start', { roomId: DM, allowRinging: 'true' });
  t.same(res.body.data && [res.body.data.type, res.body.data.calleeId], ['direct', JANE['x-user-id']]);
  res = await post(app, 'video-conference.start', { roomId: DM, allowRinging: 1 });
  t.equal(res.body.data.type, 'direct', '1 is true');
  res = await post(app, 'video-conference.start', { roomId: DM, allowRinging: 'false' });
  t.equal(res.body.data.type, 'videoconference', '"false" does not ring');
  res = await post(app, 'video-conference.start', { roomId: DM, allowRinging: '' });
  t.equal(res.body.data.type, 'videoconference', '"" is null: absent');
  res = await post(app, 'video-conference.start', { roomId: 123 });
  t.same([res.status, res.body], [400, INVALID_PARAMS], 'roomId 123 is the room "123", which does not exist');
  res = await post(app, 'video-conference.start', { roomId: null });
  t.same([res.status, res.body], [400, INVALID_PARAMS], 'null is ""');
  res = await post(app, 'video-conference.start', { roomId: UI_TEST, title: 42 });
  t.equal(res.status, 200);
  const info = await get(app, `/api/v1/video-conference.info?callId=${res.body.data.callId}`);
  t.equal(info.body.title, '42', 'a number title is its text');
  res = await post(app, 'video-conference.start', { roomId: UI_TEST, allowRinging: 'yes' });
  t.same([res.status, res.body], [400, invalid('must be boolean')]);
  res = await post(app, 'video-conference.start', { roomId: [UI_TEST] });
  t.same([res.status, res.body], [400, invalid('must be string')], 'arrays are not unwrapped in bodies (coerceTypes: true)');

  // `{"state":{"mic":"false"}}` joins muted (Jitsi shows it in the URL).
  await settings(app, { settings: { VideoConf_Default_Provider: 'jitsi' } });
  const callId = (await post(app, 'video-conference.start', { roomId: UI_TEST, title: 'x' })).body.data.callId;
  res = await post(app, 'video-conference.join', { callId, state: { mic: 'false', cam: 0 } });
  t.equal(res.status, 200);
  t.match(res.body.url, /&config\.startWithAudioMuted=true&config\.startWithVideoMuted=true&/);
  res = await post(app, 'video-conference.cancel', { callId: { id: callId } });
  t.same([res.status, res.body], [400, invalid('must be string')]);
});

t.test('video-conference.list reads count and offset as 8.8.1 does; no store error text reaches the client', async (t) => {
  const app = await build(t, { rateLimits: false });
  const ids: string[] = [];
  const clock = app.emulator.worlds.default.clock;
  for (let i = 0; i < 105; i++) {
    clock.advance(1000);
    ids.unshift((await post(app, 'video-conference.start', { roomId: 'GENERAL' })).body.data.callId);
  }
  const page = async (query: string) => {
    const res = await get(app, `/api/v1/video-conference.list?roomId=GENERAL&${query}`);
    if (res.status !== 200) return [res.status, res.body];
    return [res.status, res.body.data.map((c: { _id: string }) => c._id).join(','), res.body.offset, res.body.count, res.body.total];
  };
  const ok = (from: number, to: number, offset: number | null) => [200, ids.slice(from, to).join(','), offset, ids.slice(from, to).length, 105];
  const cases: [string, unknown[]][] = [
    ['count=1e400', ok(0, 105, 0)], // Infinity → parseInt NaN → MongoDB's limit NaN is 0: every call
    ['count=Infinity', ok(0, 105, 0)],
    ['count=-Infinity', ok(0, 105, 0)],
    ['count=0x1', ok(0, 1, 0)], // Number("0x1") is 1
    ['count=-1', ok(0, 1, 0)], // a negative limit: |count| items
    ['count=-3', ok(0, 3, 0)],
    ['count=-101', ok(0, 101, 0)], // the cap is on count > 100, before MongoDB's negation
    ['count=1e20', ok(0, 100, 0)],
    ['count=1e23', ok(0, 1, 0)], // String(1e23) is "1e+23", parseInt 1
    ['count=2.9', ok(0, 2, 0)],
    ['count=&offset=', ok(0, 50, 0)], // empty is null: the defaults
    ['offset=0x1&count=2', ok(1, 3, 1)],
    ['offset=1e20', ok(105, 105, 1e20)], // past 2^63 MongoDB clamps: nothing left
    ['offset=99999999999999999999999', ok(1, 51, 1)], // the number 1e23, whose text "1e+23" parseInt reads as 1
    ['offset=Infinity&count=1', ok(0, 1, null)], // NaN skip is 0; the echo is NaN, JSON null
    ['offset=2.5&count=1', ok(2, 3, 2)],
    ['offset=-5', [400, { success: false, error: "BSON field 'skip' value must be >= 0, actual value '-5'" }]],
    ['offset=-1e20', [400, { success: false, error: "BSON field 'skip' value must be >= 0, actual value '-9223372036854775808'" }]],
    ['offset=abc', [400, invalid('must be number')]],
    ['count=NaN', [400, invalid('must be number')]],
  ];
  for (const [query, expected] of cases) t.same(await page(query), expected, query);
  const denied = await get(app, '/api/v1/video-conference.list?roomId=65f0a1b2c3d4e5f6a7b8c9d0&offset=-5', { 'x-user-id': 'ZDxqfhLNwTv7Wc3Ea', 'x-auth-token': 'Ou7sIdEr_9kLmN2pQ5rS8tU1vW4xY7zA0bC3dE6fG9h' });
  t.same([denied.status, denied.body], [400, INVALID_PARAMS], 'the room is checked before the database runs the query');
});

t.test('providers as a world setting: none, unconfigured, unknown default', async (t) => {
  const app = await build(t, { rateLimits: false });
  const caps = () => get(app, '/api/v1/video-conference.capabilities');
  const start = () => post(app, 'video-conference.start', { roomId: UI_TEST });
  const early = (await start()).body.data.callId as string;

  let res = await settings(app, { videoConfProviders: [] });
  t.same(res.body.videoConfProviders, []);
  t.same((await caps()).body, { success: false, error: 'no-videoconf-provider-app' });
  t.same((await start()).body, { success: false, error: 'no-videoconf-provider-app' });
  t.equal((await get(app, '/api/v1/video-conference.providers')).text, '{"data":[],"success":true}');
  res = await post(app, 'video-conference.join', { callId: early });
  t.same([res.status, res.body], [400, { success: false, error: 'video-conf-provider-not-configured' }], "the call's provider is gone");
  const info = await get(app, `/api/v1/video-conference.info?callId=${early}`);
  t.same(info.body.capabilities, {}, 'an unregistered provider has no capabilities');

  res = await settings(app, { videoConfProviders: [{ key: 'googlemeet' }, { key: 'unconfigured', label: 'Unconfigured', configured: false }] });
  t.same(res.body.videoConfProviders, [
    { key: 'googlemeet', label: 'GoogleMeet', configured: true },
    { key: 'unconfigured', label: 'Unconfigured', configured: false },
  ]);
  t.equal((await get(app, '/api/v1/video-conference.providers')).text, '{"data":[{"key":"googlemeet","label":"GoogleMeet"},{"key":"unconfigured","label":"Unconfigured"}],"success":true}');
  t.equal((await caps()).body.providerName, 'googlemeet', 'the fixtures name googlemeet');
  await settings(app, { settings: { VideoConf_Default_Provider: 'unconfigured' } });
  t.same((await caps()).body, { success: false, error: 'video-conf-provider-not-configured' });
  t.same((await start()).body, { success: false, error: 'video-conf-provider-not-configured' });
  await settings(app, { settings: { VideoConf_Default_Provider: 'zoom' } });
  t.same((await caps()).body, { success: false, error: 'no-active-video-conf-provider' });
  await settings(app, { settings: { VideoConf_Default_Provider: null } });
  t.same((await caps()).body, { success: false, error: 'no-active-video-conf-provider' }, 'no setting, two providers: none active');
  await settings(app, { videoConfProviders: [{ key: 'jitsi' }] });
  t.same((await caps()).body.providerName, 'jitsi', 'no setting, one provider: that one');
  res = await post(app, 'video-conference.join', { callId: early });
  t.same([res.status, res.body], [400, { success: false, error: 'video-conf-provider-not-configured' }]);

  // Anonymous callers get failed-to-get-url instead (no user to diagnose for).
  await settings(app, { settings: { Accounts_AllowAnonymousRead: true } });
  res = await post(app, 'video-conference.join', { callId: early }, {});
  t.same([res.status, res.body], [400, { success: false, error: 'failed-to-get-url' }]);
});

t.test('the control plane: what Rocket.Chat server a world is', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/_emulator/worlds/default/rocketchat/settings' });
  t.same([res.status, res.body], [
    200,
    {
      version: '8.8.1',
      videoConfProviders: [
        { key: 'jitsi', label: 'Jitsi', configured: true },
        { key: 'googlemeet', label: 'GoogleMeet', configured: true },
      ],
      settings: { Accounts_AllowAnonymousRead: false, VideoConf_Default_Provider: 'googlemeet' },
    },
  ]);
  res = await settings(app, { videoConfProviders: [{ key: 'zoom' }] });
  t.same([res.status, res.body.detail], [400, 'provider zoom can only be registered with "configured": false (only jitsi and googlemeet can be configured)']);
  res = await settings(app, { settings: { 'emulator:version': '1.0.0' } });
  t.same([res.status, res.body.detail], [400, 'emulator:version is not a Rocket.Chat setting']);
  res = await settings(app, { version: 'eight' });
  t.equal(res.status, 400, 'a version is semver');
  res = await settings(app, { version: '7.0.0' }, 'nope');
  t.equal(res.status, 404);
  res = await settings(app, { settings: { Site_Url: 'https://chat.example.com' } });
  t.same(res.body.settings, { Accounts_AllowAnonymousRead: false, Site_Url: 'https://chat.example.com', VideoConf_Default_Provider: 'googlemeet' });
  t.equal(res.body.version, '8.8.1', 'only what is sent changes');

  // A world created with its own version and providers; reset goes back to them.
  const created = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { fixtures: { rocketchat: { version: '7.10.0', videoConfProviders: [] } } } });
  const id = created.body.id;
  t.same((await call(app, { method: 'GET', url: `/_emulator/worlds/${id}/rocketchat/settings` })).body, { version: '7.10.0', videoConfProviders: [], settings: {} });
  await settings(app, { version: '8.1.0' }, id);
  await call(app, { method: 'POST', url: `/_emulator/worlds/${id}/reset` });
  t.equal((await call(app, { method: 'GET', url: `/_emulator/worlds/${id}/rocketchat/settings` })).body.version, '7.10.0');

  const bad = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { fixtures: { rocketchat: { videoConfProviders: [{ key: 'zoom' }] } } } });
  t.equal(bad.status, 400, 'the fixtures schema refuses a configured provider it has no app for');
});

t.test("a store error is never the client's message", async (t) => {
  const { default: Database } = await import('better-sqlite3');
  const { toWire } = await import('../../../src/providers/rocketchat/errors.js');
  t.same(toWire(new Database.SqliteError('datatype mismatch', 'SQLITE_MISMATCH')), { status: 400, body: { success: false } });
  t.same(toWire(new Error('invalid-call')), { status: 400, body: { success: false, error: 'invalid-call' } }, 'other errors keep theirs');
});
