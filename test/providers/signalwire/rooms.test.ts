import t from 'tap';
import { build, call } from '../../helper.js';
import {
  AUTH,
  BAD_REQUEST,
  JSON_UTF8,
  NOT_FOUND,
  NO_VIDEO_TOKEN,
  ORIGIN,
  OTHER_AUTH,
  PROJECT,
  UNAUTHORIZED,
  basic,
  entry,
  unprocessable,
} from './fixtures.js';

const room = (fields: Record<string, unknown>) => ({
  id: fields.id,
  name: fields.name,
  display_name: fields.name,
  description: null,
  max_members: 20,
  quality: '720p',
  fps: 20,
  join_from: null,
  join_until: null,
  remove_at: null,
  remove_after_seconds_elapsed: null,
  layout: 'grid-responsive',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  room_join_video_off: false,
  user_join_video_off: false,
  enable_room_previews: false,
  sync_audio_video: null,
  meta: null,
  prioritize_handraise: false,
  created_at: '2026-02-01T00:00:00Z',
  updated_at: '2026-02-01T00:00:00Z',
  ...fields,
});

t.test('create: defaults, every field, 200 with rate-limit headers', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: 'my_room', unknown: 1, id: 'ignored' } });
  t.same([res.status, res.headers['content-type'], res.headers['x-ratelimit-remaining']], [200, JSON_UTF8, '13799']);
  t.equal(res.text, JSON.stringify(room({ id: res.body.id, name: 'my_room' })), 'every key in order; display_name defaults to name');
  t.match(res.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  const payload = {
    name: 'All-Hands_2',
    display_name: 'All Hands',
    description: 'Company all hands',
    max_members: 300,
    quality: '1080p',
    join_from: '2026-03-01T10:00:00+02:00',
    join_until: '2026-03-02',
    remove_at: '2026-03-02T01:00:00Z',
    remove_after_seconds_elapsed: 200000,
    layout: '5up',
    record_on_start: true,
    enable_room_previews: true,
    meta: { topic: 'q1' },
    sync_audio_video: false,
  };
  res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload });
  t.equal(
    res.text,
    JSON.stringify(
      room({
        ...payload,
        id: res.body.id,
        join_from: '2026-03-01T08:00:00Z',
        join_until: '2026-03-02T00:00:00Z',
        remove_at: '2026-03-02T01:00:00Z',
      }),
    ),
  );
});

t.test('create: 422 rules in field order; names unique among rooms and conferences', async (t) => {
  const app = await build(t);
  const create = async (payload: unknown) => {
    const res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: payload as object });
    t.equal(res.status, 422, JSON.stringify(payload).slice(0, 80));
    return res.body;
  };
  t.same(await create({}), unprocessable(entry('name', "can't be blank")));
  t.same(await create({ name: ' ' }), unprocessable(entry('name', "can't be blank")));
  t.same(await create({ name: 'my room' }), unprocessable(entry('name', 'is invalid')));
  t.same(await create({ name: 7 }), unprocessable(entry('name', 'is invalid')));
  t.same(await create({ name: 'a'.repeat(101) }), unprocessable(entry('name', 'is too long (maximum is 100 characters)')));
  t.same(await create({ name: 'weekly-sync' }), unprocessable(entry('name', 'This value must be unique', 'value_not_unique')), "a conference's name is taken");
  t.same(await create({ name: 'r', max_members: 0 }), unprocessable(entry('max_members', 'must be greater than or equal to 1')));
  t.same(await create({ name: 'r', max_members: 301 }), unprocessable(entry('max_members', 'must be less than or equal to 300')));
  t.same(await create({ name: 'r', max_members: '20' }), unprocessable(entry('max_members', 'is invalid')));
  t.same(await create({ name: 'r', remove_after_seconds_elapsed: 0 }), unprocessable(entry('remove_after_seconds_elapsed', 'must be greater than or equal to 1')));
  t.same(await create({ name: 'r', meta: { text: 'x'.repeat(2000) } }), unprocessable(entry('meta', 'is too long (maximum is 2000 characters)')));
  t.same(await create({ name: 'r', meta: [1] }), unprocessable(entry('meta', 'is invalid')));
  t.same(
    await create({ sync_audio_video: 'yes', layout: 'grid', quality: '4k', join_from: 'soon', display_name: 'x'.repeat(201), name: 'weekly-sync', description: 5 }),
    unprocessable(
      entry('name', 'This value must be unique', 'value_not_unique'),
      entry('display_name', 'is too long (maximum is 200 characters)'),
      entry('description', 'is invalid'),
      entry('quality', 'is not included in the list'),
      entry('join_from', 'is invalid'),
      entry('layout', 'is not included in the list'),
      entry('sync_audio_video', 'is invalid'),
    ),
    'entries follow the model order, not the body order',
  );

  let res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: 'shared' } });
  t.equal(res.status, 200);
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { name: 'shared', display_name: 'Shared' } });
  t.same([res.status, res.body], [422, unprocessable(entry('name', 'This value must be unique', 'value_not_unique'))], "a room's name is taken for conferences");
  res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: OTHER_AUTH, payload: { name: 'shared' } });
  t.equal(res.status, 200, 'names are unique per project');
  res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{' });
  t.same([res.status, res.body], [400, BAD_REQUEST]);
});

t.test('list, get by id and by name, include_active_session; conferences are not rooms', async (t) => {
  const app = await build(t);
  const created: Record<string, string> = {};
  const clock = app.emulator.worlds.default.clock;
  for (const [name, join_from] of [['alpha', '2026-03-01'], ['beta', null], ['gamma', '2026-04-01']] as const) {
    clock.advance(1000);
    const res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name, join_from } });
    created[name] = res.body.id;
  }
  let res = await call(app, { method: 'GET', url: '/api/video/rooms?page_size=2', headers: AUTH });
  t.same(res.body.data.map((r: { name: string }) => r.name), ['alpha', 'beta'], 'only rooms, oldest first');
  t.same(res.body.links, {
    self: `${ORIGIN}/api/video/rooms?page_number=0&page_size=2`,
    first: `${ORIGIN}/api/video/rooms?page_number=0&page_size=2`,
    next: `${ORIGIN}/api/video/rooms?page_number=1&page_size=2&page_token=PA${created.beta}`,
  });
  res = await call(app, { method: 'GET', url: res.body.links.next, headers: AUTH });
  t.same(res.body.data.map((r: { name: string }) => r.name), ['gamma']);
  res = await call(app, { method: 'GET', url: '/api/video/rooms?starts_after=2026-03-15', headers: AUTH });
  t.same(res.body.data.map((r: { name: string }) => r.name), ['gamma'], 'starts_after: join_from on or after; null excluded');
  res = await call(app, { method: 'GET', url: '/api/video/rooms?starts_after=1767225600&include_active_session=maybe&page_size=0', headers: AUTH });
  t.same([res.status, res.body], [
    422,
    unprocessable(entry('include_active_session', 'is invalid'), entry('starts_after', 'is invalid'), entry('page_size', 'must be greater than or equal to 1')),
  ], 'Unix seconds are not a room date');
  res = await call(app, { method: 'GET', url: '/api/video/rooms', headers: OTHER_AUTH });
  t.same(res.body.data, [], "another project's rooms are not listed");

  res = await call(app, { method: 'GET', url: `/api/video/rooms/${created.alpha.toUpperCase()}`, headers: AUTH });
  t.same([res.status, res.body.name], [200, 'alpha'], 'get_room: ids compare case-insensitively');
  res = await call(app, { method: 'GET', url: '/api/video/rooms/beta', headers: AUTH });
  t.same([res.status, res.body.id], [200, created.beta], 'get_room_by_name');
  res = await call(app, { method: 'GET', url: '/api/video/rooms/BETA', headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'names are case-sensitive');
  res = await call(app, { method: 'GET', url: '/api/video/rooms/weekly-sync', headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'a conference is not a room');
  res = await call(app, { method: 'GET', url: '/api/video/rooms/alpha', headers: OTHER_AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's room is unknown");
  res = await call(app, { method: 'GET', url: '/api/video/rooms/alpha?include_active_session=1', headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('include_active_session', 'is invalid'))]);
  const uuidName = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';
  await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: uuidName } });
  res = await call(app, { method: 'GET', url: `/api/video/rooms/${uuidName}`, headers: AUTH });
  t.same([res.status, res.body.name], [200, uuidName], 'a UUID that is no room id is looked up as a name');

  res = await call(app, { method: 'GET', url: `/api/video/rooms/${created.alpha}?include_active_session=true`, headers: AUTH });
  t.notOk('active_session' in res.body, 'no live session: no key');
  const started = await call(app, { method: 'POST', url: `/_emulator/signalwire/rooms/${created.alpha}/room_sessions` });
  t.equal(started.status, 201);
  res = await call(app, { method: 'GET', url: '/api/video/rooms/alpha?include_active_session=true', headers: AUTH });
  t.same([res.body.active_session.id, res.body.active_session.room_id, res.body.active_session.max_members, res.body.active_session.status], [
    started.body.id,
    created.alpha,
    20,
    'in-progress',
  ]);
  res = await call(app, { method: 'GET', url: '/api/video/rooms?include_active_session=true', headers: AUTH });
  t.same(res.body.data.map((r: { active_session?: { id: string } }) => r.active_session?.id ?? null), [started.body.id, null, null, null]);
  res = await call(app, { method: 'GET', url: '/api/video/conferences', headers: AUTH });
  t.notOk(res.body.data.some((c: { name: string }) => c.name === 'alpha'), 'a room is not a conference');
});

t.test('update: PUT with the spec body (defaults for the omitted fields that have one), 404, 422', async (t) => {
  const app = await build(t);
  let res = await call(app, {
    method: 'POST',
    url: '/api/video/rooms',
    headers: AUTH,
    payload: { name: 'r1', display_name: 'R1', description: 'd', max_members: 5, quality: '1080p', layout: '2x2', record_on_start: true, meta: { a: 1 } },
  });
  const id = res.body.id;
  app.emulator.worlds.default.clock.advance(61_000);
  res = await call(app, { method: 'PUT', url: `/api/video/rooms/${id}`, headers: AUTH, payload: { display_name: 'Renamed', name: 'ignored' } });
  t.equal(res.status, 200);
  t.equal(
    res.text,
    JSON.stringify(room({ id, name: 'r1', display_name: 'Renamed', description: 'd', meta: { a: 1 }, updated_at: '2026-02-01T00:01:01Z' })),
    'max_members, quality, layout, record_on_start back to their defaults; description and meta kept; name unchanged',
  );
  res = await call(app, { method: 'PUT', url: `/api/video/rooms/${id}`, headers: AUTH, payload: { description: null, meta: null, max_members: 7 } });
  t.same([res.body.description, res.body.meta, res.body.max_members, res.body.display_name], [null, null, 7, 'Renamed'], 'null clears');
  res = await call(app, { method: 'PUT', url: `/api/video/rooms/${id}`, headers: AUTH, payload: { max_members: 1.5, quality: null } });
  t.same([res.status, res.body], [422, unprocessable(entry('max_members', 'is invalid'), entry('quality', 'is not included in the list'))]);
  res = await call(app, { method: 'PUT', url: '/api/video/rooms/00000000-0000-4000-8000-000000000000', headers: AUTH, payload: {} });
  t.same([res.status, res.body, res.headers['x-ratelimit-limit']], [404, NOT_FOUND, '13800']);
  res = await call(app, { method: 'PUT', url: `/api/video/rooms/${id}`, headers: OTHER_AUTH, payload: {} });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's room");
});

t.test('delete: 204, ends the live session (history stays), discards its logs; then 404', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: 'gone', record_on_start: true } });
  const id = res.body.id;
  const session = (await call(app, { method: 'POST', url: `/_emulator/signalwire/rooms/${id}/room_sessions` })).body;
  t.same([session.room_id, session.name, session.record_on_start], [id, 'gone', true]);
  res = await call(app, { method: 'POST', url: `/api/video/rooms/${id}/streams`, headers: AUTH, payload: { url: 'rtmp://example.com/live' } });
  const stream = res.body.id;
  app.emulator.worlds.default.clock.advance(30_000);

  res = await call(app, { method: 'DELETE', url: `/api/video/rooms/${id}`, headers: AUTH });
  t.same([res.status, res.text, res.headers['content-type']], [204, '', undefined]);
  res = await call(app, { method: 'DELETE', url: `/api/video/rooms/${id}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'a repeated delete is 404');
  res = await call(app, { method: 'GET', url: `/api/video/streams/${stream}`, headers: AUTH });
  t.equal(res.status, 404, 'its streams are deleted');
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}`, headers: AUTH });
  t.same([res.status, res.body.status, res.body.duration, res.body.room_id], [200, 'completed', 30, id], 'the session ended and stays readable');
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}/recordings`, headers: AUTH });
  t.same(res.body.data.map((r: { status: string; duration: number }) => [r.status, r.duration]), [['completed', 30]], 'record_on_start: recorded, then completed');
  res = await call(app, { method: 'GET', url: '/api/video/logs?include_deleted=true', headers: AUTH });
  t.same(res.body.data.at(-1), { id: res.body.data.at(-1).id, discarded_at: '2026-02-01T00:00:30Z', created_at: '2026-02-01T00:00:00Z' }, 'the log is deleted activity');
});

t.test('room streams: 201 create, list, 404 and 422', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: 'streamed', quality: '1080p' } });
  const id = res.body.id;
  res = await call(app, { method: 'POST', url: `/api/video/rooms/${id}/streams`, headers: AUTH, payload: { url: 'rtmps://example.com/live/key' } });
  t.same([res.status, res.headers['x-ratelimit-remaining']], [201, '13798'], 'the one create documented as 201');
  t.same(res.body, { id: res.body.id, url: 'rtmps://example.com/live/key', stream_type: 'rtmp', width: 1920, height: 1080, fps: 20, created_at: '2026-02-01T00:00:00Z', updated_at: '2026-02-01T00:00:00Z' });
  const stream = res.body;
  res = await call(app, { method: 'GET', url: `/api/video/rooms/${id}/streams`, headers: AUTH });
  t.same(res.body, { links: { self: `${ORIGIN}/api/video/rooms/${id}/streams?page_number=0&page_size=50`, first: `${ORIGIN}/api/video/rooms/${id}/streams?page_number=0&page_size=50` }, data: [stream] });
  res = await call(app, { method: 'GET', url: `/api/video/streams/${stream.id}`, headers: AUTH });
  t.same([res.status, res.body], [200, stream], 'get_stream knows a room stream');
  res = await call(app, { method: 'PUT', url: `/api/video/streams/${stream.id}`, headers: AUTH, payload: { url: 'rtmp://other.example/x' } });
  t.same([res.status, res.body.width, res.body.url], [200, 1920, 'rtmp://other.example/x']);
  res = await call(app, { method: 'POST', url: `/api/video/rooms/${id}/streams`, headers: AUTH, payload: { url: 'http://example.com' } });
  t.same([res.status, res.body], [422, unprocessable(entry('url', 'is invalid'))]);
  res = await call(app, { method: 'POST', url: `/api/video/rooms/${id}/streams`, headers: AUTH, payload: {} });
  t.same([res.status, res.body], [422, unprocessable(entry('url', "can't be blank"))]);
  for (const method of ['GET', 'POST'] as const) {
    res = await call(app, { method, url: '/api/video/rooms/00000000-0000-4000-8000-000000000000/streams', headers: AUTH, payload: { url: 'rtmp://x.example/y' } });
    t.same([res.status, res.body], [404, NOT_FOUND], `${method}: an unknown room is 404`);
  }
  res = await call(app, { method: 'GET', url: `/api/video/rooms/${id}/streams?page_token=nope`, headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('page_token', 'is invalid'))]);
});

t.test('auth: every room operation is 401 without credentials or without the Video scope', async (t) => {
  const app = await build(t);
  for (const [method, url] of [
    ['GET', '/api/video/rooms'],
    ['POST', '/api/video/rooms'],
    ['GET', '/api/video/rooms/my_room'],
    ['PUT', '/api/video/rooms/00000000-0000-4000-8000-000000000000'],
    ['DELETE', '/api/video/rooms/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/video/rooms/00000000-0000-4000-8000-000000000000/streams'],
    ['POST', '/api/video/room_tokens'],
    ['GET', '/api/video/room_recordings'],
    ['GET', '/api/video/logs'],
  ] as const) {
    for (const headers of [{}, basic(PROJECT, NO_VIDEO_TOKEN)]) {
      const res = await call(app, { method, url, headers, payload: {} });
      t.same([res.status, res.body], [401, UNAUTHORIZED], `${method} ${url}`);
    }
  }
});

t.test('room sessions run in rooms like in conferences: control actions, filters, events', async (t) => {
  const app = await build(t);
  let res = await call(app, {
    method: 'POST',
    url: '/api/video/rooms',
    headers: AUTH,
    payload: { name: 'live_room', max_members: 8, remove_after_seconds_elapsed: 600, sync_audio_video: false, enable_room_previews: true },
  });
  const id = res.body.id;
  res = await call(app, { method: 'POST', url: `/_emulator/signalwire/rooms/${id.toUpperCase()}/room_sessions` });
  t.same(
    [res.status, res.body.room_id, res.body.max_members, res.body.remove_after_seconds_elapsed, res.body.sync_audio_video, res.body.fps, res.body.preview_url],
    [201, id, 8, 600, false, 20, `${ORIGIN}/api/video/room_sessions/${res.body.id}/preview`],
    'the room settings are copied',
  );
  const session = res.body.id;
  res = await call(app, { method: 'POST', url: `/_emulator/signalwire/rooms/${id}/room_sessions` });
  t.equal(res.status, 409, 'one live session per room');
  res = await call(app, { method: 'POST', url: '/_emulator/signalwire/rooms/00000000-0000-4000-8000-000000000000/room_sessions' });
  t.equal(res.status, 404);
  res = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${session}/members`, payload: { name: 'Carol' } });
  t.equal(res.status, 201);
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions?room_id=${id}`, headers: AUTH });
  t.same(res.body.data.map((s: { id: string }) => s.id), [session]);
  res = await call(app, { method: 'GET', url: '/api/video/room_sessions?room_name=live_room&status=in-progress', headers: AUTH });
  t.same(res.body.data.map((s: { id: string }) => s.id), [session]);
  res = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${session}/end` });
  t.equal(res.body.status, 'completed');
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session}/events`, headers: AUTH });
  t.same(res.body.data.map((e: { name: string }) => e.name), ['room.started', 'member.joined', 'member.left', 'room.ended']);
  res = await call(app, { method: 'GET', url: '/_emulator/worlds/default/signalwire/rooms' });
  t.same(res.body.rooms.map((r: { name: string; active_session_id: string | null; streams: number }) => [r.name, r.active_session_id, r.streams]), [['live_room', null, 0]]);
});

t.test('fixtures can seed rooms, validated with the API rules', async (t) => {
  const app = await build(t);
  const project = { id: '11111111-2222-4333-8444-555555555555', api_tokens: [{ token: 'PTroomfixtures' }] };
  app.emulator.worlds.create('seeded', 'seeded', {
    signalwire: { projects: [{ ...project, rooms: [{ id: '0A0A0A0A-0B0B-4C0C-8D0D-0E0E0E0E0E0E', name: 'seeded_room', max_members: 5, created_at: '2026-01-01T00:00:00Z' }] }] },
  });
  const res = await call(app, { method: 'GET', url: '/api/video/rooms/seeded_room', headers: basic(project.id, 'PTroomfixtures') });
  t.equal(res.text, JSON.stringify(room({ id: '0a0a0a0a-0b0b-4c0c-8d0d-0e0e0e0e0e0e', name: 'seeded_room', max_members: 5, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' })));
  t.throws(
    () => app.emulator.worlds.create('bad', 'bad', { signalwire: { projects: [{ ...project, id: '11111111-2222-4333-8444-666666666666', rooms: [{ id: '0a0a0a0a-0b0b-4c0c-8d0d-0e0e0e0e0e0f', name: 'x y' }] }] } }),
    /room 0a0a0a0a-0b0b-4c0c-8d0d-0e0e0e0e0e0f: name is invalid/,
  );
});

t.test('the journal names the operation a shared route picked', async (t) => {
  const app = await build(t);
  const created = await call(app, { method: 'POST', url: '/api/video/rooms', headers: AUTH, payload: { name: 'journaled' } });
  await call(app, { method: 'GET', url: `/api/video/rooms/${created.body.id}`, headers: AUTH });
  await call(app, { method: 'GET', url: '/api/video/rooms/journaled', headers: AUTH });
  for (const [operationId, path] of [['get_room', `/api/video/rooms/${created.body.id}`], ['get_room_by_name', '/api/video/rooms/journaled']]) {
    const res = await call(app, { method: 'GET', url: `/_emulator/requests?operationId=${operationId}` });
    t.same(res.body.requests.map((e: { path: string; status: number }) => [e.path, e.status]), [[path, 200]], operationId);
  }
});
