import t from 'tap';
import { build, call } from '../../helper.js';
import { ENDED, HOST, OTHER_ORG_APP, OTHER_ORG_CONFERENCE, READONLY_APP, STARTED, WANG, ZHANG, ZHOU, assertError, assertEnvelopeHeaders, dt, tokenOf } from './fixtures.js';

const CONFS = '/v1.0/conference/videoConferences';
const join = (id: string, unionId: string) => `/_emulator/dingtalk/conferences/${id}/members/${unionId}/join`;
const SCOPE_WRITE = { accessdenieddetail: { requiredScopes: ['VideoConference.Conference.Write'] } };

t.test('updateVideoConferenceSetting: muteAll, allowUnmuteSelf and lock change what the batch query and the control plane see', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await call(app, { method: 'POST', url: join(STARTED, ZHANG) });
  let res = await dt(app, 'PUT', `${CONFS}/${STARTED}`, token, { muteAll: true, allowUnmuteSelf: false, lockConference: true });
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  t.equal(res.text, '{"code":"200","case":"success"}');

  const batch = async () => (await dt(app, 'POST', `${CONFS}/query`, token, { conferenceIdList: [STARTED] })).body.infos[0];
  let info = await batch();
  t.equal(info.mediaStatus, 4, 'forced mute-all');
  t.same(
    info.userList.map((u: { userId: string; micStatus: number }) => [u.userId, u.micStatus]),
    [
      [HOST, 2],
      [ZHANG, 1],
      ['unionid-user-0003iEiE', 0],
    ],
    'the host keeps the mic on; members in the meeting are muted; members being called are untouched',
  );
  const view = await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/conferences?status=started' });
  t.match(view.body.conferences.find((c: { conferenceId: string }) => c.conferenceId === STARTED).settings, {
    allowUnmuteSelf: false,
    lockConference: true,
    muteAll: true,
  });
  res = await call(app, { method: 'POST', url: join(STARTED, ZHOU) });
  t.same([res.status, res.body.detail], [409, `Conference ${STARTED} is locked`]);

  res = await dt(app, 'PUT', `${CONFS}/${STARTED}`, token, { muteAll: false, lockConference: false, onlyInternalEmployeesJoin: true });
  t.equal(res.status, 200);
  info = await batch();
  t.same([info.mediaStatus, info.userList[1].micStatus], [0, 2], 'lifted: mics back on');
  res = await call(app, { method: 'POST', url: join(STARTED, WANG) });
  t.same([res.status, res.body.detail], [409, `Conference ${STARTED} admits only members of its org`]);
  res = await call(app, { method: 'POST', url: join(STARTED, ZHOU) });
  t.equal(res.status, 200, 'unlocked');

  res = await dt(app, 'PUT', `${CONFS}/${STARTED}`, token, { muteAll: true });
  t.equal((await batch()).mediaStatus, 1, 'a plain mute-all: members may unmute themselves');
});

t.test('updateVideoConferenceSetting: documented errors, in check order', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  assertError(t, await dt(app, 'PUT', `${CONFS}/${STARTED}`, token, { muteAll: 'yes' }), 400, 'paramsError', 'error:muteAll must be a boolean');
  assertError(t, await dt(app, 'PUT', `${CONFS}/${STARTED}`, token, [true]), 400, 'paramsError', 'error:body must be a JSON object');
  assertError(t, await dt(app, 'PUT', `${CONFS}/${STARTED}`, token), 400, 'paramsError', 'error:body is required');
  assertError(t, await dt(app, 'PUT', `${CONFS}/%20`, token, {}), 400, 'missingRoomId', 'MISSING ROOM ID');
  assertError(t, await dt(app, 'PUT', `${CONFS}/000000000000000000000000`, token, {}), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'PUT', `${CONFS}/${OTHER_ORG_CONFERENCE}`, token, {}), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'PUT', `${CONFS}/${ENDED}`, token, { muteAll: true }), 400, 'confClosed', 'confClosed');
  const readOnly = await tokenOf(app, READONLY_APP);
  const res = await dt(app, 'PUT', `${CONFS}/${STARTED}`, readOnly, {});
  assertError(t, res, 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', res.body.message, SCOPE_WRITE);
});

t.test('updateVideoConferenceExtInfo: no body, success while the meeting runs', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const res = await dt(app, 'PUT', `${CONFS}/${STARTED}/extInfo`, token);
  t.same([res.status, res.text], [200, '{"code":"200","case":"success"}']);
  assertError(t, await dt(app, 'PUT', `${CONFS}/${ENDED}/extInfo`, token), 400, 'confClosed', 'confClosed');
  assertError(t, await dt(app, 'PUT', `${CONFS}/${OTHER_ORG_CONFERENCE}/extInfo`, token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'PUT', `${CONFS}/nope/extInfo`, token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'GET', `${CONFS}/${STARTED}/extInfo`, token), 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
});

t.test('queryUserOnGoingConference: started meetings of the caller org the user is in or being called to', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  const created = await dt(app, 'POST', CONFS, token, { userId: ZHANG, confTitle: '新会', inviteUserIds: [HOST] });
  const newer = created.body.conferenceId;
  clock.advance(60_000);
  let res = await dt(app, 'GET', `/v1.0/conference/users/lists?unionId=${HOST}`, token);
  t.equal(res.status, 200);
  t.same(res.body.onGoingConfIdList, [newer, STARTED], 'newest first; the ended meeting is left out');
  t.same(res.body.memberModelMap[newer], { unionId: HOST, conferenceId: newer, userNick: '小钉', attendStatus: 2, host: false, coHost: false, pstnJoin: false });
  t.same(res.body.memberModelMap[STARTED].attendStatus, 3);
  t.equal(res.text.indexOf('"onGoingConfIdList"'), 1, 'onGoingConfIdList first');

  res = await dt(app, 'GET', `/v1.0/conference/users/lists?unionId=${ZHOU}`, token);
  t.equal(res.text, '{"onGoingConfIdList":[],"memberModelMap":{}}');
  assertError(t, await dt(app, 'GET', '/v1.0/conference/users/lists', token), 400, 'param.error', 'missing.user.info');
  assertError(t, await dt(app, 'GET', '/v1.0/conference/users/lists?unionId=%20', token), 400, 'param.error', 'missing.user.info');
  assertError(t, await dt(app, 'GET', '/v1.0/conference/users/lists?unionId=nobody', token), 400, 'param.error', 'param.error');
  assertError(t, await dt(app, 'GET', `/v1.0/conference/users/lists?unionId=${WANG}`, token), 400, 'param.error', 'param.error');
  const other = await tokenOf(app, OTHER_ORG_APP);
  res = await dt(app, 'GET', `/v1.0/conference/users/lists?unionId=${WANG}`, other);
  t.same(res.body.onGoingConfIdList, [OTHER_ORG_CONFERENCE], 'each org sees its own');
});

t.test('queryOrgConferenceList: ongoing conferences of the caller org, paged', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  const ids: string[] = [];
  for (const title of ['一', '二']) {
    clock.advance(1000);
    ids.unshift((await dt(app, 'POST', CONFS, token, { userId: HOST, confTitle: title })).body.conferenceId);
  }
  let res = await dt(app, 'GET', '/v1.0/conference/orgConferences?maxResults=2', token);
  t.equal(res.status, 200);
  t.same([res.body.nextToken, res.body.totalCount, res.body.hasMore], ['2', 3, true]);
  t.same(
    res.body.onGoingConfList.map((c: { conferenceId: string }) => c.conferenceId),
    ids,
  );
  t.same(Object.keys(res.body.onGoingConfList[0]), ['conferenceId', 'title', 'roomCode', 'status', 'startTime', 'creatorId', 'creatorNick', 'bizType']);
  t.same(Object.keys(res.body), ['nextToken', 'totalCount', 'hasMore', 'onGoingConfList']);
  res = await dt(app, 'GET', '/v1.0/conference/orgConferences?maxResults=2&nextToken=2', token);
  t.same([res.body.nextToken, res.body.hasMore, res.body.onGoingConfList.map((c: { conferenceId: string }) => c.conferenceId)], [undefined, false, [STARTED]]);
  res = await dt(app, 'GET', '/v1.0/conference/orgConferences?nextToken=9', token);
  t.same(res.body, { totalCount: 3, hasMore: false, onGoingConfList: [] });
  await dt(app, 'DELETE', `${CONFS}/${ids[0]}?unionId=${HOST}`, token);
  res = await dt(app, 'GET', '/v1.0/conference/orgConferences', token);
  t.equal(res.body.totalCount, 2, 'a closed meeting leaves the list');
  assertError(t, await dt(app, 'GET', '/v1.0/conference/orgConferences?maxResults=0', token), 400, 'paramError', 'PARAM ERROR');
  assertError(t, await dt(app, 'GET', '/v1.0/conference/orgConferences?nextToken=x', token), 400, 'paramError', 'PARAM ERROR');
  const readOnly = await tokenOf(app, READONLY_APP);
  t.equal((await dt(app, 'GET', '/v1.0/conference/orgConferences', readOnly)).status, 200, 'Read scope is enough');
  const other = await tokenOf(app, OTHER_ORG_APP);
  res = await dt(app, 'GET', '/v1.0/conference/orgConferences', other);
  t.same(res.body.onGoingConfList.map((c: { conferenceId: string }) => c.conferenceId), [OTHER_ORG_CONFERENCE]);
});
