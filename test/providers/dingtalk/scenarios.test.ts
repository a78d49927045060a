import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ENDED, HOST, LI, STARTED, STARTED_AT, WANG, ZHANG, ZHOU, dt, tokenOf } from './fixtures.js';

const base = `/_emulator/dingtalk/conferences`;
const memberAction = (id: string, unionId: string, action: string) => `${base}/${id}/members/${unionId}/${action}`;

t.test('join and leave move attendStatus, times, activeNum and attendNum', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  const info = async () => (await dt(app, 'GET', `/v1.0/conference/videoConferences/${STARTED}`, token)).body.confInfo;
  const members = async () => (await dt(app, 'GET', `/v1.0/conference/videoConferences/${STARTED}/members`, token)).body.memberModels;

  clock.advance(60_000);
  let res = await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'join') });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  const joinedAt = T0_MS + 60_000;
  t.same(res.body, {
    unionId: ZHANG,
    conferenceId: STARTED,
    userNick: '张三',
    attendStatus: 3,
    host: false,
    coHost: false,
    pstnJoin: false,
    joinTime: joinedAt,
    duration: 0,
  });
  t.match(await info(), { activeNum: 2, attendNum: 2 });
  clock.advance(30_000);
  t.equal((await members())[1].duration, 30_000, 'duration counts up while in the meeting');
  res = await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'leave') });
  t.same([res.status, res.body.attendStatus, res.body.joinTime, res.body.leaveTime, res.body.duration], [200, 6, joinedAt, joinedAt + 30_000, 30_000]);
  t.match(await info(), { activeNum: 1, attendNum: 2 });
  clock.advance(10_000);
  res = await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'join'), payload: { pstnJoin: true } });
  t.same([res.body.attendStatus, res.body.joinTime, res.body.pstnJoin, res.body.duration], [3, joinedAt, true, 30_000], 'joinTime is the first join');
  clock.advance(5_000);
  t.equal((await members())[1].duration, 35_000);
  t.match(await info(), { activeNum: 2, attendNum: 2 });

  res = await call(app, { method: 'POST', url: memberAction(STARTED, WANG, 'join') });
  t.same(res.body, {
    unionId: WANG,
    conferenceId: STARTED,
    userNick: '王五',
    attendStatus: 3,
    host: false,
    coHost: false,
    pstnJoin: false,
    joinTime: T0_MS + 105_000,
    duration: 0,
    outerOrgMember: true,
  });
  res = await call(app, { method: 'POST', url: memberAction(STARTED, ZHOU, 'join') });
  t.same((await members()).map((m: { unionId: string }) => m.unionId), [HOST, ZHANG, LI, WANG, ZHOU], 'newcomers after the members, by first join');
  t.match(await info(), { activeNum: 4, attendNum: 4, invitedNum: 2 });
});

t.test('kick, fail, and member state', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'join') });
  let res = await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'kick') });
  t.same([res.status, res.body.attendStatus, res.body.leaveTime], [200, 5, T0_MS]);
  res = await call(app, { method: 'POST', url: memberAction(STARTED, LI, 'fail'), payload: { rejectDescription: '正在开会' } });
  t.same([res.status, res.body.attendStatus, 'joinTime' in res.body], [200, 4, false]);
  res = await call(app, { method: 'POST', url: memberAction(STARTED, HOST, 'state'), payload: { cameraStatus: 1, micStatus: 0, coHost: true } });
  t.same([res.status, res.body.coHost, res.body.host], [200, true, true]);
  res = await call(app, { method: 'POST', url: `${base}/${STARTED}/settings`, payload: { mediaStatus: 4 } });
  t.equal(res.status, 200);
  const batch = await dt(app, 'POST', '/v1.0/conference/videoConferences/query', token, { conferenceIdList: [STARTED] });
  t.same(batch.body.infos[0], {
    conferenceId: STARTED,
    title: '周会',
    startTime: STARTED_AT,
    status: 2,
    mediaStatus: 4,
    userList: [
      { userId: HOST, nick: '小钉', attendStatus: 3, cameraStatus: 1, micStatus: 0 },
      { userId: ZHANG, nick: '张三', attendStatus: 5, cameraStatus: 0, micStatus: 0 },
      { userId: LI, nick: '李四', attendStatus: 4, cameraStatus: 0, micStatus: 0, rejectDescription: '正在开会' },
    ],
  });
  res = await call(app, { method: 'POST', url: memberAction(STARTED, LI, 'join') });
  t.equal(res.body.attendStatus, 3, 'a member who failed can still join');
  const after = await dt(app, 'POST', '/v1.0/conference/videoConferences/query', token, { conferenceIdList: [STARTED] });
  t.notOk('rejectDescription' in after.body.infos[0].userList[2], 'joining clears the rejection');
});

t.test('cloud recording start / pause / resume / stop', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const rec = (action: string, unionId = HOST) => call(app, { method: 'POST', url: `${base}/${STARTED}/recording`, payload: { action, unionId } });
  let res = await rec('start');
  t.equal(res.status, 200);
  t.match(res.body.confInfo, { cloudRecordStatus: 1, cloudRecordOwnerUnionId: HOST });
  t.same((await dt(app, 'GET', `/v1.0/conference/videoConferences/${STARTED}`, token)).body, res.body, 'the body of queryConferenceInfo');
  t.equal((await rec('pause')).body.confInfo.cloudRecordStatus, 2);
  t.equal((await rec('pause')).status, 409);
  t.equal((await rec('resume')).body.confInfo.cloudRecordStatus, 1);
  t.equal((await rec('resume')).status, 409);
  t.equal((await rec('stop')).body.confInfo.cloudRecordStatus, 3);
  t.equal((await rec('stop')).status, 409);
  await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'join') });
  res = await rec('start', ZHANG);
  t.match(res.body.confInfo, { cloudRecordStatus: 1, cloudRecordOwnerUnionId: ZHANG }, 'a new recording, a new owner');
  res = await rec('start', LI);
  t.equal(res.status, 409, 'the operator must be in the meeting');
  t.equal(res.headers['content-type'], 'application/problem+json');
  res = await rec('rewind');
  t.equal(res.status, 400);
  res = await call(app, { method: 'POST', url: `${base}/${STARTED}/recording`, payload: { action: 'start' } });
  t.equal(res.status, 400);
});

t.test('end, settings, and errors of the scenario actions', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await call(app, {
    method: 'POST',
    url: `${base}/${STARTED}/settings`,
    payload: { extensionAppSettings: [{ appId: '3017236859', appCode: 'meeting-notes', autoOpenMode: 1, extensionAppBizData: '{"agenda":"weekly"}' }] },
  });
  t.same(res.body.confInfo.extensionAppSettings, [{ appId: '3017236859', appCode: 'meeting-notes', autoOpenMode: 1, extensionAppBizData: '{"agenda":"weekly"}' }]);
  res = await call(app, { method: 'POST', url: `${base}/${STARTED}/settings`, payload: { extensionAppSettings: [] } });
  t.notOk('extensionAppSettings' in res.body.confInfo, 'an empty list removes them');
  t.equal((await call(app, { method: 'POST', url: `${base}/${STARTED}/settings`, payload: {} })).status, 400);

  app.emulator.worlds.default.clock.advance(1000);
  res = await call(app, { method: 'POST', url: `${base}/${STARTED}/end` });
  t.match(res.body.confInfo, { status: 1, endTime: T0_MS + 1000, confDuration: T0_MS + 1000 - STARTED_AT, activeNum: 0 });
  t.equal((await dt(app, 'GET', `/v1.0/conference/videoConferences/${STARTED}`, token)).body.confInfo.status, 1);
  const problem = async (method: string, url: string, status: number, payload?: object) => {
    const r = await call(app, { method: method as 'POST', url, ...(payload ? { payload } : {}) });
    t.equal(r.status, status, `${url} → ${status}`);
    t.equal(r.headers['content-type'], 'application/problem+json');
    t.match(r.body, { type: 'about:blank', status });
  };
  await problem('POST', `${base}/${STARTED}/end`, 409);
  await problem('POST', memberAction(STARTED, ZHANG, 'join'), 409);
  await problem('POST', memberAction(ENDED, ZHANG, 'join'), 409);
  await problem('POST', `${base}/${STARTED}/recording`, 409, { action: 'start', unionId: HOST });
  await problem('POST', memberAction(STARTED, HOST, 'state'), 409, { host: false });
  await problem('POST', memberAction('000000000000000000000000', ZHANG, 'join'), 404);
  await problem('POST', `${base}/000000000000000000000000/end`, 404);
  await problem('POST', `${base}/000000000000000000000000/settings`, 404, { mediaStatus: 0 });

  const fresh = (await dt(app, 'POST', '/v1.0/conference/videoConferences', token, { userId: HOST, confTitle: 'x', inviteUserIds: [ZHANG] })).body.conferenceId;
  await problem('POST', memberAction(fresh, 'nobody', 'join'), 404);
  await problem('POST', memberAction(fresh, HOST, 'join'), 409);
  await problem('POST', memberAction(fresh, ZHANG, 'leave'), 409);
  await problem('POST', memberAction(fresh, ZHANG, 'kick'), 409);
  await problem('POST', memberAction(fresh, LI, 'leave'), 404);
  await problem('POST', memberAction(fresh, HOST, 'fail'), 409);
  await problem('POST', memberAction(fresh, LI, 'fail'), 404);
  await problem('POST', memberAction(fresh, ZHANG, 'join'), 400, { pstnJoin: 'yes' });
  await problem('POST', memberAction(fresh, ZHANG, 'state'), 400, { cameraStatus: 7 });

  const other = await call(app, { method: 'POST', url: memberAction(STARTED, ZHANG, 'join'), headers: { 'x-emulator-world': 'nope' } });
  t.equal(other.status, 404, 'an unknown world');
});

t.test('scenario actions act on the world named by X-Emulator-World', async (t) => {
  const app = await build(t);
  app.emulator.worlds.create('w2', 'w2', {
    dingtalk: {
      users: [{ unionId: 'u', nick: 'U', org: 'o' }, { unionId: 'v', nick: 'V', org: 'o' }],
      conferences: [{ conferenceId: STARTED, title: 'w2', creatorId: 'u', startTime: STARTED_AT, roomCode: '22222222222', members: [{ unionId: 'u', attendStatus: 3 }] }],
    },
  });
  const res = await call(app, { method: 'POST', url: memberAction(STARTED, 'v', 'join'), headers: { 'x-emulator-world': 'w2' } });
  t.equal(res.status, 200);
  t.equal((await call(app, { method: 'POST', url: memberAction(STARTED, 'v', 'join') })).status, 404, 'no user v in the default world');
});
