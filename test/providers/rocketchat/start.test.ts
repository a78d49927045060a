import t from 'tap';
import { build, call, T0 } from '../../helper.js';
import { DM, INVALID_PARAMS, JANE, JOHN, NOT_LOGGED_IN, OUTSIDER, PRIVATE_ROOM, UI_TEST, invalid } from './fixtures.js';

const start = (app: Awaited<ReturnType<typeof build>>, body: unknown, headers: Record<string, string> = JOHN) =>
  call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers, payload: body as object });

t.test('start a group call, then read it back', async (t) => {
  const app = await build(t, { rateLimits: false });
  const res = await start(app, { roomId: UI_TEST, title: 'Standup' });
  t.equal(res.status, 200);
  const callId = res.body.data.callId;
  t.match(callId, /^[0-9a-f]{24}$/);
  t.equal(callId.slice(0, 8), (Date.parse(T0) / 1000).toString(16), 'ObjectId timestamp from the clock');
  t.same(res.body, { data: { type: 'videoconference', callId, rid: UI_TEST, providerName: 'googlemeet' }, success: true });
  t.same(Object.keys(res.body.data), ['type', 'callId', 'rid', 'providerName']);

  const info = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: JOHN });
  t.equal(info.status, 200);
  const messageId = info.body.messages.started;
  t.match(messageId, /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
  t.equal(
    info.text,
    JSON.stringify({
      _id: callId,
      type: 'videoconference',
      users: [],
      messages: { started: messageId },
      status: 1,
      anonymousUsers: 0,
      createdAt: T0,
      providerName: 'googlemeet',
      title: 'Standup',
      rid: UI_TEST,
      createdBy: { _id: 'CkCPNctrgCDfmWLqC', name: 'john', username: 'john.doe' },
      _updatedAt: T0,
      url: `http://g.co/meet/RocketChat_${callId}`,
      capabilities: { mic: false, cam: false, title: false },
      success: true,
    }),
  );
});

t.test('title falls back to the room name; ringing only when allowed and the room is small', async (t) => {
  const app = await build(t, { rateLimits: false });
  const a = await start(app, { roomId: UI_TEST, title: null, allowRinging: true });
  const infoA = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${a.body.data.callId}`, headers: JOHN });
  t.equal(infoA.body.title, 'ui-test');
  t.equal(infoA.body.ringing, true);
  const b = await start(app, { roomId: UI_TEST, allowRinging: false, title: '' });
  const infoB = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${b.body.data.callId}`, headers: JOHN });
  t.equal(infoB.body.title, 'ui-test');
  t.notOk('ringing' in infoB.body, 'no ringing key when not ringing');
});

t.test('a ringing call in a two-member DM is a direct call', async (t) => {
  const app = await build(t, { rateLimits: false });
  const res = await start(app, { roomId: DM, allowRinging: true });
  t.equal(res.status, 200);
  const callId = res.body.data.callId;
  t.equal(res.text, JSON.stringify({ data: { type: 'direct', callId, calleeId: 'fRv4qm8ycWHXSA7af', providerName: 'googlemeet' }, success: true }));
  const info = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: JANE });
  t.equal(info.body.type, 'direct');
  t.equal(info.body.status, 0);
  t.equal(info.body.ringing, true);
  t.notOk('title' in info.body);
  t.notOk('anonymousUsers' in info.body);
  const group = await start(app, { roomId: DM });
  t.equal(group.body.data.type, 'videoconference', 'without ringing a DM call is a group call');
});

t.test('start errors, in the documented order', async (t) => {
  const app = await build(t, { rateLimits: false });
  let res = await start(app, {});
  t.same([res.status, res.body], [400, invalid("must have required property 'roomId'")]);
  res = await start(app, { roomId: UI_TEST, extra: 1 });
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await start(app, { roomId: { id: UI_TEST } });
  t.same([res.status, res.body], [400, invalid('must be string')]);
  res = await start(app, { roomId: UI_TEST, allowRinging: 'yes' });
  t.same([res.status, res.body], [400, invalid('must be boolean')]);
  res = await start(app, [] as unknown as object);
  t.same([res.status, res.body], [400, invalid('must be object')]);
  res = await start(app, { roomId: 'nope' });
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await start(app, { roomId: PRIVATE_ROOM }, OUTSIDER);
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await start(app, { roomId: UI_TEST }, {});
  t.same([res.status, res.body], [401, NOT_LOGGED_IN]);
});

t.test('start refuses rooms the user cannot post in, and a missing provider', async (t) => {
  const base = (await import('../../../fixtures/rocketchat.json', { with: { type: 'json' } })).default;
  const fixtures = structuredClone(base) as any;
  fixtures.rooms.push(
    { _id: 'archived-room', t: 'c', name: 'archived', archived: true, members: [] },
    { _id: 'ro-room', t: 'c', name: 'announcements', ro: true, unmuted: ['jane.doe'], members: [] },
    { _id: 'muted-room', t: 'c', name: 'muted', muted: ['john.doe'], members: [] },
    { _id: 'blocked-dm', t: 'd', members: ['CkCPNctrgCDfmWLqC', 'ZDxqfhLNwTv7Wc3Ea'], blocked: ['CkCPNctrgCDfmWLqC'] },
  );
  fixtures.users.push({ _id: 'guestUserIdAAAAAA', name: 'Guest', roles: ['guest'], authTokens: ['guest-token'] });
  fixtures.users.push({ _id: 'noUsernameAAAAAAA', name: 'Anon', roles: ['user'], authTokens: ['no-username-token'] });
  const app = await build(t, { fixtures: { rocketchat: fixtures }, rateLimits: false });
  const expect = async (body: object, headers: Record<string, string>, status: number, error: string) => {
    const res = await start(app, body, headers);
    t.same([res.status, res.body], [status, { success: false, error }], error);
  };
  await expect({ roomId: UI_TEST }, { 'x-user-id': 'guestUserIdAAAAAA', 'x-auth-token': 'guest-token' }, 403, 'forbidden');
  await expect({ roomId: UI_TEST }, { 'x-user-id': 'noUsernameAAAAAAA', 'x-auth-token': 'no-username-token' }, 400, 'error-invalid-user');
  await expect({ roomId: 'archived-room' }, JOHN, 400, 'room_is_archived');
  await expect({ roomId: 'blocked-dm' }, JOHN, 400, 'room_is_blocked');
  await expect({ roomId: 'ro-room' }, JOHN, 400, "You can't send messages because the room is readonly.");
  const unmuted = await start(app, { roomId: 'ro-room' }, JANE);
  t.equal(unmuted.status, 200, 'an unmuted user may post in a read-only room');
  await expect({ roomId: 'muted-room' }, JOHN, 400, 'You_have_been_muted');

  app.emulator.db.prepare("UPDATE rocketchat_settings SET value = '\"\"' WHERE key = 'VideoConf_Default_Provider'").run();
  await expect({ roomId: 'GENERAL' }, JANE, 400, 'no-active-video-conf-provider');
  const caps = await call(app, { method: 'GET', url: '/api/v1/video-conference.capabilities', headers: JANE });
  t.same([caps.status, caps.body], [400, { success: false, error: 'no-active-video-conf-provider' }]);
});

t.test('jitsi as the active provider', async (t) => {
  const app = await build(t, { rateLimits: false });
  app.emulator.db.prepare("UPDATE rocketchat_settings SET value = '\"jitsi\"' WHERE key = 'VideoConf_Default_Provider'").run();
  const res = await start(app, { roomId: UI_TEST, title: 'ui-test' }, JANE);
  const callId = res.body.data.callId;
  t.equal(res.body.data.providerName, 'jitsi');
  const join = await call(app, { method: 'POST', url: '/api/v1/video-conference.join', headers: JANE, payload: { callId, state: { mic: true, cam: false } } });
  t.equal(
    join.body.url,
    `https://meet.jit.si/RocketChat${callId}#config.desktopSharingChromeExtId=%22nocfbnnmjnndkbipkabodnheejiegccf%22&config.callDisplayName=%22ui-test%22&config.startWithAudioMuted=false&config.startWithVideoMuted=true&userInfo.displayName=%22jane%22&config.prejoinPageEnabled=false&config.prejoinConfig.enabled=false`,
  );
  const caps = await call(app, { method: 'GET', url: '/api/v1/video-conference.capabilities', headers: JANE });
  t.equal(caps.text, JSON.stringify({ providerName: 'jitsi', capabilities: { mic: true, cam: true, title: true }, success: true }));
});
