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

t.test('stated metrics (control plane) replace the derived samples of that member in both operations', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  const metrics = (unionId: string, payload: unknown, conference = STARTED) =>
    call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${conference}/members/${unionId}/metrics`, payload: payload as object });
  const data = async (query = '') => (await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}${query}`, token)).body.metricDataList;
  const last = async () => (await dt(app, 'POST', `${CONF}/lastMetricDatas/query`, token, { unionIdList: [ZHANG, HOST] })).body.metricMap;
  const hostBefore = (await last())[HOST];

  const full = {
    timestamp: T0_MS - 20_000,
    sendBitRate: '1500',
    recvBitRate: '900',
    lostRate: '0.07',
    roundTripTime: '250',
    audioSendBitRate: '40',
    audioRecvBitRate: '41',
    audioRecLevel: '60',
    audioPlayLevel: '55',
    cameraSendBitRate: '1460',
    cameraRecvBitRate: '859',
    cameraSendResolutionActual: '1920x1080',
    cameraRecvResolutionActual: '640x360',
    cameraSendFrame: '30',
    screenSendBitRate: '0',
    cameraRecvFrame: '15',
    screenRecvBitRate: '800',
    screenSendResolutionActual: '0x0',
    screenRecvResolutionActual: '1920x1080',
    screenSendFrame: '0',
    screenRecvFrame: '5',
  };
  const jittery = { ...full, timestamp: T0_MS - 10_000, lostRate: '0.01', audioJitterMax: '30', audioJitterAvg: '12' };
  const partial = { timestamp: T0_MS + 10_000, roundTripTime: '999' };
  let res = await metrics(ZHANG, { samples: [partial, jittery, full] });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  t.same(res.body, { samples: [full, jittery, partial] }, 'every stated sample, in time order, as given');

  const { audioJitterMax: _max, audioJitterAvg: _avg, ...jitteryData } = jittery;
  t.same(await data(), [full, jitteryData], 'a member who never joined reads exactly the stated samples; none after now, no jitter');
  t.same(await data(`&beginTime=${T0_MS - 15_000}`), [jitteryData], 'within the asked range');
  t.same(await data(`&endTime=${T0_MS - 15_000}`), [full]);
  let map = await last();
  t.same(map[ZHANG], jittery, 'the last metric is the latest stated sample not after now');
  t.same(map[HOST], hostBefore, 'other members keep the derived samples');

  clock.advance(10_000);
  const samples = await data();
  t.equal(samples.length, 3, 'a stated sample shows once the clock reaches it');
  t.match(samples[2], { timestamp: T0_MS + 10_000, roundTripTime: '999' });
  t.same(Object.keys(samples[2]), Object.keys(full), 'the fields left out are derived');
  t.notOk('audioJitterMax' in samples[2]);
  map = await last();
  t.match(map[ZHANG], { timestamp: T0_MS + 10_000, roundTripTime: '999' });
  t.equal(Number(map[ZHANG].audioJitterMax), 2 * Number(map[ZHANG].audioJitterAvg), 'derived jitter when none is stated');

  res = await metrics(ZHANG, { samples: [{ timestamp: T0_MS - 20_000, lostRate: '0.50' }] });
  t.same(res.body.samples.map((s: { timestamp: number }) => s.timestamp), [T0_MS - 20_000, T0_MS - 10_000, T0_MS + 10_000], 'a stated instant is replaced, the others kept');
  t.same(res.body.samples[0], { timestamp: T0_MS - 20_000, lostRate: '0.50' });
  res = await metrics(ZHANG, { replace: true, samples: [{ timestamp: T0_MS + 60_000, lostRate: '0.02' }] });
  t.same(res.body, { samples: [{ timestamp: T0_MS + 60_000, lostRate: '0.02' }] }, 'replace drops the stated samples first');
  t.same(await data(), [], 'stated samples only, and none measured yet');
  t.same(Object.keys(await last()), [HOST], 'no stated sample yet: left out of the last metric');

  res = await metrics(LI, { samples: [full] }, ENDED);
  t.equal(res.status, 200, 'a member of an ended conference');
  const ended = await dt(app, 'GET', `/v1.0/conference/videoConferences/${ENDED}/metricDatas?unionId=${LI}`, token);
  t.same(ended.body, { metricDataList: [full] });
});

t.test('stated metrics: unknown conference or member, bad bodies, cleared with the world', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const url = (unionId: string, conference = STARTED) => `/_emulator/dingtalk/conferences/${conference}/members/${unionId}/metrics`;
  const problem = async (path: string, status: number, payload: unknown) => {
    const res = await call(app, { method: 'POST', url: path, payload: payload as object });
    t.equal(res.status, status, `${JSON.stringify(payload)} → ${status}`);
    t.equal(res.headers['content-type'], 'application/problem+json');
    t.match(res.body, { type: 'about:blank', status });
  };
  const sample = { samples: [{ timestamp: T0_MS, lostRate: '0.09' }] };
  await problem(url(ZHANG, '000000000000000000000000'), 404, sample);
  await problem(url('nobody'), 404, sample);
  await problem(url(ZHANG), 400, {});
  await problem(url(ZHANG), 400, { samples: [] });
  await problem(url(ZHANG), 400, { samples: [{ lostRate: '0.09' }] });
  await problem(url(ZHANG), 400, { samples: [{ timestamp: T0_MS, lostRate: 'high' }] });
  await problem(url(ZHANG), 400, { samples: [{ timestamp: T0_MS, sendBitRate: 12 }] });
  await problem(url(ZHANG), 400, { samples: [{ timestamp: T0_MS, bitrate: '1' }] });
  await problem(url(ZHANG), 400, { ...sample, replace: 'yes' });
  t.same((await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}`, token)).body, { metricDataList: [] }, 'nothing stated by a refused request');

  t.equal((await call(app, { method: 'POST', url: url(HOST), payload: sample })).status, 200);
  const stated = (await dt(app, 'GET', `${CONF}/metricDatas?unionId=${HOST}&beginTime=${T0_MS}`, token)).body.metricDataList;
  t.equal(stated.length, 1);
  t.equal(stated[0].lostRate, '0.09');
  const many = Array.from({ length: 400 }, (_, i) => ({ timestamp: T0_MS - 400_000 + i * 1000 }));
  t.equal((await call(app, { method: 'POST', url: url(ZHANG), payload: { samples: many } })).body.samples.length, 400);
  const capped = (await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}`, token)).body.metricDataList;
  t.same([capped.length, capped[0].timestamp, capped[359].timestamp], [360, T0_MS - 400_000, T0_MS - 41_000], 'at most 360 samples an answer, the earliest first');
  t.equal((await call(app, { method: 'POST', url: '/_emulator/worlds/default/reset' })).status, 204);
  const derived = (await dt(app, 'GET', `${CONF}/metricDatas?unionId=${HOST}&beginTime=${T0_MS}`, await tokenOf(app))).body.metricDataList;
  t.equal(derived.length, 1);
  t.not(derived[0].lostRate, '0.09', 'the reset world derives the samples again');
  t.same((await dt(app, 'GET', `${CONF}/metricDatas?unionId=${ZHANG}`, await tokenOf(app))).body, { metricDataList: [] }, 'never joined: no samples again');
});
