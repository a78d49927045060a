import t from 'tap';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { T0_MS, build, call } from '../../helper.js';
import { AUTH, BAD_REQUEST, GUEST_SCOPES, OTHER_AUTH, OTHER_PROJECT, PROJECT, entry, unprocessable } from './fixtures.js';

const post = (app: Awaited<ReturnType<typeof build>>, payload: unknown, headers = AUTH) =>
  call(app, { method: 'POST', url: '/api/video/room_tokens', headers, payload: payload as object });

/** The world's signing key, as the emulator keeps it. */
const key = (app: Awaited<ReturnType<typeof build>>, world = 'default') =>
  Buffer.from(app.emulator.db.prepare('SELECT key FROM signalwire_signing_keys WHERE world = ?').pluck().get(world) as string, 'hex');

t.test('a room token is an HS512 JWT with the claims of the spec example, signed with the world key', async (t) => {
  const app = await build(t);
  const res = await post(app, { room_name: 'my_room', user_name: 'John Smith' });
  t.same([res.status, Object.keys(res.body), res.headers['x-ratelimit-remaining']], [200, ['token'], '13799']);
  const token = res.body.token as string;
  t.same(decodeProtectedHeader(token), { typ: 'VRT', alg: 'HS512' });
  const claims = decodeJwt(token);
  t.same(claims, {
    iat: T0_MS / 1000,
    jti: claims.jti,
    sub: PROJECT,
    u: 'John Smith',
    r: 'my_room',
    s: GUEST_SCOPES,
    acr: true,
    ja: 'member',
  }, 'defaults: the 11 room.self permissions, auto_create_room, join_as member');
  t.match(claims.jti, /^[0-9a-f-]{36}$/);
  const { payload } = await jwtVerify(token, key(app), { algorithms: ['HS512'], typ: 'VRT' });
  t.equal(payload.r, 'my_room', 'the signature verifies with the world key');

  const tokens = await call(app, { method: 'GET', url: '/_emulator/worlds/default/signalwire/room_tokens' });
  t.same(tokens.body.room_tokens, [
    { id: claims.jti, project_id: PROJECT, room_name: 'my_room', user_name: 'John Smith', permissions: GUEST_SCOPES, join_as: 'member', join_from: null, join_until: null, created_at: '2026-02-01T00:00:00Z' },
  ], 'the state view lists the token issued');
});

t.test('every request field reaches its claim; audience gets no permissions', async (t) => {
  const app = await build(t);
  let res = await post(app, {
    room_name: 'room-2',
    permissions: ['room.self.audio_mute', 'room.member.remove', 'room.lock', 'room.self.audio_mute'],
    join_from: '2026-02-01',
    join_until: '2026-02-01T01:00:00+01:00',
    remove_at: '2026-02-02T00:00:00Z',
    remove_after_seconds_elapsed: 900,
    join_audio_muted: true,
    join_video_muted: false,
    auto_create_room: false,
    enable_room_previews: true,
    room_display_name: 'Room Two',
    end_room_session_on_leave: true,
    media_allowed: 'audio-only',
    room_meta: { topic: 'team-meeting' },
    meta: { name: 'John Smith' },
    sync_audio_video: true,
    unknown: 'ignored',
  }, OTHER_AUTH);
  t.equal(res.status, 200);
  const claims = decodeJwt(res.body.token);
  t.same(claims, {
    iat: T0_MS / 1000,
    jti: claims.jti,
    sub: OTHER_PROJECT,
    r: 'room-2',
    s: ['room.self.audio_mute', 'room.member.remove', 'room.lock'],
    acr: false,
    jf: T0_MS / 1000,
    ju: T0_MS / 1000,
    rat: T0_MS / 1000 + 86400,
    rse: 900,
    ja: 'member',
    jam: true,
    jvm: false,
    erp: true,
    rdn: 'Room Two',
    ersl: true,
    ma: 'audio-only',
    rm: { topic: 'team-meeting' },
    m: { name: 'John Smith' },
    sav: true,
  }, 'no u claim without user_name; permissions deduplicated');
  res = await post(app, { room_name: 'room-2', join_as: 'audience', permissions: ['room.self.audio_mute'] });
  t.same(decodeJwt(res.body.token).s, [], 'join_as audience: permissions are empty');
  t.equal(decodeJwt(res.body.token).ja, 'audience');
});

t.test('create_room_token errors: 422 per field in model order, 400', async (t) => {
  const app = await build(t);
  const fails = async (payload: unknown, ...entries: ReturnType<typeof entry>[]) => {
    const res = await post(app, payload);
    t.same([res.status, res.body], [422, unprocessable(...entries)], JSON.stringify(payload).slice(0, 80));
  };
  await fails({}, entry('room_name', "can't be blank"));
  await fails({ room_name: 'my room' }, entry('room_name', 'is invalid'));
  await fails({ room_name: 'r'.repeat(101) }, entry('room_name', 'is too long (maximum is 100 characters)'));
  await fails({ room_name: 'r', user_name: 'u'.repeat(101) }, entry('user_name', 'is too long (maximum is 100 characters)'));
  await fails({ room_name: 'r', permissions: ['room.self.fly'] }, entry('permissions', 'is not included in the list'));
  await fails({ room_name: 'r', permissions: 'room.self.audio_mute' }, entry('permissions', 'is invalid'));
  await fails({ room_name: 'r', remove_after_seconds_elapsed: 0 }, entry('remove_after_seconds_elapsed', 'must be greater than 0'));
  await fails({ room_name: 'r', remove_after_seconds_elapsed: 200001 }, entry('remove_after_seconds_elapsed', 'must be less than or equal to 200000'));
  await fails({ room_name: 'r', room_meta: { x: 'y'.repeat(2000) } }, entry('room_meta', 'is too long (maximum is 2000 characters)'));
  await fails(
    { sync_audio_video: 1, media_allowed: 'all-of-it', join_as: 'host', join_until: 'later', room_name: 'ok' },
    entry('join_until', 'is invalid'),
    entry('join_as', 'is not included in the list'),
    entry('media_allowed', 'is not included in the list'),
    entry('sync_audio_video', 'is invalid'),
  );
  const res = await call(app, { method: 'POST', url: '/api/video/room_tokens', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '[1]' });
  t.same([res.status, res.body], [400, BAD_REQUEST]);
  const tokens = await call(app, { method: 'GET', url: '/_emulator/worlds/default/signalwire/room_tokens' });
  t.equal(tokens.body.total, 0, 'no token was issued');
});

t.test('each world signs with its own key', async (t) => {
  const app = await build(t);
  const world = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { name: 'second' } });
  const project = world.body.credentials.signalwire.projects[0];
  const auth = { authorization: `Basic ${Buffer.from(`${project.projectId}:${project.token}`).toString('base64')}` };
  const mine = (await post(app, { room_name: 'r' })).body.token;
  const theirs = (await post(app, { room_name: 'r' }, auth)).body.token;
  t.ok(await jwtVerify(theirs, key(app, world.body.id)));
  await t.rejects(jwtVerify(mine, key(app, world.body.id)), 'a token of another world does not verify');
  t.not(key(app).toString('hex'), key(app, world.body.id).toString('hex'));
});
