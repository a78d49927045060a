import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, call, T0_MS } from '../../helper.js';
import { HOST, LI, OTHER_ORG_APP, READONLY_APP, WANG, ZHANG, assertError, assertEnvelopeHeaders, dt, tokenOf } from './fixtures.js';

const SCHEDULES = '/v1.0/conference/scheduleConferences';
const HOUR = 3_600_000;

async function schedule(app: FastifyInstance, token: string, extra: Record<string, unknown> = {}) {
  const res = await dt(app, 'POST', SCHEDULES, token, { creatorUnionId: HOST, title: '季度规划', startTime: T0_MS + HOUR, endTime: T0_MS + 2 * HOUR, ...extra });
  if (res.status !== 200) throw new Error(res.text);
  return res;
}

const view = async (app: FastifyInstance) => (await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/scheduleConferences' })).body;

t.test('createScheduleConference, then query it; the world clock starts it once, as a video conference', async (t) => {
  const app = await build(t);
  let token = await tokenOf(app);
  const res = await schedule(app, token, { scheduleConfSettingModel: { cohostUnionIds: [ZHANG], lockRoom: 1, muteOnJoin: -1, moziConfVirtualExtraSetting: { lockMediaStatusMicMute: 1, enableChat: 1 } } });
  assertEnvelopeHeaders(t, res);
  const { scheduleConferenceId, roomCode, url, phones, requestId } = res.body;
  t.match(scheduleConferenceId, /^[0-9a-f]{24}$/);
  t.match(roomCode, /^[1-9][0-9]{10}$/);
  t.equal(requestId, res.headers['x-acs-request-id'], 'requestId is the request id');
  t.equal(url, `https://meeting.dingtalk.com/app?roomCode=${roomCode}&scheduleConferenceId=${scheduleConferenceId}`);
  t.same(phones, ['0571-26883112']);
  t.same(Object.keys(res.body), ['requestId', 'scheduleConferenceId', 'roomCode', 'url', 'phones']);

  const info = await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${LI}`, token);
  t.same({ ...info.body, requestId: undefined }, { requestId: undefined, scheduleConferenceId, title: '季度规划', startTime: T0_MS + HOUR, endTime: T0_MS + 2 * HOUR, roomCode, url, phones });
  const history = `/v1.0/conference/videoConferences/scheduleConferences/${scheduleConferenceId}`;
  t.same((await dt(app, 'GET', history, token)).body, { totalCount: 0, conferenceList: [] }, 'not started yet');

  app.emulator.worlds.default.clock.advance(HOUR + 5_000);
  const started = (await dt(app, 'GET', history, token)).body;
  t.equal(started.totalCount, 1, 'the clock reached startTime: it started');
  const [meeting] = started.conferenceList;
  t.same(meeting, { conferenceId: meeting.conferenceId, title: '季度规划', roomCode, status: 2, startTime: T0_MS + HOUR });
  const confInfo = (await dt(app, 'GET', `/v1.0/conference/videoConferences/${meeting.conferenceId}`, token)).body.confInfo;
  t.match(confInfo, { bizType: '3', scheduleConferenceId, roomCode, startTime: T0_MS + HOUR, creatorId: HOST, activeNum: 1, invitedNum: 1 });
  const members = (await dt(app, 'GET', `/v1.0/conference/videoConferences/${meeting.conferenceId}/members`, token)).body.memberModels;
  t.same(members.map((m: { unionId: string; attendStatus: number; host: boolean; coHost: boolean }) => [m.unionId, m.attendStatus, m.host, m.coHost]), [
    [HOST, 3, true, false],
    [ZHANG, 2, false, true],
  ]);
  const batch = (await dt(app, 'POST', '/v1.0/conference/videoConferences/query', token, { conferenceIdList: [meeting.conferenceId] })).body.infos[0];
  t.equal(batch.mediaStatus, 4, 'muteOnJoin -1 with lockMediaStatusMicMute: a forced mute-all');
  const conf = (await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/conferences?status=started' })).body.conferences.find((c: { conferenceId: string }) => c.conferenceId === meeting.conferenceId);
  t.match(conf, { scheduleConferenceId, settings: { lockConference: true, muteAll: true, allowUnmuteSelf: false } });
  t.match((await view(app)).scheduleConferences[0], { scheduleConferenceId, status: 'scheduled', startedByClock: true, conferenceIds: [meeting.conferenceId] });
  const byRoom = (await dt(app, 'GET', `/v1.0/conference/roomCodes/${roomCode}/infos`, token)).body;
  t.match(byRoom.conferenceList, [{ conferenceId: meeting.conferenceId, scheduleConferenceId: undefined, bizType: '3' }]);

  app.emulator.worlds.default.clock.advance(HOUR);
  token = await tokenOf(app);
  t.equal((await dt(app, 'GET', history, token)).body.totalCount, 1, 'it starts by itself only once');
  let ctl = await call(app, { method: 'POST', url: `/_emulator/dingtalk/scheduleConferences/${scheduleConferenceId}/start` });
  t.same([ctl.status, ctl.body.detail], [409, `A meeting of scheduled conference ${scheduleConferenceId} is running`]);
  await dt(app, 'DELETE', `/v1.0/conference/videoConferences/${meeting.conferenceId}?unionId=${HOST}`, token);
  ctl = await call(app, { method: 'POST', url: `/_emulator/dingtalk/scheduleConferences/${scheduleConferenceId}/start` });
  t.equal(ctl.status, 200, 'the control plane starts it again');
  t.match(ctl.body.confInfo, { scheduleConferenceId, bizType: '3', roomCode, status: 2 });
  const again = (await dt(app, 'GET', `${history}?maxResults=1`, token)).body;
  t.same([again.totalCount, again.nextToken, again.conferenceList[0].conferenceId], [2, '1', ctl.body.confInfo.conferenceId], 'latest first, paged');
  const second = (await dt(app, 'GET', `${history}?maxResults=1&nextToken=1`, token)).body;
  t.same([second.conferenceList[0].conferenceId, second.conferenceList[0].status, second.conferenceList[0].endTime], [meeting.conferenceId, 1, T0_MS + 2 * HOUR + 5_000]);
  t.equal((await call(app, { method: 'POST', url: `/_emulator/dingtalk/scheduleConferences/nope/start` })).status, 404);
});

t.test('updateScheduleConference and cancelScheduleConference: creator only; a cancelled one never starts', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const { scheduleConferenceId } = (await schedule(app, token)).body;
  const update = (body: Record<string, unknown>) =>
    dt(app, 'PUT', SCHEDULES, token, { creatorUnionId: HOST, scheduleConferenceId, title: '改期', startTime: T0_MS + 3 * HOUR, endTime: T0_MS + 4 * HOUR, ...body });
  let res = await update({});
  t.same([res.status, res.text], [200, '{"success":true}']);
  const info = (await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${HOST}`, token)).body;
  t.same([info.title, info.startTime, info.endTime], ['改期', T0_MS + 3 * HOUR, T0_MS + 4 * HOUR]);
  assertError(t, await update({ creatorUnionId: ZHANG }), 400, 'permissionError', 'permissionError:no permission for this schedule conference');
  assertError(t, await update({ creatorUnionId: WANG }), 400, 'permissionError', 'permissionError:user is not in the organization');
  assertError(t, await update({ creatorUnionId: 'nobody' }), 400, 'paramsError', 'error:creatorUnionId is invalid');
  assertError(t, await update({ scheduleConferenceId: 'nope' }), 400, 'paramsError', 'error:scheduleConferenceId is invalid');
  assertError(t, await update({ endTime: T0_MS }), 400, 'paramsError', 'error:endTime must be after startTime');
  assertError(t, await update({ startTime: '1' }), 400, 'paramsError', 'error:startTime must be epoch milliseconds');
  assertError(t, await update({ title: undefined }), 400, 'paramsError', 'error:title is required');
  assertError(t, await update({ title: 'x'.repeat(257) }), 400, 'paramsError', 'error:title is longer than 256 characters');

  assertError(t, await dt(app, 'POST', `${SCHEDULES}/cancel`, token, { creatorUnionId: ZHANG, scheduleConferenceId }), 400, 'permissionError', 'permissionError:no permission for this schedule conference');
  res = await dt(app, 'POST', `${SCHEDULES}/cancel`, token, { creatorUnionId: HOST, scheduleConferenceId });
  t.same([res.status, res.text], [200, '{"success":true}']);
  assertError(t, await dt(app, 'POST', `${SCHEDULES}/cancel`, token, { creatorUnionId: HOST, scheduleConferenceId }), 400, 'resourceCancel', 'Schedule conference has canceled');
  assertError(t, await update({}), 400, 'resourceCancel', 'Schedule conference has canceled');
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${HOST}`, token), 400, 'resourceCancel', 'Schedule conference has canceled');
  app.emulator.worlds.default.clock.advance(5 * HOUR);
  const fresh = await tokenOf(app);
  t.same((await dt(app, 'GET', `/v1.0/conference/videoConferences/scheduleConferences/${scheduleConferenceId}`, fresh)).body, { totalCount: 0, conferenceList: [] }, 'never started');
  t.match((await view(app)).scheduleConferences[0], { status: 'cancelled', startedByClock: false });
  const ctl = await call(app, { method: 'POST', url: `/_emulator/dingtalk/scheduleConferences/${scheduleConferenceId}/start` });
  t.same([ctl.status, ctl.body.detail], [409, `Scheduled conference ${scheduleConferenceId} was cancelled`]);
});

t.test('createScheduleConference and the queries: documented errors, permissions', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const create = (body: Record<string, unknown>) => dt(app, 'POST', SCHEDULES, token, { creatorUnionId: HOST, title: 't', startTime: T0_MS, endTime: T0_MS + HOUR, ...body });
  assertError(t, await create({ creatorUnionId: WANG }), 400, 'paramsError', 'error:creatorUnionId is invalid');
  assertError(t, await create({ creatorUnionId: undefined }), 400, 'paramsError', 'error:creatorUnionId is required');
  assertError(t, await create({ scheduleConfSettingModel: { lockRoom: 'yes' } }), 400, 'paramsError', 'error:scheduleConfSettingModel.lockRoom is invalid');
  assertError(t, await create({ scheduleConfSettingModel: { cohostUnionIds: [WANG] } }), 400, 'paramsError', `error:${WANG} is not a user of the organization`);
  assertError(t, await dt(app, 'POST', SCHEDULES, token, 'x', { 'content-type': 'text/plain' }), 400, 'paramsError', 'error:body must be JSON');
  const long = await create({ title: '长'.repeat(60) });
  const info = await dt(app, 'GET', `${SCHEDULES}/${long.body.scheduleConferenceId}/infos?requestUnionId=${HOST}`, token);
  t.equal(info.body.title, '长'.repeat(50), 'a title over 50 characters is truncated');

  const { scheduleConferenceId } = long.body;
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos`, token), 400, 'paramsError', 'error:requestUnionId is required');
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/nope/infos?requestUnionId=${HOST}`, token), 400, 'paramsError', 'error:scheduleConferenceId is invalid');
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${WANG}`, token), 400, 'permissionError', 'permissionError:no permission for this schedule conference');
  const other = await tokenOf(app, OTHER_ORG_APP);
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${WANG}`, other), 400, 'permissionError', 'permissionError:no permission for this schedule conference');
  assertError(t, await dt(app, 'GET', `/v1.0/conference/videoConferences/scheduleConferences/${scheduleConferenceId}`, other), 400, 'invalidScheduleConferenceId', 'invalidScheduleConferenceId');
  assertError(t, await dt(app, 'GET', `/v1.0/conference/videoConferences/scheduleConferences/${scheduleConferenceId}?maxResults=0`, token), 400, 'paramsError', 'error:maxResults is invalid');
  const readOnly = await tokenOf(app, READONLY_APP);
  t.equal((await dt(app, 'GET', `${SCHEDULES}/${scheduleConferenceId}/infos?requestUnionId=${HOST}`, readOnly)).status, 200, 'Read scope is enough to query');
  const denied = await dt(app, 'POST', SCHEDULES, readOnly, {});
  assertError(t, denied, 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', denied.body.message, { accessdenieddetail: { requiredScopes: ['VideoConference.Conference.Write'] } });
});

t.test('schedule settings and custom short links: their pages\' codes', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const { scheduleConferenceId, roomCode } = (
    await schedule(app, token, { scheduleConfSettingModel: { lockRoom: 1, moziConfVirtualExtraSetting: { enableChat: 1, pushMinutesCard: false } } })
  ).body;
  const settings = `${SCHEDULES}/settings?scheduleConferenceId=${scheduleConferenceId}`;
  let res = await dt(app, 'GET', settings, token);
  t.equal(res.text, '{"scheduleConfSettingModel":{"lockRoom":1,"moziConfVirtualExtraSetting":{"enableChat":1}}}', 'what only the request model has is not returned');
  res = await dt(app, 'PUT', `${SCHEDULES}/settings`, token, {
    creatorUnionId: HOST,
    scheduleConferenceId,
    scheduleConfSettingModel: { hostUnionId: HOST, cohostUnionIds: [LI], moziConfVirtualExtraSetting: { moziConfExtensionAppSettings: [{ coolAppCode: 'COOL', autoOpenMode: 1, extensionAppBizData: '{}' }] } },
  });
  t.same([res.status, res.text], [200, '{"success":true}']);
  res = await dt(app, 'GET', settings, token);
  t.same(res.body.scheduleConfSettingModel, {
    lockRoom: 1,
    hostUnionId: HOST,
    cohostUnionIds: [LI],
    moziConfVirtualExtraSetting: { enableChat: 1, moziConfExtensionAppSettings: [{ clientId: 'dingemulatorkey0001', coolAppCode: 'COOL', autoOpenMode: '1', extensionAppBizData: '{}' }] },
  });
  const put = (body: Record<string, unknown>) => dt(app, 'PUT', `${SCHEDULES}/settings`, token, { creatorUnionId: HOST, scheduleConferenceId, ...body });
  assertError(t, await put({ creatorUnionId: ZHANG }), 400, 'creatorUidError', 'creatorUidError');
  assertError(t, await put({ creatorUnionId: WANG }), 400, 'userNotInOrg', 'userNotInOrg');
  assertError(t, await put({ scheduleConfSettingModel: { cohostUnionIds: [WANG] } }), 400, 'userNotInOrg', 'userNotInOrg');
  assertError(t, await put({ scheduleConferenceId: 'nope' }), 400, 'scheduleConferenceIdError', 'scheduleConferenceIdError');
  assertError(t, await put({ scheduleConfSettingModel: { muteOnJoin: 1.5 } }), 400, 'paramError', 'paramError');
  assertError(t, await put({ creatorUnionId: undefined }), 400, 'paramError', 'paramError');
  const apps = Array.from({ length: 6 }, () => ({ coolAppCode: 'C' }));
  assertError(t, await put({ scheduleConfSettingModel: { moziConfVirtualExtraSetting: { moziConfExtensionAppSettings: apps } } }), 400, 'extensionAppSettingError', 'extensionAppSettingCountError');
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/settings`, token), 400, 'paramError', 'paramError');
  assertError(t, await dt(app, 'GET', `${SCHEDULES}/settings?scheduleConferenceId=nope`, token), 400, 'scheduleConferenceIdError', 'scheduleConferenceIdError');
  const other = await tokenOf(app, OTHER_ORG_APP);
  assertError(t, await dt(app, 'GET', settings, other), 403, 'noPermission', 'noPermission');

  res = await dt(app, 'POST', '/v1.0/conference/customShortLinks', token, { creatorUnionId: HOST, scheduleConferenceId, coolAppCode: 'COOL APP', useExtensionApp: true });
  t.same([res.status, res.text], [200, JSON.stringify({ result: { customShortLink: `https://meeting.dingtalk.com/app?roomCode=${roomCode}&coolAppCode=COOL%20APP` } })]);
  const link = (body: Record<string, unknown>) => dt(app, 'POST', '/v1.0/conference/customShortLinks', token, { creatorUnionId: HOST, scheduleConferenceId, coolAppCode: 'C', ...body });
  assertError(t, await link({ coolAppCode: undefined }), 400, 'paramError', 'paramError');
  assertError(t, await link({ creatorUnionId: ZHANG }), 400, 'creatorUidError', 'creatorUidError');
  assertError(t, await link({ scheduleConferenceId: 'nope' }), 400, 'scheduleConferenceIdError', 'scheduleConferenceIdError');
  assertError(t, await dt(app, 'POST', '/v1.0/conference/customShortLinks', other, { creatorUnionId: WANG, scheduleConferenceId, coolAppCode: 'C' }), 403, 'noPermission', 'noPermission');
});
