import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ENDED, HOST, LI, OTHER_ORG_APP, STARTED, STARTED_AT, ZHANG, assertError, dt, tokenOf } from './fixtures.js';

const CONF = `/v1.0/conference/videoConferences/${STARTED}`;

t.test('getConfDataByConferenceId and getHistoryConfDataList: derived from the stored conferences', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await dt(app, 'GET', `${CONF}/infos?realData=true`, token);
  t.equal(res.status, 200);
  t.equal(
    res.text,
    JSON.stringify({ conferenceId: STARTED, creatorId: HOST, creatorNick: '小钉', startTime: STARTED_AT, timeLength: T0_MS - STARTED_AT, title: '周会', userCount: 1 }),
    'running: timeLength up to now, no endTime',
  );
  res = await dt(app, 'GET', `/v1.0/conference/videoConferences/${ENDED}/infos`, token);
  t.same(res.body, { conferenceId: ENDED, creatorId: HOST, creatorNick: '小钉', endTime: 1732278568000, startTime: 1732276768000, timeLength: 1_800_000, title: '项目复盘', userCount: 3 });
  assertError(t, await dt(app, 'GET', `${CONF}/infos?realData=maybe`, token), 400, 'paramsError', 'error:realData must be true or false');
  const other = await tokenOf(app, OTHER_ORG_APP);
  assertError(t, await dt(app, 'GET', `${CONF}/infos`, other), 403, 'noPermission', 'NO PERMISSION');

  const history = async (query: string) => (await dt(app, 'GET', `/v1.0/conference/videoConferences/histories/dataLists${query}`, token)).body;
  t.same((await history('')).list.map((c: { conferenceId: string }) => c.conferenceId), [ENDED], 'ended conferences only');
  t.same((await history('?realData=true')).list.map((c: { conferenceId: string }) => c.conferenceId), [STARTED, ENDED], 'with the running ones, newest first');
  t.same((await history('?realData=true&maxResults=1')).nextToken, '1');
  t.same((await history('?realData=true&title=复盘')).list.length, 1);
  t.same((await history('?realData=true&creatorNike=nobody')).list, []);
  t.same((await history(`?realData=true&startTime=${STARTED_AT}`)).list.map((c: { conferenceId: string }) => c.conferenceId), [STARTED]);
  t.same((await history(`?realData=true&endTime=${STARTED_AT - 1}`)).list.map((c: { conferenceId: string }) => c.conferenceId), [ENDED]);
  assertError(t, await dt(app, 'GET', '/v1.0/conference/videoConferences/histories/dataLists?startTime=yesterday', token), 400, 'paramsError', 'error:startTime must be epoch milliseconds');
  t.same((await dt(app, 'GET', '/v1.0/conference/videoConferences/histories/dataLists', other)).body.list, [], "another org's history");
});

t.test('getConfDetailData: members who joined, with role and status', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  clock.advance(30_000);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/leave` });
  const res = await dt(app, 'GET', `${CONF}/details`, token);
  t.equal(res.status, 200);
  const [host, zhang] = res.body.list;
  t.match(host, { belongOrg: 'ding-org-1', conferenceId: STARTED, joinTime: STARTED_AT, nick: '小钉', role: 'host', sessionId: `${STARTED}-0`, status: 'online', unionId: HOST });
  t.notOk('leaveTime' in host);
  t.match(zhang, { duration: 30_000, joinTime: T0_MS, leaveTime: T0_MS + 30_000, role: 'member', status: 'offline', unionId: ZHANG });
  t.equal(res.body.list.length, 2, 'members who never joined are left out');
  t.same((await dt(app, 'GET', `${CONF}/details?nick=张`, token)).body.list.map((m: { unionId: string }) => m.unionId), [ZHANG]);
  t.same((await dt(app, 'GET', `${CONF}/details?maxResults=1`, token)).body.nextToken, '1');
  assertError(t, await dt(app, 'GET', `${CONF}/details?maxResults=x`, token), 400, 'paramsError', 'error:maxResults is invalid');
});

t.test('getUserMetricData and getUserLastMetric: deterministic samples every 10 s of the stay; mute and camera show', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/state`, payload: { micStatus: 1, cameraStatus: 2 } });
  clock.advance(35_000);
  let res = await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}`, token);
  t.equal(res.status, 200);
  const samples = res.body.metricDataList;
  t.same(samples.map((s: { timestamp: number }) => s.timestamp), [T0_MS, T0_MS + 10_000, T0_MS + 20_000, T0_MS + 30_000]);
  t.match(samples[0], { audioSendBitRate: '0', audioRecLevel: '0', cameraSendResolutionActual: '1280x720', cameraSendFrame: '25', screenSendBitRate: '0' });
  t.notOk('audioJitterMax' in samples[0]);
  const again = await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}&beginTime=${T0_MS + 10_000}&endTime=${T0_MS + 20_000}`, token);
  t.same(again.body.metricDataList, samples.slice(1, 3), 'the same instants give the same values');

  res = await dt(app, 'POST', `${CONF}/lastMetricDatas/query`, token, { unionIdList: [ZHANG, LI, HOST] });
  t.same(Object.keys(res.body.metricMap), [ZHANG, HOST], 'a member who never joined is left out');
  t.same({ ...res.body.metricMap[ZHANG], audioJitterMax: undefined, audioJitterAvg: undefined }, { ...samples[3], audioJitterMax: undefined, audioJitterAvg: undefined });
  t.equal(Number(res.body.metricMap[ZHANG].audioJitterMax), 2 * Number(res.body.metricMap[ZHANG].audioJitterAvg));
  t.equal(res.body.metricMap[HOST].cameraSendBitRate !== '0', true, "the host's camera is on");

  assertError(t, await dt(app, 'GET', `${CONF}/metricDatas`, token), 400, 'paramsError', 'error:unionId is required');
  assertError(t, await dt(app, 'GET', `${CONF}/metricDatas?unionId=nobody`, token), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}&beginTime=9&endTime=1`, token), 400, 'paramsError', 'error:endTime must not be before beginTime');
  assertError(t, await dt(app, 'POST', `${CONF}/lastMetricDatas/query`, token, { unionIdList: [] }), 400, 'paramsError', 'error:unionIdList must be a non-empty array of strings');
  assertError(t, await dt(app, 'POST', `${CONF}/lastMetricDatas/query`, token, {}), 400, 'paramsError', 'error:unionIdList is required');
  assertError(t, await dt(app, 'POST', `${CONF}/lastMetricDatas/query`, token, { unionIdList: ['nobody'] }), 400, 'unknownUserError', 'unknownUserError');
  t.same((await dt(app, 'GET', `${CONF}/metricDatas?unionId=${LI}`, token)).body, { metricDataList: [] }, 'never joined: no samples');
});
