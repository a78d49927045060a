import t from 'tap';
import { T0_MS, build, call } from '../../helper.js';
import {
  ALL_HANDS,
  AUTH,
  LIVE_SESSION,
  NOT_FOUND,
  ORIGIN,
  OTHER_AUTH,
  PAST_RECORDING,
  PAST_SESSION,
  WEEKLY_SYNC,
  entry,
  unprocessable,
} from './fixtures.js';

const PAST = {
  id: PAST_RECORDING,
  room_session_id: PAST_SESSION,
  status: 'completed',
  started_at: '2026-01-12T10:05:00Z',
  finished_at: '2026-01-12T10:35:00Z',
  duration: 1800,
  size_in_bytes: 28 + 16 * 1800,
  format: 'video/mp4',
  cost_in_dollars: 0,
};
const LINK = new RegExp(`^${ORIGIN}/media/signalwire/default/room_recordings/${PAST_RECORDING}\\.mp4\\?expires=(\\d+)&signature=[0-9a-f]{32}$`);

t.test('list and get room recordings: every recording of the project, uri for completed ones', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/api/video/room_recordings', headers: AUTH });
  t.equal(res.status, 200);
  t.same(res.body, {
    links: { self: `${ORIGIN}/api/video/room_recordings?page_number=0&page_size=50`, first: `${ORIGIN}/api/video/room_recordings?page_number=0&page_size=50` },
    data: [{ ...PAST, uri: res.body.data[0].uri, created_at: '2026-01-12T10:05:00Z', updated_at: '2026-01-12T10:35:00Z' }],
  });
  t.equal(LINK.exec(res.body.data[0].uri)?.[1], String(T0_MS / 1000 + 900), 'valid 900 s by default');

  const started = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/recordings` });
  res = await call(app, { method: 'GET', url: '/api/video/room_recordings?page_size=1&media_ttl=0', headers: AUTH });
  t.equal(LINK.exec(res.body.data[0].uri)?.[1], String(T0_MS / 1000), 'media_ttl=0: expires now');
  t.equal(res.body.links.next, `${ORIGIN}/api/video/room_recordings?page_number=1&page_size=1&page_token=PA${PAST_RECORDING}&media_ttl=0`);
  res = await call(app, { method: 'GET', url: res.body.links.next, headers: AUTH });
  t.same(res.body.data.map((r: { id: string; status: string; uri: null; size_in_bytes: null }) => [r.id, r.status, r.uri, r.size_in_bytes]), [
    [started.body.id, 'recording', null, null],
  ], 'a running recording has no file yet');
  res = await call(app, { method: 'GET', url: '/api/video/room_recordings', headers: OTHER_AUTH });
  t.same(res.body.data, [], "another project's recordings are not listed");
  res = await call(app, { method: 'GET', url: '/api/video/room_recordings?media_ttl=-1&page_size=1001', headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('media_ttl', 'must be greater than or equal to 0'), entry('page_size', 'must be less than or equal to 1000'))]);

  res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${PAST_RECORDING}?media_ttl=60`, headers: AUTH });
  t.same([res.status, { ...res.body, uri: undefined }], [200, { ...PAST, uri: undefined, created_at: '2026-01-12T10:05:00Z', updated_at: '2026-01-12T10:35:00Z' }]);
  t.equal(LINK.exec(res.body.uri)?.[1], String(T0_MS / 1000 + 60));
  res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${PAST_RECORDING}?media_ttl=soon`, headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('media_ttl', 'is not a number'))]);
  for (const [id, headers, why] of [
    ['00000000-0000-4000-8000-000000000000', AUTH, 'unknown'],
    ['not-a-uuid', AUTH, 'not a UUID'],
    [PAST_RECORDING, OTHER_AUTH, "another project's"],
  ] as const) {
    res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${id}`, headers });
    t.same([res.status, res.body], [404, NOT_FOUND], why);
  }
});

t.test("a recording's uri downloads its file, without credentials, until it expires", async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${PAST_RECORDING}?media_ttl=60`, headers: AUTH });
  const path = (res.body.uri as string).slice(ORIGIN.length);
  let file = await app.inject({ method: 'GET', url: path });
  t.same([file.statusCode, file.headers['content-type'], file.headers['content-disposition'], file.rawPayload.length], [
    200,
    'video/mp4',
    `attachment; filename="${PAST_RECORDING}.mp4"`,
    28 + 16 * 1800,
  ], 'the file is size_in_bytes long');
  t.equal(file.rawPayload.subarray(4, 12).toString('latin1'), 'ftypisom', 'an ISO BMFF file');
  file = await app.inject({ method: 'GET', url: path.replace(/signature=[0-9a-f]{4}/, 'signature=0000') });
  t.same([file.statusCode, file.json()], [403, { error: 'Forbidden' }], 'a forged signature');
  file = await app.inject({ method: 'GET', url: path.replace(/expires=\d+/, `expires=${T0_MS / 1000 + 3600}`) });
  t.equal(file.statusCode, 403, 'a stretched expiry breaks the signature');
  app.emulator.worlds.default.clock.advance(61_000);
  file = await app.inject({ method: 'GET', url: path });
  t.same([file.statusCode, file.json()], [403, { error: 'Forbidden' }], 'expired on the world clock');
  res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${PAST_RECORDING}`, headers: AUTH });
  file = await app.inject({ method: 'GET', url: (res.body.uri as string).slice(ORIGIN.length) });
  t.equal(file.statusCode, 200, 'a fresh link works again');
  file = await app.inject({ method: 'GET', url: '/media/signalwire/nowhere/room_recordings/x.mp4' });
  t.same([file.statusCode, file.json()], [404, { error: 'Not Found' }]);

  res = await call(app, { method: 'DELETE', url: `/api/video/room_recordings/${PAST_RECORDING}`, headers: AUTH });
  t.same([res.status, res.text], [204, '']);
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${PAST_SESSION}/recordings`, headers: AUTH });
  t.same(res.body.data, [], "gone from its session's recordings");
  file = await app.inject({ method: 'GET', url: path });
  t.equal(file.statusCode, 404, 'a deleted recording has no file (404 before the link is checked)');
});

t.test('delete a recording; recording events; a running one is stopped first', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${PAST_RECORDING}/events`, headers: AUTH });
  t.same(res.body.data.map((e: { name: string; room_recording_id: string }) => [e.name, e.room_recording_id]), [
    ['recording.started', PAST_RECORDING],
    ['recording.ended', PAST_RECORDING],
  ]);
  t.equal(res.body.links.self, `${ORIGIN}/api/video/room_recordings/${PAST_RECORDING}/events?page_number=0&page_size=50`);
  res = await call(app, { method: 'GET', url: '/api/video/room_recordings/00000000-0000-4000-8000-000000000000/events', headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);

  const started = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/recordings` });
  app.emulator.worlds.default.clock.advance(5_000);
  res = await call(app, { method: 'DELETE', url: `/api/video/room_recordings/${started.body.id}`, headers: OTHER_AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's recording");
  res = await call(app, { method: 'DELETE', url: `/api/video/room_recordings/${started.body.id}`, headers: AUTH });
  t.equal(res.status, 204);
  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}/events`, headers: AUTH });
  t.same(res.body.data.slice(-2).map((e: { name: string }) => e.name), ['recording.started', 'recording.ended'], 'stopped before it was deleted');
  res = await call(app, { method: 'GET', url: `/api/video/room_recordings/${started.body.id}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);
  res = await call(app, { method: 'DELETE', url: `/api/video/room_recordings/${started.body.id}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'a repeated delete is 404');
});

t.test('logs: one per room session, filtered, paginated; deleted activity only on request', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/api/video/logs', headers: AUTH });
  t.equal(res.status, 200);
  const [past, live] = res.body.data;
  t.same(res.body.data, [
    {
      id: past.id,
      source: 'realtime_api',
      type: 'video_conference_session',
      url: `${ORIGIN}/api/video/room_sessions/${PAST_SESSION}`,
      room_name: 'weekly-sync',
      status: 'completed',
      locked: false,
      started_at: '2026-01-12T10:05:00Z',
      ended_at: '2026-01-12T10:35:00Z',
      charge: 0,
      created_at: '2026-01-12T10:05:00Z',
      charge_details: [],
    },
    {
      id: live.id,
      source: 'realtime_api',
      type: 'video_conference_session',
      url: `${ORIGIN}/api/video/room_sessions/${LIVE_SESSION}`,
      room_name: 'all-hands',
      status: 'in-progress',
      locked: false,
      started_at: '2026-01-31T23:30:00Z',
      ended_at: null,
      charge: 0,
      created_at: '2026-01-31T23:30:00Z',
      charge_details: [],
    },
  ]);
  res = await call(app, { method: 'GET', url: `/api/video/logs/${live.id}`, headers: AUTH });
  t.same([res.status, res.body], [200, { ...live }]);
  res = await call(app, { method: 'GET', url: `/api/video/logs/${live.id}`, headers: OTHER_AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's log");

  for (const [query, ids] of [
    ['created_on=2026-01-12', [past.id]],
    ['created_on=2026-01-12T23:59:59Z', [past.id]],
    ['created_before=2026-01-31T23:30:00Z', [past.id]],
    ['created_after=2026-01-12T10:05:00Z', [live.id]],
    ['created_after=2026-01-01&created_before=2026-02-01', [past.id, live.id]],
  ] as const) {
    res = await call(app, { method: 'GET', url: `/api/video/logs?${query}`, headers: AUTH });
    t.same(res.body.data.map((l: { id: string }) => l.id), ids, query);
  }
  res = await call(app, { method: 'GET', url: '/api/video/logs?page_size=1', headers: AUTH });
  t.equal(res.body.links.next, `${ORIGIN}/api/video/logs?page_number=1&page_size=1&page_token=PA${past.id}`);
  res = await call(app, { method: 'GET', url: '/api/video/logs?created_on=yesterday&include_deleted=yes&page_number=1', headers: AUTH });
  t.same([res.status, res.body], [
    422,
    unprocessable(entry('include_deleted', 'is invalid'), entry('created_on', 'is invalid'), entry('page_token', "can't be blank")),
  ]);

  app.emulator.worlds.default.clock.advance(60_000);
  res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${ALL_HANDS}`, headers: AUTH });
  t.equal(res.status, 204);
  res = await call(app, { method: 'GET', url: '/api/video/logs', headers: AUTH });
  t.same(res.body.data.map((l: { id: string }) => l.id), [past.id], "a deleted conference's logs are left out");
  res = await call(app, { method: 'GET', url: '/api/video/logs?include_deleted=true', headers: AUTH });
  t.same(res.body.data[1], { id: live.id, discarded_at: '2026-02-01T00:01:00Z', created_at: '2026-01-31T23:30:00Z' }, 'deleted activity in its short form');
  res = await call(app, { method: 'GET', url: `/api/video/logs/${live.id}`, headers: AUTH });
  t.same(res.body, { id: live.id, discarded_at: '2026-02-01T00:01:00Z', created_at: '2026-01-31T23:30:00Z' });

  const started = await call(app, { method: 'POST', url: `/_emulator/signalwire/conferences/${WEEKLY_SYNC}/room_sessions` });
  res = await call(app, { method: 'GET', url: '/api/video/logs', headers: AUTH });
  t.same(res.body.data.map((l: { url: string; status: string }) => [l.url, l.status]).at(-1), [`${ORIGIN}/api/video/room_sessions/${started.body.id}`, 'in-progress'], 'a new session, a new log');
  const views = await call(app, { method: 'GET', url: '/_emulator/worlds/default/signalwire/logs?limit=1' });
  t.same([views.body.total, views.body.logs[0].room_session_id, views.body.logs[0].discarded_at], [3, started.body.id, null]);
});
