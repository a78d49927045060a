import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
// Deep imports of the official SDK, unmodified (reference §4): under ESM/NodeNext the default import of
// these CommonJS modules is `module.exports`, so the client class is `.default`.
import Conference, * as $Conference from '@alicloud/dingtalk/dist/conference_1_0/client.js';
import OAuth2, * as $OAuth2 from '@alicloud/dingtalk/dist/oauth2_1_0/client.js';
import OpenApi from '@alicloud/openapi-client';
import Util from '@alicloud/tea-util';
import { isSecretKey } from '../../src/core/redact.js';
import { build, call } from '../helper.js';
import { APP, ENDED, HOST, LI, MSG, OTHER_ORG_CONFERENCE, READONLY_APP, REQUEST_ID, STARTED, WANG, ZHANG, ZHOU } from '../providers/dingtalk/fixtures.js';

interface SdkError extends Error {
  code: string;
  statusCode: number;
  data: Record<string, unknown>;
  accessDeniedDetail?: unknown;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `127.0.0.1:${address.port}`;
}

async function rejects(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

t.test('the official @alicloud/dingtalk SDK against the emulator', async (t) => {
  const app = await build(t);
  const endpoint = await listen(app);
  const config = () => new OpenApi.Config({ protocol: 'http', endpoint });
  const oauth = new OAuth2.default(config());
  const conference = new Conference.default(config());
  const rt = () => new Util.RuntimeOptions({});
  const headers = (token: string) => new $Conference.QueryConferenceInfoHeaders({ xAcsDingtalkAccessToken: token });

  const tokenRes = await oauth.getAccessToken(new $OAuth2.GetAccessTokenRequest(APP));
  t.equal(tokenRes.statusCode, 200);
  t.equal(tokenRes.body?.expireIn, 7200);
  const token = tokenRes.body!.accessToken!;
  t.match(token, /^[0-9a-f]{32}$/);

  const created = await conference.createVideoConferenceWithOptions(
    new $Conference.CreateVideoConferenceRequest({ userId: HOST, confTitle: '周会', inviteUserIds: [ZHANG, LI], inviteCaller: true }),
    new $Conference.CreateVideoConferenceHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
  t.equal(created.statusCode, 200);
  const conferenceId = created.body!.conferenceId!;
  t.match(conferenceId, /^[0-9a-f]{24}$/);
  t.match(created.body, { roomCode: /^[1-9][0-9]{10}$/, conferencePassword: /^[0-9]{10}$/, hostPassword: /^[0-9]{10}$/, phoneNumbers: ['0571-26883112'] });
  t.equal(created.headers?.['content-type'], 'application/json;charset=utf-8');
  t.match(created.headers?.['x-acs-request-id'], REQUEST_ID);

  let info = await conference.queryConferenceInfoWithOptions(conferenceId, headers(token), rt());
  t.match(info.body?.confInfo, { conferenceId, title: '周会', status: 2, activeNum: 1, attendNum: 1, invitedNum: 2, creatorId: HOST, creatorNick: '小钉', bizType: '0' });
  t.equal(info.body?.confInfo?.endTime, undefined);

  const clock = app.emulator.worlds.default.clock;
  clock.advance(60_000);
  const join = await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${conferenceId}/members/${ZHOU}/join`, payload: {} });
  t.equal(join.status, 200, 'a member joins through the control API');
  info = await conference.queryConferenceInfoWithOptions(conferenceId, headers(token), rt());
  t.match(info.body?.confInfo, { activeNum: 2, attendNum: 2 });

  const page = (nextToken: string) =>
    conference.queryConferenceMembersWithOptions(conferenceId, new $Conference.QueryConferenceMembersRequest({ maxResults: 2, nextToken }), headers(token), rt());
  const first = await page('0');
  t.same(first.body?.memberModels?.map((m) => [m.unionId, m.attendStatus, m.host]), [
    [HOST, 3, true],
    [ZHANG, 2, false],
  ]);
  t.equal(first.body?.totalCount, 4);
  t.equal(first.body?.nextToken, '2');
  const second = await page(first.body!.nextToken!);
  t.same(second.body?.memberModels?.map((m) => [m.unionId, m.attendStatus, m.joinTime]), [
    [LI, 2, undefined],
    [ZHOU, 3, clock.now()],
  ]);
  t.equal(second.body?.nextToken, undefined, 'no nextToken on the last page');

  clock.advance(30_000);
  const closed = await conference.closeVideoConferenceWithOptions(conferenceId, new $Conference.CloseVideoConferenceRequest({ unionId: HOST }), headers(token), rt());
  t.same([closed.statusCode, closed.body?.code, closed.body?.cause], [200, 200, 'success']);

  info = await conference.queryConferenceInfoWithOptions(conferenceId, headers(token), rt());
  const startTime = info.body!.confInfo!.startTime!;
  t.match(info.body?.confInfo, { status: 1, activeNum: 0, endTime: startTime + 90_000, confDuration: 90_000 });

  let err = await rejects(conference.closeVideoConferenceWithOptions(conferenceId, new $Conference.CloseVideoConferenceRequest({ unionId: HOST }), headers(token), rt()));
  t.equal(err.code, 'resourceClose');
  t.equal(err.statusCode, 400);
  t.match(err.data.requestid, REQUEST_ID);
  t.match(err.message, /^resourceClose: code: 400, The meeting has ended request id: [0-9A-F-]{36}$/);

  err = await rejects(conference.queryConferenceInfoWithOptions('000000000000000000000000', headers(token), rt()));
  t.same([err.code, err.statusCode], ['roomNotFound', 404]);

  err = await rejects(conference.queryConferenceInfoWithOptions(conferenceId, headers('0'.repeat(32)), rt()));
  t.same([err.code, err.statusCode, err.data.message], ['InvalidAuthentication', 400, MSG.invalidToken]);

  err = await rejects(conference.queryConferenceInfo(conferenceId));
  t.same([err.code, err.statusCode], ['AuthenticationFailed.MissingParameter', 400], 'the plain variant sends no token');

  const readOnly = (await oauth.getAccessToken(new $OAuth2.GetAccessTokenRequest(READONLY_APP))).body!.accessToken!;
  err = await rejects(
    conference.createVideoConferenceWithOptions(
      new $Conference.CreateVideoConferenceRequest({ userId: HOST, confTitle: 'x' }),
      new $Conference.CreateVideoConferenceHeaders({ xAcsDingtalkAccessToken: readOnly }),
      rt(),
    ),
  );
  t.same([err.code, err.statusCode], ['Forbidden.AccessDenied.AccessTokenPermissionDenied', 403]);
  t.same(err.accessDeniedDetail, { requiredScopes: ['VideoConference.Conference.Write'] });

  err = await rejects(oauth.getAccessToken(new $OAuth2.GetAccessTokenRequest({ appKey: APP.appKey, appSecret: 'wrong' })));
  t.same([err.code, err.statusCode], ['invalidClientIdOrSecret', 400]);

  const batch = await conference.queryConferenceInfoBatchWithOptions(
    new $Conference.QueryConferenceInfoBatchRequest({ conferenceIdList: ['6741c3a09f1e2d3c4b5a6978', conferenceId] }),
    new $Conference.QueryConferenceInfoBatchHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
  t.same(batch.body?.infos?.map((i) => i.conferenceId), ['6741c3a09f1e2d3c4b5a6978']);
  const byCode = await conference.queryConferenceInfoByRoomCodeWithOptions(
    '42726033559',
    new $Conference.QueryConferenceInfoByRoomCodeRequest({ maxResults: 10 }),
    new $Conference.QueryConferenceInfoByRoomCodeHeaders({ xAcsDingtalkAccessToken: token }),
    rt(),
  );
  t.same([byCode.body?.totalCount, byCode.body?.hasMore, byCode.body?.conferenceList?.[0]?.title], [1, false, '周会']);
});

/** A JSON value without its secret-looking keys (the journal redacts them), for comparing bodies. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !isSecretKey(k)).map(([k, v]) => [k, withoutSecrets(v)]));
}

/**
 * The official SDK against the emulator for the rest of the conference API. `sdk` runs one call and checks
 * that the SDK's model holds the whole answer: its `toMap()` equals the JSON the emulator sent (read back from
 * the journal), so no field was unknown to the model (dropped) and none was mistyped.
 */
async function sdkWorld(t: Test) {
  const app = await build(t);
  const endpoint = await listen(app);
  const config = () => new OpenApi.Config({ protocol: 'http', endpoint });
  const oauth = new OAuth2.default(config());
  const client = new Conference.default(config());
  const rt = new Util.RuntimeOptions({});
  const token = (await oauth.getAccessToken(new $OAuth2.GetAccessTokenRequest(APP))).body!.accessToken!;
  const readOnly = (await oauth.getAccessToken(new $OAuth2.GetAccessTokenRequest(READONLY_APP))).body!.accessToken!;
  const h = { xAcsDingtalkAccessToken: token };
  const journal = app.emulator.journal;
  const sdk = async <B extends { toMap(): Record<string, unknown> }>(operationId: string, run: () => Promise<{ statusCode?: number; body?: B }>): Promise<B> => {
    const before = journal.count({ operationId });
    const res = await run();
    for (let i = 0; i < 100 && journal.count({ operationId }) === before; i++) await new Promise((resolve) => setImmediate(resolve));
    const [entry] = journal.query({ operationId, limit: 1 });
    t.equal(res.statusCode, 200, `${operationId}: 200`);
    t.same(withoutSecrets(JSON.parse(JSON.stringify(res.body!.toMap()))), withoutSecrets(entry!.responseBody), `${operationId}: the SDK model holds the whole answer`);
    return res.body!;
  };
  const fails = async (run: () => Promise<unknown>, code: string, statusCode: number, what: string) => {
    const err = await rejects(run());
    t.same([err.code, err.statusCode], [code, statusCode], what);
    t.match(err.data.requestid, REQUEST_ID);
    return err;
  };
  return { app, client, rt, token, readOnly, h, sdk, fails };
}

t.test('SDK: conferences (settings, ext info, ongoing lists)', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });

  const updated = await sdk('updateVideoConferenceSetting', () =>
    client.updateVideoConferenceSettingWithOptions(STARTED, new $Conference.UpdateVideoConferenceSettingRequest({ muteAll: true, allowUnmuteSelf: false, lockConference: true }), new $Conference.UpdateVideoConferenceSettingHeaders(h), rt),
  );
  t.same([updated.code, updated.case], ['200', 'success']);
  await fails(
    () => client.updateVideoConferenceSettingWithOptions(ENDED, new $Conference.UpdateVideoConferenceSettingRequest({ muteAll: true }), new $Conference.UpdateVideoConferenceSettingHeaders(h), rt),
    'confClosed',
    400,
    'setting an ended meeting',
  );

  const ext = await sdk('updateVideoConferenceExtInfo', () => client.updateVideoConferenceExtInfoWithOptions(STARTED, new $Conference.UpdateVideoConferenceExtInfoHeaders(h), rt));
  t.equal(ext.case, 'success');
  await fails(() => client.updateVideoConferenceExtInfoWithOptions(OTHER_ORG_CONFERENCE, new $Conference.UpdateVideoConferenceExtInfoHeaders(h), rt), 'noPermission', 403, 'another org');

  const ongoing = await sdk('queryUserOnGoingConference', () =>
    client.queryUserOnGoingConferenceWithOptions(new $Conference.QueryUserOnGoingConferenceRequest({ unionId: ZHANG }), new $Conference.QueryUserOnGoingConferenceHeaders(h), rt),
  );
  t.same(ongoing.onGoingConfIdList, [STARTED]);
  t.match(ongoing.memberModelMap?.[STARTED], { unionId: ZHANG, attendStatus: 3, host: false });
  await fails(
    () => client.queryUserOnGoingConferenceWithOptions(new $Conference.QueryUserOnGoingConferenceRequest({ unionId: WANG }), new $Conference.QueryUserOnGoingConferenceHeaders(h), rt),
    'param.error',
    400,
    'a user of another org',
  );

  const list = await sdk('queryOrgConferenceList', () =>
    client.queryOrgConferenceListWithOptions(new $Conference.QueryOrgConferenceListRequest({ maxResults: 10, nextToken: '0' }), new $Conference.QueryOrgConferenceListHeaders(h), rt),
  );
  t.same([list.totalCount, list.hasMore, list.onGoingConfList?.map((c) => c.conferenceId)], [1, false, [STARTED]]);
  await fails(
    () => client.queryOrgConferenceListWithOptions(new $Conference.QueryOrgConferenceListRequest({ maxResults: 0 }), new $Conference.QueryOrgConferenceListHeaders(h), rt),
    'paramError',
    400,
    'maxResults 0',
  );
});

t.test('SDK: members and in-meeting control', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  const ok = (body: { success?: boolean }) => t.equal(body.success, true);

  ok(
    await sdk('inviteUsers', () =>
      client.inviteUsersWithOptions(
        STARTED,
        new $Conference.InviteUsersRequest({ unionId: HOST, inviteeList: [new $Conference.InviteUsersRequestInviteeList({ unionId: ZHOU, nick: '周八' })] }),
        new $Conference.InviteUsersHeaders(h),
        rt,
      ),
    ),
  );
  await fails(
    () =>
      client.inviteUsersWithOptions(
        STARTED,
        new $Conference.InviteUsersRequest({ inviteeList: [new $Conference.InviteUsersRequestInviteeList({ unionId: 'nobody', nick: 'x' })] }),
        new $Conference.InviteUsersHeaders(h),
        rt,
      ),
    'unknownUserError',
    400,
    'an unknown invitee',
  );
  const user = (unionId: string) => ({ unionId });
  ok(
    await sdk('muteMembers', () =>
      client.muteMembersWithOptions(STARTED, new $Conference.MuteMembersRequest({ action: 'mute', userList: [new $Conference.MuteMembersRequestUserList(user(ZHANG))] }), new $Conference.MuteMembersHeaders(h), rt),
    ),
  );
  await fails(
    () => client.muteMembersWithOptions(STARTED, new $Conference.MuteMembersRequest({ action: 'mute', userList: [new $Conference.MuteMembersRequestUserList(user(LI))] }), new $Conference.MuteMembersHeaders(h), rt),
    'unknownUserError',
    400,
    'muting someone not in the meeting',
  );
  ok(await sdk('muteAll', () => client.muteAllWithOptions(STARTED, new $Conference.MuteAllRequest({ action: 'mute', forceMute: true }), new $Conference.MuteAllHeaders(h), rt)));
  await fails(() => client.muteAllWithOptions(STARTED, new $Conference.MuteAllRequest({}), new $Conference.MuteAllHeaders(h), rt), 'paramsError', 400, 'no action');
  ok(
    await sdk('cohosts', () =>
      client.cohostsWithOptions(STARTED, new $Conference.CohostsRequest({ action: 'add', userList: [new $Conference.CohostsRequestUserList(user(ZHANG))] }), new $Conference.CohostsHeaders(h), rt),
    ),
  );
  await fails(
    () => client.cohostsWithOptions(STARTED, new $Conference.CohostsRequest({ action: 'add', userList: [new $Conference.CohostsRequestUserList(user(HOST))] }), new $Conference.CohostsHeaders(h), rt),
    'paramsError',
    400,
    'the host as co-host',
  );
  ok(await sdk('focus', () => client.focusWithOptions(STARTED, new $Conference.FocusRequest({ action: 'focus', unionId: ZHANG }), new $Conference.FocusHeaders(h), rt)));
  await fails(() => client.focusWithOptions(ENDED, new $Conference.FocusRequest({ action: 'focus', unionId: ZHANG }), new $Conference.FocusHeaders(h), rt), 'confClosed', 400, 'ended');
  ok(await sdk('setSubtitleEvent', () => client.setSubtitleEventWithOptions(STARTED, new $Conference.SetSubtitleEventRequest({ enable: true }), new $Conference.SetSubtitleEventHeaders(h), rt)));
  await fails(() => client.setSubtitleEventWithOptions(STARTED, new $Conference.SetSubtitleEventRequest({}), new $Conference.SetSubtitleEventHeaders(h), rt), 'paramsError', 400, 'no enable');
  ok(await sdk('lockConference', () => client.lockConferenceWithOptions(STARTED, new $Conference.LockConferenceRequest({ action: 'lock' }), new $Conference.LockConferenceHeaders(h), rt)));
  await fails(() => client.lockConferenceWithOptions(STARTED, new $Conference.LockConferenceRequest({ action: 'seal' }), new $Conference.LockConferenceHeaders(h), rt), 'commandError', 400, 'unknown action');
  ok(
    await sdk('kickMembers', () =>
      client.kickMembersWithOptions(STARTED, new $Conference.KickMembersRequest({ forbiddenRejoin: true, userList: [new $Conference.KickMembersRequestUserList(user(ZHANG))] }), new $Conference.KickMembersHeaders(h), rt),
    ),
  );
  await fails(
    () => client.kickMembersWithOptions(OTHER_ORG_CONFERENCE, new $Conference.KickMembersRequest({ userList: [new $Conference.KickMembersRequestUserList(user(WANG))] }), new $Conference.KickMembersHeaders(h), rt),
    'noPermission',
    403,
    'another org',
  );
  const members = await client.queryConferenceMembersWithOptions(STARTED, new $Conference.QueryConferenceMembersRequest({}), new $Conference.QueryConferenceMembersHeaders(h), rt);
  t.same(
    members.body?.memberModels?.map((m) => [m.unionId, m.attendStatus, m.coHost]),
    [
      [HOST, 3, false],
      [ZHANG, 5, true],
      [LI, 2, false],
      [ZHOU, 2, false],
    ],
    'what the controls did, read back',
  );
});

t.test('SDK: scheduled conferences and custom short links', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  const start = app.emulator.worlds.default.clock.now() + 3_600_000;
  const created = await sdk('createScheduleConference', () =>
    client.createScheduleConferenceWithOptions(
      new $Conference.CreateScheduleConferenceRequest({
        creatorUnionId: HOST,
        title: '季度规划',
        startTime: start,
        endTime: start + 3_600_000,
        scheduleConfSettingModel: new $Conference.CreateScheduleConferenceRequestScheduleConfSettingModel({
          cohostUnionIds: [ZHANG],
          lockRoom: 1,
          moziConfVirtualExtraSetting: new $Conference.CreateScheduleConferenceRequestScheduleConfSettingModelMoziConfVirtualExtraSetting({
            enableChat: 1,
            moziConfExtensionAppSettings: [new $Conference.CreateScheduleConferenceRequestScheduleConfSettingModelMoziConfVirtualExtraSettingMoziConfExtensionAppSettings({ coolAppCode: 'COOL', autoOpenMode: 2 })],
          }),
        }),
      }),
      new $Conference.CreateScheduleConferenceHeaders(h),
      rt,
    ),
  );
  const id = created.scheduleConferenceId!;
  t.match(created, { roomCode: /^[1-9][0-9]{10}$/, phones: ['0571-26883112'], requestId: REQUEST_ID });
  await fails(
    () => client.createScheduleConferenceWithOptions(new $Conference.CreateScheduleConferenceRequest({ creatorUnionId: HOST, title: 'x' }), new $Conference.CreateScheduleConferenceHeaders(h), rt),
    'paramsError',
    400,
    'no times',
  );

  const queried = await sdk('queryScheduleConference', () =>
    client.queryScheduleConferenceWithOptions(id, new $Conference.QueryScheduleConferenceRequest({ requestUnionId: HOST }), new $Conference.QueryScheduleConferenceHeaders(h), rt),
  );
  t.same([queried.title, queried.startTime, queried.roomCode], ['季度规划', start, created.roomCode]);
  await fails(() => client.queryScheduleConferenceWithOptions(id, new $Conference.QueryScheduleConferenceRequest({ requestUnionId: WANG }), new $Conference.QueryScheduleConferenceHeaders(h), rt), 'permissionError', 400, 'a requester of another org');

  const settings = await sdk('queryScheduleConfSettings', () =>
    client.queryScheduleConfSettingsWithOptions(new $Conference.QueryScheduleConfSettingsRequest({ scheduleConferenceId: id }), new $Conference.QueryScheduleConfSettingsHeaders(h), rt),
  );
  t.same(settings.scheduleConfSettingModel?.moziConfVirtualExtraSetting?.moziConfExtensionAppSettings?.[0]?.autoOpenMode, '2');
  await fails(() => client.queryScheduleConfSettingsWithOptions(new $Conference.QueryScheduleConfSettingsRequest({ scheduleConferenceId: 'nope' }), new $Conference.QueryScheduleConfSettingsHeaders(h), rt), 'scheduleConferenceIdError', 400, 'unknown');

  const changed = await sdk('updateScheduleConfSettings', () =>
    client.updateScheduleConfSettingsWithOptions(
      new $Conference.UpdateScheduleConfSettingsRequest({ creatorUnionId: HOST, scheduleConferenceId: id, scheduleConfSettingModel: new $Conference.UpdateScheduleConfSettingsRequestScheduleConfSettingModel({ muteOnJoin: -1 }) }),
      new $Conference.UpdateScheduleConfSettingsHeaders(h),
      rt,
    ),
  );
  t.equal(changed.success, true);
  await fails(
    () => client.updateScheduleConfSettingsWithOptions(new $Conference.UpdateScheduleConfSettingsRequest({ creatorUnionId: ZHANG, scheduleConferenceId: id }), new $Conference.UpdateScheduleConfSettingsHeaders(h), rt),
    'creatorUidError',
    400,
    'not its creator',
  );

  const link = await sdk('createCustomShortLink', () =>
    client.createCustomShortLinkWithOptions(new $Conference.CreateCustomShortLinkRequest({ creatorUnionId: HOST, scheduleConferenceId: id, coolAppCode: 'COOL' }), new $Conference.CreateCustomShortLinkHeaders(h), rt),
  );
  t.equal(link.result?.customShortLink, `https://meeting.dingtalk.com/app?roomCode=${created.roomCode}&coolAppCode=COOL`);
  await fails(() => client.createCustomShortLinkWithOptions(new $Conference.CreateCustomShortLinkRequest({ creatorUnionId: HOST, scheduleConferenceId: id }), new $Conference.CreateCustomShortLinkHeaders(h), rt), 'paramError', 400, 'no coolAppCode');

  const moved = await sdk('updateScheduleConference', () =>
    client.updateScheduleConferenceWithOptions(
      new $Conference.UpdateScheduleConferenceRequest({ creatorUnionId: HOST, scheduleConferenceId: id, title: '改期', startTime: start + 60_000, endTime: start + 3_600_000 }),
      new $Conference.UpdateScheduleConferenceHeaders(h),
      rt,
    ),
  );
  t.equal(moved.success, true);
  await fails(
    () =>
      client.updateScheduleConferenceWithOptions(
        new $Conference.UpdateScheduleConferenceRequest({ creatorUnionId: ZHANG, scheduleConferenceId: id, title: 'x', startTime: start, endTime: start + 1 }),
        new $Conference.UpdateScheduleConferenceHeaders(h),
        rt,
      ),
    'permissionError',
    400,
    'not its creator',
  );

  app.emulator.worlds.default.clock.advance(3_600_000 + 60_000);
  const history = await sdk('queryScheduleConferenceInfo', () =>
    client.queryScheduleConferenceInfoWithOptions(id, new $Conference.QueryScheduleConferenceInfoRequest({ maxResults: 10 }), new $Conference.QueryScheduleConferenceInfoHeaders(h), rt),
  );
  t.same([history.totalCount, history.conferenceList?.[0]?.status, history.conferenceList?.[0]?.startTime], [1, 2, start + 60_000], 'started on the clock');
  const info = await client.queryConferenceInfoWithOptions(history.conferenceList![0]!.conferenceId!, new $Conference.QueryConferenceInfoHeaders(h), rt);
  t.match(info.body?.confInfo, { scheduleConferenceId: id, bizType: '3', title: '改期' });
  await fails(() => client.queryScheduleConferenceInfoWithOptions('nope', new $Conference.QueryScheduleConferenceInfoRequest({}), new $Conference.QueryScheduleConferenceInfoHeaders(h), rt), 'invalidScheduleConferenceId', 400, 'unknown');

  const cancelled = await sdk('cancelScheduleConference', () =>
    client.cancelScheduleConferenceWithOptions(new $Conference.CancelScheduleConferenceRequest({ creatorUnionId: HOST, scheduleConferenceId: id }), new $Conference.CancelScheduleConferenceHeaders(h), rt),
  );
  t.equal(cancelled.success, true);
  await fails(() => client.cancelScheduleConferenceWithOptions(new $Conference.CancelScheduleConferenceRequest({ creatorUnionId: HOST, scheduleConferenceId: id }), new $Conference.CancelScheduleConferenceHeaders(h), rt), 'resourceCancel', 400, 'twice');
});

t.test('SDK: cloud recording and stream-out', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  const clock = app.emulator.worlds.default.clock;
  const started = await sdk('startCloudRecord', () =>
    client.startCloudRecordWithOptions(STARTED, new $Conference.StartCloudRecordRequest({ unionId: HOST, mode: 'speech', smallWindowPosition: 'float_bottom' }), new $Conference.StartCloudRecordHeaders(h), rt),
  );
  t.equal(started.code, '200');
  await fails(() => client.startCloudRecordWithOptions(STARTED, new $Conference.StartCloudRecordRequest({ unionId: HOST }), new $Conference.StartCloudRecordHeaders(h), rt), 'recordStartError', 404, 'one recording at a time');
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`, payload: { lines: [{ unionId: HOST, text: 'good morning team' }] } });
  clock.advance(30_000);
  await fails(() => client.stopCloudRecordWithOptions(STARTED, new $Conference.StopCloudRecordRequest({ unionId: ZHANG }), new $Conference.StopCloudRecordHeaders(h), rt), 'recordStopPermissionError', 400, 'not the host');
  t.equal((await sdk('stopCloudRecord', () => client.stopCloudRecordWithOptions(STARTED, new $Conference.StopCloudRecordRequest({ unionId: HOST }), new $Conference.StopCloudRecordHeaders(h), rt))).code, '200');

  const videos = await sdk('queryCloudRecordVideo', () =>
    client.queryCloudRecordVideoWithOptions(STARTED, new $Conference.QueryCloudRecordVideoRequest({ unionId: HOST }), new $Conference.QueryCloudRecordVideoHeaders(h), rt),
  );
  const video = videos.videoList![0]!;
  t.same([video.duration, video.fileSize, video.regionId, video.recordType], [30_000, 3_750_000, 'cn-hangzhou', 0]);
  await fails(() => client.queryCloudRecordVideoWithOptions(ENDED, new $Conference.QueryCloudRecordVideoRequest({ unionId: HOST }), new $Conference.QueryCloudRecordVideoHeaders(h), rt), 'cloudRecordNotFound', 400, 'never recorded');

  const play = await sdk('queryCloudRecordVideoPlayInfo', () =>
    client.queryCloudRecordVideoPlayInfoWithOptions(
      STARTED,
      new $Conference.QueryCloudRecordVideoPlayInfoRequest({ unionId: HOST, mediaId: video.mediaId, regionId: video.regionId }),
      new $Conference.QueryCloudRecordVideoPlayInfoHeaders(h),
      rt,
    ),
  );
  const served = await fetch(play.mp4FileUrl!);
  t.same([served.status, ((await served.json()) as { duration: number }).duration], [200, 30_000], 'the emulator serves the file it points at');
  await fails(
    () =>
      client.queryCloudRecordVideoPlayInfoWithOptions(STARTED, new $Conference.QueryCloudRecordVideoPlayInfoRequest({ unionId: HOST, mediaId: 'nope', regionId: 'cn-hangzhou' }), new $Conference.QueryCloudRecordVideoPlayInfoHeaders(h), rt),
    'cloudRecordNotFound',
    400,
    'unknown media',
  );

  const texts = await sdk('queryCloudRecordText', () =>
    client.queryCloudRecordTextWithOptions(STARTED, new $Conference.QueryCloudRecordTextRequest({ unionId: HOST, maxResults: 10, nextToken: 0, direction: '0', startTime: 0 }), new $Conference.QueryCloudRecordTextHeaders(h), rt),
  );
  t.same(texts.paragraphList?.[0]?.sentenceList?.[0]?.wordList?.map((w) => w.word), ['good', 'morning', 'team']);
  await fails(() => client.queryCloudRecordTextWithOptions(STARTED, new $Conference.QueryCloudRecordTextRequest({ unionId: WANG }), new $Conference.QueryCloudRecordTextHeaders(h), rt), 'orgAccessForbidden', 400, 'a user of another org');

  const streams = await sdk('startStreamOut', () =>
    client.startStreamOutWithOptions(
      STARTED,
      new $Conference.StartStreamOutRequest({ unionId: HOST, needHostJoin: false, streamName: 'live', mode: 'grid', smallWindowPosition: 'float_right', streamUrlList: ['rtmp://live.example/a', 'udp://x'] }),
      new $Conference.StartStreamOutHeaders(h),
      rt,
    ),
  );
  t.same(streams.failStreamMap, { 'udp://x': 'stream url must start with rtmp' });
  const streamId = (streams.successStreamMap as Record<string, string>)['rtmp://live.example/a'];
  await fails(
    () => client.startStreamOutWithOptions(STARTED, new $Conference.StartStreamOutRequest({ unionId: 'nobody', needHostJoin: false, streamName: 'x', mode: 'grid', smallWindowPosition: 'float_right', streamUrlList: ['rtmp://x'] }), new $Conference.StartStreamOutHeaders(h), rt),
    'unknownUserError',
    400,
    'unknown user',
  );
  t.equal((await sdk('stopStreamOut', () => client.stopStreamOutWithOptions(STARTED, new $Conference.StopStreamOutRequest({ unionId: HOST, stopAllStream: false, streamId }), new $Conference.StopStreamOutHeaders(h), rt))).code, '200');
  await fails(() => client.stopStreamOutWithOptions(STARTED, new $Conference.StopStreamOutRequest({ unionId: HOST, stopAllStream: false, streamId }), new $Conference.StopStreamOutHeaders(h), rt), 'paramsError', 400, 'stopped already');
});

t.test('SDK: conference data and metrics', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  app.emulator.worlds.default.clock.advance(25_000);
  const data = await sdk('getConfDataByConferenceId', () =>
    client.getConfDataByConferenceIdWithOptions(STARTED, new $Conference.GetConfDataByConferenceIdRequest({ realData: true }), new $Conference.GetConfDataByConferenceIdHeaders(h), rt),
  );
  t.same([data.title, data.userCount], ['周会', 2]);
  await fails(() => client.getConfDataByConferenceIdWithOptions(OTHER_ORG_CONFERENCE, new $Conference.GetConfDataByConferenceIdRequest({}), new $Conference.GetConfDataByConferenceIdHeaders(h), rt), 'noPermission', 403, 'another org');

  const details = await sdk('getConfDetailData', () =>
    client.getConfDetailDataWithOptions(STARTED, new $Conference.GetConfDetailDataRequest({ maxResults: 1, nextToken: '0' }), new $Conference.GetConfDetailDataHeaders(h), rt),
  );
  t.same([details.list?.[0]?.role, details.nextToken], ['host', '1']);
  await fails(() => client.getConfDetailDataWithOptions('nope', new $Conference.GetConfDetailDataRequest({}), new $Conference.GetConfDetailDataHeaders(h), rt), 'roomNotFound', 404, 'unknown');

  const history = await sdk('getHistoryConfDataList', () =>
    client.getHistoryConfDataListWithOptions(new $Conference.GetHistoryConfDataListRequest({ maxResults: 10, realData: false, title: '复盘' }), new $Conference.GetHistoryConfDataListHeaders(h), rt),
  );
  t.same(history.list?.map((c) => c.conferenceId), [ENDED]);
  await fails(() => client.getHistoryConfDataListWithOptions(new $Conference.GetHistoryConfDataListRequest({ maxResults: 0 }), new $Conference.GetHistoryConfDataListHeaders(h), rt), 'paramsError', 400, 'maxResults 0');

  const metrics = await sdk('getUserMetricData', () =>
    client.getUserMetricDataWithOptions(STARTED, new $Conference.GetUserMetricDataRequest({ unionId: ZHANG }), new $Conference.GetUserMetricDataHeaders(h), rt),
  );
  t.equal(metrics.metricDataList?.length, 3);
  await fails(() => client.getUserMetricDataWithOptions(STARTED, new $Conference.GetUserMetricDataRequest({ unionId: 'nobody' }), new $Conference.GetUserMetricDataHeaders(h), rt), 'unknownUserError', 400, 'not a member');

  const last = await sdk('getUserLastMetric', () =>
    client.getUserLastMetricWithOptions(STARTED, new $Conference.GetUserLastMetricRequest({ unionIdList: [ZHANG, HOST] }), new $Conference.GetUserLastMetricHeaders(h), rt),
  );
  t.same(Object.keys(last.metricMap ?? {}), [ZHANG, HOST]);
  await fails(() => client.getUserLastMetricWithOptions(STARTED, new $Conference.GetUserLastMetricRequest({}), new $Conference.GetUserLastMetricHeaders(h), rt), 'paramsError', 400, 'no list');
});

t.test('SDK: minutes and flash minutes', async (t) => {
  const { app, client, rt, h, sdk, fails } = await sdkWorld(t);
  t.equal((await sdk('startMinutes', () => client.startMinutesWithOptions(STARTED, new $Conference.StartMinutesRequest({ unionId: HOST, ownerUnionId: HOST, recordAudio: true }), new $Conference.StartMinutesHeaders(h), rt))).code, '200');
  await fails(() => client.startMinutesWithOptions(STARTED, new $Conference.StartMinutesRequest({ unionId: HOST }), new $Conference.StartMinutesHeaders(h), rt), 'paramsError', 400, 'already recording');
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`, payload: { lines: [{ unionId: HOST, text: 'ready?' }, { unionId: ZHANG, text: 'yes' }, { unionId: HOST, text: 'TODO: ship it' }] } });
  app.emulator.worlds.default.clock.advance(20_000);
  t.equal((await sdk('stopMinutes', () => client.stopMinutesWithOptions(STARTED, new $Conference.StopMinutesRequest({ unionId: HOST }), new $Conference.StopMinutesHeaders(h), rt))).code, '200');
  await fails(() => client.stopMinutesWithOptions(STARTED, new $Conference.StopMinutesRequest({ unionId: HOST }), new $Conference.StopMinutesHeaders(h), rt), 'paramsError', 400, 'not recording');

  const audio = await sdk('queryMinutesAudio', () => client.queryMinutesAudioWithOptions(STARTED, new $Conference.QueryMinutesAudioRequest({ unionId: HOST }), new $Conference.QueryMinutesAudioHeaders(h), rt));
  t.equal(audio.audioList?.[0]?.duration, 20_000);
  await fails(() => client.queryMinutesAudioWithOptions(STARTED, new $Conference.QueryMinutesAudioRequest({ unionId: WANG }), new $Conference.QueryMinutesAudioHeaders(h), rt), 'orgAccessForbidden', 400, 'another org');
  const text = await sdk('queryMinutesText', () =>
    client.queryMinutesTextWithOptions(STARTED, new $Conference.QueryMinutesTextRequest({ unionId: HOST, maxResults: 2, nextToken: '0', direction: '0' }), new $Conference.QueryMinutesTextHeaders(h), rt),
  );
  t.same([text.hasMore, text.nextToken, text.paragraphList?.map((p) => p.paragraph)], [true, '2', ['ready?', 'yes']]);
  await fails(() => client.queryMinutesTextWithOptions(STARTED, new $Conference.QueryMinutesTextRequest({ unionId: HOST, direction: '2' }), new $Conference.QueryMinutesTextHeaders(h), rt), 'paramsError', 400, 'bad direction');
  const summary = await sdk('queryMinutesSummary', () => client.queryMinutesSummaryWithOptions(STARTED, new $Conference.QueryMinutesSummaryRequest({ unionId: HOST }), new $Conference.QueryMinutesSummaryHeaders(h), rt));
  t.same([summary.summary?.actions?.[0]?.text, summary.summary?.questionsAnsweringSummary?.[0]?.answer], ['ship it', 'yes']);
  await fails(() => client.queryMinutesSummaryWithOptions(STARTED, new $Conference.QueryMinutesSummaryRequest({}), new $Conference.QueryMinutesSummaryHeaders(h), rt), 'paramsError', 400, 'no unionId');
  const result = await sdk('queryMinutesMeetingResult', () => client.queryMinutesMeetingResultWithOptions(STARTED, new $Conference.QueryMinutesMeetingResultRequest({ unionId: HOST }), new $Conference.QueryMinutesMeetingResultHeaders(h), rt));
  t.same(result.action, ['ship it']);
  await fails(() => client.queryMinutesMeetingResultWithOptions('nope', new $Conference.QueryMinutesMeetingResultRequest({ unionId: HOST }), new $Conference.QueryMinutesMeetingResultHeaders(h), rt), 'roomNotFound', 404, 'unknown');

  t.equal(
    (await sdk('addRecordPermission', () =>
      client.addRecordPermissionWithOptions(STARTED, new $Conference.AddRecordPermissionRequest({ bizType: 'conference', ownerUnionId: HOST, unionId: ZHANG }), new $Conference.AddRecordPermissionHeaders(h), rt),
    )).code,
    '200',
  );
  await fails(() => client.addRecordPermissionWithOptions(STARTED, new $Conference.AddRecordPermissionRequest({ ownerUnionId: ZHANG, unionId: LI }), new $Conference.AddRecordPermissionHeaders(h), rt), 'paramsError', 400, 'not the owner');
  const urls = await sdk('queryRecordMinutesUrl', () => client.queryRecordMinutesUrlWithOptions(STARTED, new $Conference.QueryRecordMinutesUrlRequest({ recorderUnionId: ZHANG }), new $Conference.QueryRecordMinutesUrlHeaders(h), rt));
  t.equal(urls.recordMinutesUrls?.length, 1);
  await fails(() => client.queryRecordMinutesUrlWithOptions(STARTED, new $Conference.QueryRecordMinutesUrlRequest({}), new $Conference.QueryRecordMinutesUrlHeaders(h), rt), 'paramsError', 400, 'no recorder');
  const flash = await sdk('queryFlashMinutesSummary', () => client.queryFlashMinutesSummaryWithOptions(STARTED, new $Conference.QueryFlashMinutesSummaryRequest({ recorderUnionId: HOST }), new $Conference.QueryFlashMinutesSummaryHeaders(h), rt));
  t.equal(flash.flashMinutesSummary?.status, 2);
  await fails(() => client.queryFlashMinutesSummaryWithOptions(STARTED, new $Conference.QueryFlashMinutesSummaryRequest({ recorderUnionId: 'nobody' }), new $Conference.QueryFlashMinutesSummaryHeaders(h), rt), 'unknownUserError', 400, 'unknown recorder');
  const doc = await sdk('generateFlashMinutesDocumentUrl', () =>
    client.generateFlashMinutesDocumentUrlWithOptions(STARTED, new $Conference.GenerateFlashMinutesDocumentUrlRequest({ unionId: ZHANG, expireTime: 1769990400000 }), new $Conference.GenerateFlashMinutesDocumentUrlHeaders(h), rt),
  );
  const page = await fetch(doc.minutesDocUrl!);
  t.same([page.status, ((await page.json()) as { readers: string[] }).readers], [200, [ZHANG]], 'the emulator serves the document');
  await fails(() => client.generateFlashMinutesDocumentUrlWithOptions(STARTED, new $Conference.GenerateFlashMinutesDocumentUrlRequest({ unionId: LI }), new $Conference.GenerateFlashMinutesDocumentUrlHeaders(h), rt), 'noPermission', 403, 'no permission');
});
