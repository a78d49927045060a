import t from 'tap';
import { T0_MS, build, call } from '../../helper.js';
import {
  ALICE,
  ALL_HANDS,
  AUTH,
  BOB,
  DESIGN_REVIEW,
  LIVE_SESSION,
  NOT_FOUND,
  ORIGIN,
  OTHER_AUTH,
  PAST_RECORDING,
  PAST_SESSION,
  PROJECT,
  WEEKLY_SYNC,
  entry,
  unprocessable,
} from './fixtures.js';

const PAST = {
  id: PAST_SESSION,
  room_id: WEEKLY_SYNC,
  name: 'weekly-sync',
  display_name: 'Weekly Sync',
  max_members: 50,
  quality: '720p',
  fps: 20,
  join_from: '2026-01-05T10:00:00Z',
  join_until: '2026-12-31T11:00:00Z',
  remove_at: null,
  remove_after_seconds_elapsed: null,
  layout: 'grid-responsive',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  room_join_video_off: false,
  user_join_video_off: false,
  locked: false,
  start_time: '2026-01-12T10:05:00Z',
  end_time: '2026-01-12T10:35:00Z',
  duration: 1800,
  status: 'completed',
  created_at: '2026-01-12T10:05:00Z',
  updated_at: '2026-01-12T10:35:00Z',
  preview_url: null,
  prioritize_handraise: false,
  sync_audio_video: true,
};
const LIST_TAIL = { cost_in_dollars: 0, enable_room_previews: false, locked_cover: '' };

const page = (path: string, data: unknown[]) => ({ links: { self: `${ORIGIN}${path}?page_number=0&page_size=50`, first: `${ORIGIN}${path}?page_number=0&page_size=50` }, data });

t.test('list and retrieve: full form in lists, summary form on retrieve', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/api/video/room_sessions?room_name=weekly-sync', headers: AUTH });
  t.equal(res.status, 200);
  t.equal(JSON.stringify(res.body.data[0]), JSON.stringify({ ...PAST, ...LIST_TAIL }));

  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${PAST_SESSION}`, headers: AUTH });
  t.equal(res.text, JSON.stringify(PAST), 'retrieve has no cost_in_dollars, enable_room_previews, locked_cover');

  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${id}`, headers: AUTH });
    t.same([res.status, res.body], [404, NOT_FOUND], id);
  }
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${PAST_SESSION}`, headers: OTHER_AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's session is 404");
  res = await call(app, { method: 'GET', url: '/api/video/room_sessions', headers: OTHER_AUTH });
  t.same(res.body.data, [], 'the other project has no sessions');
});

t.test('members, events and recordings of a session', async (t) => {
  const app = await build(t);
  const base = `/api/video/room_sessions/${PAST_SESSION}`;
  let res = await call(app, { method: 'GET', url: `${base}/members`, headers: AUTH });
  t.same(res.body, page(`${base}/members`, [
    { id: '3f6c8a2e-1d4b-4a9c-8e7f-5b0a9d8c7e61', room_session_id: PAST_SESSION, name: 'Alice', join_time: '2026-01-12T10:05:00Z', leave_time: '2026-01-12T10:35:00Z', duration: 1800, cost_in_dollars: 0 },
  ]));

  res = await call(app, { method: 'GET', url: `${base}/events`, headers: AUTH });
  const common = { project_id: PROJECT, room_id: WEEKLY_SYNC, room_session_id: PAST_SESSION };
  t.equal(
    JSON.stringify(res.body.data),
    JSON.stringify([
      { id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', ...common, level: 'info', name: 'room.started', payload: {}, created_at: '2026-01-12T10:05:00Z' },
      { id: '4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d', ...common, room_recording_id: PAST_RECORDING, level: 'info', name: 'recording.started', payload: { recording_id: PAST_RECORDING }, created_at: '2026-01-12T10:05:00Z' },
      { id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', ...common, room_participant_id: '3f6c8a2e-1d4b-4a9c-8e7f-5b0a9d8c7e61', level: 'info', name: 'member.joined', payload: { member_id: '3f6c8a2e-1d4b-4a9c-8e7f-5b0a9d8c7e61', name: 'Alice' }, created_at: '2026-01-12T10:05:00Z' },
      { id: '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f', ...common, room_participant_id: '3f6c8a2e-1d4b-4a9c-8e7f-5b0a9d8c7e61', level: 'info', name: 'member.left', payload: { member_id: '3f6c8a2e-1d4b-4a9c-8e7f-5b0a9d8c7e61', name: 'Alice' }, created_at: '2026-01-12T10:35:00Z' },
      { id: '6e7f8091-a2b3-4c4d-9e5f-6a7b8c9d0e1f', ...common, room_recording_id: PAST_RECORDING, level: 'info', name: 'recording.ended', payload: { recording_id: PAST_RECORDING }, created_at: '2026-01-12T10:35:00Z' },
      { id: '7f8091a2-b3c4-4d5e-8f6a-7b8c9d0e1f2a', ...common, level: 'info', name: 'room.ended', payload: {}, created_at: '2026-01-12T10:35:00Z' },
    ]),
    'events in recorded order, with the documented keys',
  );

  res = await call(app, { method: 'GET', url: `${base}/recordings?media_ttl=60`, headers: AUTH });
  const uri = res.body.data[0]?.uri as string;
  t.match(uri, new RegExp(`^${ORIGIN}/media/signalwire/default/room_recordings/${PAST_RECORDING}\\.mp4\\?expires=${T0_MS / 1000 + 60}&signature=[0-9a-f]{32}$`), 'uri: a link valid media_ttl seconds');
  t.same(res.body.data, [
    { id: PAST_RECORDING, room_session_id: PAST_SESSION, status: 'completed', started_at: '2026-01-12T10:05:00Z', finished_at: '2026-01-12T10:35:00Z', duration: 1800, size_in_bytes: 28 + 16 * 1800, format: 'video/mp4', cost_in_dollars: 0, uri, created_at: '2026-01-12T10:05:00Z', updated_at: '2026-01-12T10:35:00Z' },
  ]);
  t.equal(res.body.links.self, `${ORIGIN}${base}/recordings?page_number=0&page_size=50&media_ttl=60`, 'media_ttl is carried');
  for (const [ttl, message] of [['-1', 'must be greater than or equal to 0'], ['soon', 'is not a number']]) {
    res = await call(app, { method: 'GET', url: `${base}/recordings?media_ttl=${ttl}&page_size=0`, headers: AUTH });
    t.same([res.status, res.body], [422, unprocessable(entry('page_size', 'must be greater than or equal to 1'), entry('media_ttl', message))]);
  }

  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}/members?page_size=1`, headers: AUTH });
  t.same(res.body.data.map((m: { id: string; leave_time: null }) => [m.id, m.leave_time]), [[ALICE, null]]);
  t.equal(res.body.links.next, `${ORIGIN}/api/video/room_sessions/${LIVE_SESSION}/members?page_number=1&page_size=1&page_token=PA${ALICE}`);
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}/recordings`, headers: AUTH });
  t.same(res.body, page(`/api/video/room_sessions/${LIVE_SESSION}/recordings`, []), 'an empty list has self and first only');

  for (const sub of ['members', 'events', 'recordings']) {
    res = await call(app, { method: 'GET', url: `/api/video/room_sessions/00000000-0000-4000-8000-000000000000/${sub}`, headers: AUTH });
    t.same([res.status, res.body], [404, NOT_FOUND], `${sub} of an unknown session`);
    res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${PAST_SESSION}/${sub}`, headers: OTHER_AUTH });
    t.same([res.status, res.body], [404, NOT_FOUND], `${sub} of another project's session`);
  }
});

t.test('a session driven through the control API', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  const control = (url: string, payload?: object) => call(app, { method: 'POST', url: `/_emulator/signalwire${url}`, payload });

  let res = await control(`/conferences/${DESIGN_REVIEW}/room_sessions`);
  t.equal(res.status, 201);
  const session = res.body;
  t.same(
    [session.room_id, session.name, session.quality, session.max_members, session.layout, session.record_on_start, session.status, session.start_time, session.preview_url],
    [DESIGN_REVIEW, 'design-review', '1080p', 10, 'highlight-1-responsive', true, 'in-progress', '2026-02-01T00:00:00Z', `${ORIGIN}/api/video/room_sessions/${session.id}/preview`],
    'settings copied from the conference; previews on give a preview_url',
  );
  res = await control(`/conferences/${DESIGN_REVIEW}/room_sessions`);
  t.equal(res.status, 409, 'one live session per conference');

  res = await call(app, { method: 'GET', url: `/api/video/conferences/${DESIGN_REVIEW}?include_active_session=true`, headers: AUTH });
  t.same(res.body.active_session, {
    id: session.id,
    room_id: DESIGN_REVIEW,
    name: 'design-review',
    display_name: 'Design Review',
    layout: 'highlight-1-responsive',
    max_members: 10,
    fps: 20,
    quality: '1080p',
    start_time: '2026-02-01T00:00:00Z',
    status: 'in-progress',
    record_on_start: true,
    enable_room_previews: true,
    preview_url: `${ORIGIN}/api/video/room_sessions/${session.id}/preview`,
    audio_video_sync: true,
  });

  clock.advance(5_000);
  res = await control(`/room_sessions/${session.id}/members`, { name: 'Carol' });
  t.equal(res.status, 201);
  const carol = res.body;
  t.same(carol, { id: carol.id, room_session_id: session.id, name: 'Carol', join_time: '2026-02-01T00:00:05Z', leave_time: null, duration: null, cost_in_dollars: 0 });
  res = await control(`/room_sessions/${session.id}/members`, { name: 'Dave' });
  const dave = res.body;

  clock.advance(60_000);
  res = await control(`/room_sessions/${session.id}/members/${carol.id}/leave`);
  t.same([res.status, res.body.leave_time, res.body.duration], [200, '2026-02-01T00:01:05Z', 60]);
  res = await control(`/room_sessions/${session.id}/members/${carol.id}/leave`);
  t.equal(res.status, 409, 'already left');
  res = await control(`/room_sessions/${LIVE_SESSION}/members/${dave.id}/leave`);
  t.equal(res.status, 404, 'not a member of that session');

  res = await control(`/room_sessions/${session.id}/events`, { name: 'layout.changed', payload: { layout: '2x2' } });
  t.same([res.status, res.body.name, res.body.payload, res.body.level, res.body.project_id], [201, 'layout.changed', { layout: '2x2' }, 'info', PROJECT]);

  const recordings = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}/recordings`, headers: AUTH });
  const auto = recordings.body.data[0];
  t.same([auto.status, auto.started_at], ['recording', '2026-02-01T00:00:00Z'], 'record_on_start started a recording');
  res = await control(`/recordings/${auto.id}/stop`);
  t.same([res.status, res.body.status, res.body.finished_at, res.body.duration], [200, 'completed', '2026-02-01T00:01:05Z', 65]);
  res = await control(`/recordings/${auto.id}/stop`);
  t.equal(res.status, 409, 'already stopped');
  res = await control(`/room_sessions/${session.id}/recordings`);
  t.equal(res.status, 201);
  const second = res.body;

  clock.advance(30_000);
  res = await control(`/room_sessions/${session.id}/end`);
  t.same(
    [res.status, res.body.status, res.body.end_time, res.body.duration, res.body.updated_at, res.body.preview_url],
    [200, 'completed', '2026-02-01T00:01:35Z', 95, '2026-02-01T00:01:35Z', null],
  );
  res = await control(`/room_sessions/${session.id}/end`);
  t.equal(res.status, 409);
  for (const url of [`/room_sessions/${session.id}/members`, `/room_sessions/${session.id}/events`]) {
    res = await control(url, { name: 'late' });
    t.equal(res.status, 409, `${url} after the end`);
  }

  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}/members`, headers: AUTH });
  t.same(res.body.data.map((m: { name: string; leave_time: string; duration: number }) => [m.name, m.leave_time, m.duration]), [
    ['Carol', '2026-02-01T00:01:05Z', 60],
    ['Dave', '2026-02-01T00:01:35Z', 90],
  ], 'members still present leave at the end');
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}/recordings`, headers: AUTH });
  t.same(res.body.data.map((r: { id: string; status: string; duration: number }) => [r.id, r.status, r.duration]), [
    [auto.id, 'completed', 65],
    [second.id, 'completed', 30],
  ]);
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${session.id}/events`, headers: AUTH });
  t.same(res.body.data.map((e: { name: string; room_participant_id?: string; room_recording_id?: string }) => [e.name, e.room_participant_id ?? e.room_recording_id ?? null]), [
    ['room.started', null],
    ['recording.started', auto.id],
    ['member.joined', carol.id],
    ['member.joined', dave.id],
    ['member.left', carol.id],
    ['layout.changed', null],
    ['recording.ended', auto.id],
    ['recording.started', second.id],
    ['member.left', dave.id],
    ['recording.ended', second.id],
    ['room.ended', null],
  ], 'end: members leave, recordings complete, then room.ended');

  res = await call(app, { method: 'GET', url: `/api/video/conferences/${DESIGN_REVIEW}?include_active_session=true`, headers: AUTH });
  t.notOk('active_session' in res.body, 'no live session: no active_session key');
  res = await control(`/conferences/${DESIGN_REVIEW}/room_sessions`);
  t.equal(res.status, 201, 'a new session can start after the end');
});

t.test('ending the fixture session: everyone leaves', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/end` });
  t.same([res.body.status, res.body.end_time, res.body.duration], ['completed', '2026-02-01T00:00:00Z', 1800]);
  const members = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}/members`, headers: AUTH });
  t.same(members.body.data.map((m: { id: string; duration: number }) => [m.id, m.duration]), [
    [ALICE, 1800],
    [BOB, 1740],
  ]);
  const live = await call(app, { method: 'GET', url: '/api/video/room_sessions?status=in-progress', headers: AUTH });
  t.same(live.body.data, []);
  const conf = await call(app, { method: 'GET', url: `/api/video/conferences/${ALL_HANDS}?include_active_session=true`, headers: AUTH });
  t.notOk('active_session' in conf.body, 'no live session: no active_session key');
});

t.test('control API errors are problem details', async (t) => {
  const app = await build(t);
  const control = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    call(app, { method: 'POST', url: `/_emulator/signalwire${url}`, payload, headers });
  let res = await control('/conferences/00000000-0000-4000-8000-000000000000/room_sessions');
  t.same([res.status, res.headers['content-type'], res.body.title, res.body.detail], [
    404,
    'application/problem+json',
    'Not Found',
    'No conference 00000000-0000-4000-8000-000000000000 in world default',
  ]);
  res = await control('/room_sessions/nope/end');
  t.equal(res.status, 404);
  res = await control('/room_sessions/nope/recordings');
  t.equal(res.status, 404);
  res = await control('/recordings/nope/stop');
  t.equal(res.status, 404);
  res = await control(`/room_sessions/${LIVE_SESSION}/members/nope/leave`);
  t.equal(res.status, 404);
  res = await control(`/room_sessions/${LIVE_SESSION}/members`, {});
  t.same([res.status, res.headers['content-type']], [400, 'application/problem+json'], 'name is required');
  res = await control(`/room_sessions/${LIVE_SESSION}/events`, { name: '' });
  t.equal(res.status, 400);
  res = await control(`/room_sessions/${PAST_SESSION}/recordings`);
  t.equal(res.status, 409, 'no recording of an ended session');
  res = await control(`/conferences/${WEEKLY_SYNC}/room_sessions`, undefined, { 'x-emulator-world': 'nowhere' });
  t.equal(res.status, 404, 'unknown world');
});

t.test('every SignalWire and SignalWire-scenario operation has a handler', async (t) => {
  const app = await build(t);
  const mounted = app.emulator.mounted.filter((m) => m.provider === 'signalwire' || /SignalWire/.test(m.operationId));
  t.equal(mounted.filter((m) => m.provider === 'signalwire').length, 33);
  t.equal(mounted.filter((m) => m.provider === 'emulator').length, 15, 'ten scenarios and five state views');
  t.same(mounted.filter((m) => !m.implemented), []);
});
