import t from 'tap';
import { build, call, T0, T0_MS } from '../helper.js';
import { DM, JANE, JOHN, PRIVATE_ROOM } from '../providers/rocketchat/fixtures.js';
import { ALICE, ALL_HANDS, BOB, LIVE_SESSION, PROJECT, WEEKLY_GUEST, WEEKLY_MODERATOR, WEEKLY_SYNC } from '../providers/signalwire/fixtures.js';
import { HOST, STARTED, STARTED_AT, ZHANG } from '../providers/dingtalk/fixtures.js';

// The read-only state views of openapi/emulator.yaml (tag "World state").

type App = Awaited<ReturnType<typeof build>>;
const get = (app: App, url: string) => call(app, { method: 'GET', url: `/_emulator/worlds/${url}` });
const PROBLEM = 'application/problem+json';

t.test('Rocket.Chat calls: the status is what video-conference.info answers now, and moves with the clock', async (t) => {
  const app = await build(t);
  const start = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: DM, allowRinging: true } });
  const callId = start.body.data.callId as string;
  const view = {
    _id: callId,
    rid: DM,
    type: 'direct',
    status: 'calling',
    statusCode: 0,
    ringing: true,
    title: null,
    providerName: 'googlemeet',
    url: `http://g.co/meet/RocketChat_${callId}`,
    createdAt: T0,
    _updatedAt: T0,
    endedAt: null,
    createdBy: { _id: 'CkCPNctrgCDfmWLqC', name: 'john', username: 'john.doe' },
    endedBy: null,
    calleeId: 'fRv4qm8ycWHXSA7af',
    users: [],
    anonymousUsers: null,
  };
  let res = await get(app, `default/rocketchat/calls?roomId=${DM}`);
  t.equal(res.status, 200);
  t.same(res.body, { calls: [view], offset: 0, limit: 50, total: 1 });
  t.same((await get(app, 'default/rocketchat/calls?status=calling')).body.calls.map((c: { _id: string }) => c._id), [callId]);

  await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 40_000 } });
  const at = new Date(T0_MS + 40_000).toISOString();
  res = await get(app, `default/rocketchat/calls?roomId=${DM}`);
  t.same(res.body.calls, [{ ...view, status: 'declined', statusCode: 4, ringing: false, _updatedAt: at, endedAt: at }], 'declined 40 s after the start');
  const info = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: JANE });
  t.same([info.body.status, info.body.ringing, info.body.endedAt], [4, false, at], 'as video-conference.info answers');
  t.same((await get(app, 'default/rocketchat/calls?status=calling')).body, { calls: [], offset: 0, limit: 50, total: 0 });
});

t.test('Rocket.Chat calls: newest first, paginated, filtered by status; ended calls show who ended them', async (t) => {
  const app = await build(t);
  const all = await get(app, 'default/rocketchat/calls');
  t.equal(all.status, 200);
  const total = all.body.total as number;
  t.equal(all.body.calls.length, total);
  const created = all.body.calls.map((c: { createdAt: string }) => c.createdAt);
  t.same(created, [...created].sort().reverse(), 'newest first');
  const page = await get(app, 'default/rocketchat/calls?offset=1&limit=1');
  t.same(page.body, { calls: [all.body.calls[1]], offset: 1, limit: 1, total });

  const started = all.body.calls.find((c: { status: string }) => c.status === 'started');
  await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${started._id}/end`, payload: { endedBy: 'fRv4qm8ycWHXSA7af' } });
  const ended = await get(app, 'default/rocketchat/calls?status=ended');
  t.same(ended.body.calls.find((c: { _id: string }) => c._id === started._id), {
    ...started,
    status: 'ended',
    statusCode: 3,
    _updatedAt: T0,
    endedAt: T0,
    endedBy: { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' },
  });
});

t.test('Rocket.Chat rooms: members with their names, calls and live calls, filtered by type', async (t) => {
  const app = await build(t);
  const res = await get(app, 'default/rocketchat/rooms?t=p');
  t.equal(res.status, 200);
  t.same(res.body, {
    rooms: [
      {
        _id: PRIVATE_ROOM,
        t: 'p',
        name: 'private-room',
        fname: null,
        ro: false,
        archived: false,
        members: [
          { _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane' },
          { _id: 'CkCPNctrgCDfmWLqC', username: 'john.doe', name: 'john' },
        ],
        calls: 1,
        liveCalls: 1,
      },
    ],
    offset: 0,
    limit: 50,
    total: 1,
  });
  const all = await get(app, 'default/rocketchat/rooms?limit=2');
  t.same([all.body.rooms.length, all.body.total], [2, 5]);
  const ids = all.body.rooms.map((r: { _id: string }) => r._id);
  t.same(ids, [...ids].sort(), 'ordered by _id');
});

t.test('SignalWire conferences: every project, tokens masked, the live session', async (t) => {
  const app = await build(t);
  const res = await get(app, `default/signalwire/conferences?projectId=${PROJECT}`);
  t.equal(res.status, 200);
  const weekly = res.body.conferences.find((c: { id: string }) => c.id === WEEKLY_SYNC);
  t.same(weekly.conference_tokens.map((tk: { id: string; name: string; token: string }) => [tk.id, tk.name, tk.token]), [
    [WEEKLY_MODERATOR.id, 'Moderator', 'vpt_…'],
    [WEEKLY_GUEST.id, 'Guest', 'vpt_…'],
  ]);
  t.notMatch(res.text, WEEKLY_MODERATOR.token, 'no token value');
  t.same([weekly.project_id, weekly.name, weekly.display_name, weekly.active_session_id], [PROJECT, 'weekly-sync', 'Weekly Sync', null]);
  t.equal(res.body.conferences.find((c: { id: string }) => c.id === ALL_HANDS).active_session_id, LIVE_SESSION);
  const everyProject = await get(app, 'default/signalwire/conferences');
  t.ok(everyProject.body.total > res.body.total, 'the other project too');
  const created = everyProject.body.conferences.map((c: { created_at: string }) => c.created_at);
  t.same(created, [...created].sort().reverse(), 'newest first');
});

t.test('SignalWire room sessions: live and ended, with members and recordings, filtered by conference and status', async (t) => {
  const app = await build(t);
  let res = await get(app, `default/signalwire/room_sessions?conferenceId=${ALL_HANDS.toUpperCase()}&status=in-progress`);
  t.equal(res.status, 200);
  t.same(res.body, {
    room_sessions: [
      {
        id: LIVE_SESSION,
        project_id: PROJECT,
        room_id: ALL_HANDS,
        name: 'all-hands',
        display_name: 'All Hands',
        status: 'in-progress',
        start_time: '2026-01-31T23:30:00Z',
        end_time: null,
        duration: null,
        created_at: '2026-01-31T23:30:00Z',
        updated_at: '2026-01-31T23:30:00Z',
        members: [
          { id: ALICE, name: 'Alice', join_time: '2026-01-31T23:30:00Z', leave_time: null, duration: null },
          { id: BOB, name: 'Bob', join_time: '2026-01-31T23:31:00Z', leave_time: null, duration: null },
        ],
        recordings: [],
      },
    ],
    offset: 0,
    limit: 50,
    total: 1,
  });
  await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/end` });
  res = await get(app, `default/signalwire/room_sessions?conferenceId=${ALL_HANDS}&status=completed&limit=1`);
  const session = res.body.room_sessions[0];
  t.same([session.id, session.status, session.end_time, session.duration], [LIVE_SESSION, 'completed', '2026-02-01T00:00:00Z', 1800]);
  t.same(session.members.map((m: { leave_time: string; duration: number }) => [m.leave_time, m.duration]), [
    ['2026-02-01T00:00:00Z', 1800],
    ['2026-02-01T00:00:00Z', 1740],
  ]);
  t.equal((await get(app, `default/signalwire/room_sessions?conferenceId=${ALL_HANDS}&status=in-progress`)).body.total, 0);
});

t.test('DingTalk conferences: status, recording, members with their states, duration up to now', async (t) => {
  const app = await build(t);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/state`, payload: { cameraStatus: 2, micStatus: 1 } });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/recording`, payload: { action: 'start', unionId: HOST } });
  await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 60_000 } });
  const res = await get(app, 'default/dingtalk/conferences?status=started');
  t.equal(res.status, 200);
  const c = res.body.conferences.find((x: { conferenceId: string }) => x.conferenceId === STARTED);
  t.same(
    [c.status, c.statusCode, c.startTime, c.endTime, c.activeNum, c.recording],
    ['started', 2, STARTED_AT, null, 2, { status: 'recording', statusCode: 1, ownerUnionId: HOST }],
  );
  const zhang = c.members.find((m: { unionId: string }) => m.unionId === ZHANG);
  t.same(zhang, {
    unionId: ZHANG,
    userNick: zhang.userNick,
    attendStatus: 'joined',
    attendStatusCode: 3,
    host: false,
    coHost: false,
    pstnJoin: false,
    camera: 'on',
    mic: 'off',
    joinTime: T0_MS,
    leaveTime: null,
    duration: 60_000,
    outerOrgMember: false,
    rejectDescription: null,
    rejoinForbidden: false,
  });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/end` });
  const ended = await get(app, 'default/dingtalk/conferences?status=ended');
  const after = ended.body.conferences.find((x: { conferenceId: string }) => x.conferenceId === STARTED);
  t.same([after.status, after.statusCode, after.endTime, after.recording.status], ['ended', 1, T0_MS + 60_000, 'finished']);
  t.same(after.members.find((m: { unionId: string }) => m.unionId === ZHANG).attendStatus, 'left');
  t.notOk((await get(app, 'default/dingtalk/conferences?status=started')).body.conferences.some((x: { conferenceId: string }) => x.conferenceId === STARTED));
});

t.test('a state view of another world reads that world only', async (t) => {
  const app = await build(t);
  const world = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { fixtures: 'empty' } });
  for (const [path, key] of [['rocketchat/rooms', 'rooms'], ['rocketchat/calls', 'calls'], ['signalwire/conferences', 'conferences'], ['signalwire/room_sessions', 'room_sessions'], ['dingtalk/conferences', 'conferences']]) {
    const res = await get(app, `${world.body.id}/${path}`);
    t.same([res.status, res.body], [200, { [key]: [], offset: 0, limit: 50, total: 0 }], path);
  }
});

t.test('unknown world 404, bad parameters 400, as problem details', async (t) => {
  const app = await build(t);
  let res = await get(app, 'nope/rocketchat/calls');
  t.same([res.status, res.headers['content-type'], res.body], [404, PROBLEM, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No world nope' }]);
  res = await get(app, 'default/rocketchat/calls?status=ringing');
  t.same([res.status, res.headers['content-type'], res.body], [
    400,
    PROBLEM,
    { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Invalid query', errors: [{ path: 'query/status', message: 'must be equal to one of the allowed values' }] },
  ]);
  res = await get(app, 'default/dingtalk/conferences?limit=0');
  t.same([res.status, res.body.errors], [400, [{ path: 'query/limit', message: 'must be >= 1' }]]);
  res = await get(app, 'default/signalwire/room_sessions?limit=501');
  t.same([res.status, res.body.errors], [400, [{ path: 'query/limit', message: 'must be <= 500' }]]);
  res = await get(app, 'default/signalwire/conferences?offset=-1');
  t.same([res.status, res.body.errors], [400, [{ path: 'query/offset', message: 'must be >= 0' }]]);
  res = await get(app, 'default/rocketchat/rooms?t=x');
  t.equal(res.status, 400);
  res = await get(app, 'default/signalwire/room_sessions?room=1');
  t.same([res.status, res.body.errors], [400, [{ path: 'query', message: 'must NOT have additional properties' }]]);
});
