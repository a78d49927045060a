import t from 'tap';
import { build, T0_MS } from '../../helper.js';
import {
  ENDED,
  ENDED_ROOM_CODE,
  HOST,
  LI,
  OTHER_ORG_APP,
  OTHER_ORG_CONFERENCE,
  OTHER_ORG_ROOM_CODE,
  STARTED,
  STARTED_AT,
  STARTED_LINK,
  STARTED_ROOM_CODE,
  SUN,
  WANG,
  ZHANG,
  ZHOU,
  assertEnvelopeHeaders,
  assertError,
  dt,
  tokenOf,
} from './fixtures.js';

const CONFS = '/v1.0/conference/videoConferences';
const infoUrl = (id: string) => `${CONFS}/${id}`;
const membersUrl = (id: string, query = '') => `${CONFS}/${id}/members${query}`;
const closeUrl = (id: string, unionId?: string) => `${CONFS}/${id}${unionId === undefined ? '' : `?unionId=${encodeURIComponent(unionId)}`}`;
const roomCodeUrl = (code: string, query = '') => `/v1.0/conference/roomCodes/${code}/infos${query}`;

const STARTED_INFO = {
  activeNum: 1,
  attendNum: 1,
  conferenceId: STARTED,
  creatorId: HOST,
  creatorNick: '小钉',
  externalLinkUrl: STARTED_LINK,
  invitedNum: 2,
  startTime: STARTED_AT,
  status: 2,
  title: '周会',
  roomCode: STARTED_ROOM_CODE,
  bizType: '0',
  cloudRecordStatus: 0,
};

const member = (unionId: string, userNick: string, attendStatus: number, extra: Record<string, unknown> = {}, conferenceId = STARTED) => ({
  unionId,
  conferenceId,
  userNick,
  attendStatus,
  host: false,
  coHost: false,
  pstnJoin: false,
  ...extra,
});

t.test('createVideoConference: top-level body, then info and members show the new meeting', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const res = await dt(app, 'POST', CONFS, token, { confTitle: '周会', inviteCaller: true, inviteUserIds: [LI, ZHANG, LI, HOST], userId: HOST });
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  const { conferenceId, roomCode, conferencePassword, hostPassword, externalLinkUrl } = res.body;
  t.match(conferenceId, /^697e9780[0-9a-f]{16}$/, 'ObjectId-like: the first 8 hex are the creation time in seconds');
  t.match(roomCode, /^[1-9][0-9]{10}$/);
  t.match(conferencePassword, /^[0-9]{10}$/);
  t.match(hostPassword, /^[0-9]{10}$/);
  t.match(externalLinkUrl, new RegExp(`^https://meeting\\.dingtalk\\.com/app\\?roomCode=${roomCode}&token=1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
  t.equal(res.text, JSON.stringify({ conferenceId, conferencePassword, hostPassword, externalLinkUrl, phoneNumbers: ['0571-26883112'], roomCode }), 'exact keys and order');

  app.emulator.worlds.default.clock.advance(60_000);
  const info = await dt(app, 'GET', infoUrl(conferenceId), token);
  t.equal(info.status, 200);
  t.equal(
    info.text,
    JSON.stringify({
      confInfo: {
        activeNum: 1,
        attendNum: 1,
        conferenceId,
        creatorId: HOST,
        creatorNick: '小钉',
        externalLinkUrl,
        invitedNum: 2,
        startTime: T0_MS,
        status: 2,
        title: '周会',
        roomCode,
        bizType: '0',
        cloudRecordStatus: 0,
      },
    }),
    'nested in confInfo, numbers as numbers, no endTime/confDuration while started',
  );
  const members = await dt(app, 'GET', membersUrl(conferenceId), token);
  t.equal(
    members.text,
    JSON.stringify({
      memberModels: [
        member(HOST, '小钉', 3, { host: true, joinTime: T0_MS, duration: 60_000 }, conferenceId),
        member(LI, '李四', 2, {}, conferenceId),
        member(ZHANG, '张三', 2, {}, conferenceId),
      ],
      totalCount: 3,
    }),
    'creator first (host, in the meeting), invitees de-duplicated in request order',
  );
  const again = await dt(app, 'POST', CONFS, token, { userId: HOST, confTitle: 'x' });
  t.not(again.body.conferenceId, conferenceId);
  t.not(again.body.roomCode, roomCode);
});

t.test('createVideoConference: titles are truncated at 50 code points, refused over 256', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const create = (confTitle: unknown) => dt(app, 'POST', CONFS, token, { userId: HOST, confTitle });
  const titleOf = async (res: Awaited<ReturnType<typeof create>>) => (await dt(app, 'GET', infoUrl(res.body.conferenceId), token)).body.confInfo.title;
  t.equal(await titleOf(await create('会'.repeat(60))), '会'.repeat(50));
  t.equal(await titleOf(await create('😀'.repeat(51))), '😀'.repeat(50), 'code points, not UTF-16 units');
  t.equal(await titleOf(await create('a'.repeat(256))), 'a'.repeat(50));
  assertError(t, await create('a'.repeat(257)), 400, 'paramsTitleError', 'error:confTitle is longer than 256 characters');
  assertError(t, await create('😀'.repeat(257)), 400, 'paramsTitleError', 'error:confTitle is longer than 256 characters');
  assertError(t, await create(''), 400, 'paramsTitleError', 'error:confTitle is blank');
  assertError(t, await create('   '), 400, 'paramsTitleError', 'error:confTitle is blank');
});

t.test('createVideoConference errors, in check order: shape → types → title → users', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const create = (body: unknown) => dt(app, 'POST', CONFS, token, body);
  const params = (detail: string) => [400, 'paramsError', `error:${detail}`] as const;
  assertError(t, await create({ confTitle: 'x' }), ...params('userId is required'));
  assertError(t, await create({ userId: '', confTitle: 'x' }), ...params('userId is required'));
  assertError(t, await create({ userId: ' ', confTitle: 'x' }), ...params('userId is required'));
  assertError(t, await create({ userId: 5, confTitle: 'x' }), ...params('userId must be a string'));
  assertError(t, await create({ userId: null, confTitle: 'x' }), ...params('userId must be a string'));
  assertError(t, await create({ userId: HOST }), ...params('confTitle is required'));
  assertError(t, await create({ userId: HOST, confTitle: 1 }), ...params('confTitle must be a string'));
  assertError(t, await create({ userId: HOST, confTitle: 'x', inviteUserIds: LI }), ...params('inviteUserIds must be an array of strings'));
  assertError(t, await create({ userId: HOST, confTitle: 'x', inviteUserIds: [1] }), ...params('inviteUserIds must be an array of strings'));
  assertError(t, await create({ userId: HOST, confTitle: 'x', inviteCaller: 'yes' }), ...params('inviteCaller must be a boolean'));
  assertError(t, await create({ userId: 5, confTitle: '' }), ...params('userId must be a string'));
  assertError(t, await create({ userId: 'nobody', confTitle: '' }), 400, 'paramsTitleError', 'error:confTitle is blank');
  assertError(t, await create({ userId: 'nobody', confTitle: 'x' }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await create({ userId: HOST, confTitle: 'x', inviteUserIds: [LI, 'nobody'] }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await create({ userId: WANG, confTitle: 'x' }), 400, 'orgAccessForbidden', 'orgAccessForbidden');
  assertError(t, await create({ userId: HOST, confTitle: 'x', inviteUserIds: [SUN] }), 400, 'orgAccessForbidden', 'orgAccessForbidden');
  const other = await tokenOf(app, OTHER_ORG_APP);
  const res = await dt(app, 'POST', CONFS, other, { userId: WANG, confTitle: 'x', inviteUserIds: [SUN], extra: 'ignored' });
  t.equal(res.status, 200, 'the other org creates with its own users; unknown fields are ignored');
});

t.test('queryConferenceInfo: the started and ended fixtures, and errors', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await dt(app, 'GET', infoUrl(STARTED), token);
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify({ confInfo: STARTED_INFO }), 'the documented example, verbatim');
  t.equal(res.headers['content-length'], String(Buffer.byteLength(res.text)), 'content-length counts UTF-8 bytes');
  assertEnvelopeHeaders(t, res);
  const again = await dt(app, 'GET', infoUrl(STARTED), token);
  t.same([again.status, again.text, again.headers['content-length']], [200, res.text, res.headers['content-length']], 'the cached answer: same bytes');
  assertEnvelopeHeaders(t, again);
  res = await dt(app, 'GET', `${infoUrl(STARTED)}?foo=bar`, token);
  t.equal(res.status, 200, 'unknown query parameters are ignored');
  res = await dt(app, 'GET', infoUrl(ENDED), token);
  t.same(res.body.confInfo, {
    activeNum: 0,
    attendNum: 3,
    conferenceId: ENDED,
    creatorId: HOST,
    creatorNick: '小钉',
    externalLinkUrl: 'https://meeting.dingtalk.com/app?roomCode=38145920671&token=1_0b6d2f4e-8a1c-4e3b-9d5f-7c2a4e6b8d01',
    invitedNum: 2,
    startTime: 1732276768000,
    endTime: 1732278568000,
    confDuration: 1800000,
    status: 1,
    title: '项目复盘',
    roomCode: ENDED_ROOM_CODE,
    bizType: '0',
    cloudRecordStatus: 3,
    cloudRecordOwnerUnionId: HOST,
  });
  assertError(t, await dt(app, 'GET', infoUrl(OTHER_ORG_CONFERENCE), token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'GET', infoUrl('000000000000000000000000'), token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'GET', infoUrl('query'), token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'GET', infoUrl(''), token), 400, 'missingRoomId', 'MISSING ROOM ID');
  assertError(t, await dt(app, 'GET', infoUrl('%20%20'), token), 400, 'missingRoomId', 'MISSING ROOM ID');
  t.equal((await dt(app, 'GET', infoUrl(OTHER_ORG_CONFERENCE), await tokenOf(app, OTHER_ORG_APP))).status, 200);
});

t.test('queryConferenceMembers: paging with a numeric-string nextToken', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const hostNow = member(HOST, '小钉', 3, { host: true, joinTime: STARTED_AT, duration: T0_MS - STARTED_AT });
  let res = await dt(app, 'GET', membersUrl(STARTED), token);
  t.equal(res.text, JSON.stringify({ memberModels: [hostNow, member(ZHANG, '张三', 2), member(LI, '李四', 2)], totalCount: 3 }));
  res = await dt(app, 'GET', membersUrl(STARTED, '?maxResults=2&nextToken=0'), token);
  t.equal(res.text, JSON.stringify({ memberModels: [hostNow, member(ZHANG, '张三', 2)], nextToken: '2', totalCount: 3 }));
  res = await dt(app, 'GET', membersUrl(STARTED, `?maxResults=2&nextToken=${res.body.nextToken}`), token);
  t.equal(res.text, JSON.stringify({ memberModels: [member(LI, '李四', 2)], totalCount: 3 }), 'the last page has no nextToken');
  res = await dt(app, 'GET', membersUrl(STARTED, '?nextToken=1&maxResults=1'), token);
  t.same([res.body.memberModels.map((m: { unionId: string }) => m.unionId), res.body.nextToken], [[ZHANG], '2']);
  res = await dt(app, 'GET', membersUrl(STARTED, '?nextToken=3'), token);
  t.equal(res.text, JSON.stringify({ memberModels: [], totalCount: 3 }), 'an offset past the end gives an empty page');
  res = await dt(app, 'GET', membersUrl(STARTED, '?nextToken=99&maxResults=1000'), token);
  t.equal(res.text, JSON.stringify({ memberModels: [], totalCount: 3 }));

  res = await dt(app, 'GET', membersUrl(ENDED), token);
  t.same(res.body, {
    memberModels: [
      member(HOST, '小钉', 6, { host: true, joinTime: 1732276768000, leaveTime: 1732278568000, duration: 1800000 }, ENDED),
      member(ZHANG, '张三', 6, { coHost: true, joinTime: 1732276828000, leaveTime: 1732278568000, duration: 1740000 }, ENDED),
      member(LI, '李四', 6, {}, ENDED),
      member(WANG, '王五', 5, { pstnJoin: true, joinTime: 1732277068000, leaveTime: 1732277368000, duration: 300000, outerOrgMember: true }, ENDED),
    ],
    totalCount: 4,
  });
  t.notOk('outerOrgMember' in res.body.memberModels[0], 'outerOrgMember is absent for members of the org');
});

t.test('queryConferenceMembers errors', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const param = [400, 'paramError', 'PARAM ERROR'] as const;
  for (const q of ['?nextToken=abc', '?nextToken=-1', '?nextToken=', '?nextToken=1.5', '?nextToken=a&nextToken=b', '?maxResults=0', '?maxResults=abc', '?maxResults=1.5', '?maxResults=-2', '?maxResults=']) {
    assertError(t, await dt(app, 'GET', membersUrl(STARTED, q), token), ...param);
  }
  assertError(t, await dt(app, 'GET', membersUrl('000000000000000000000000', '?maxResults=0'), token), ...param, undefined);
  assertError(t, await dt(app, 'GET', membersUrl('000000000000000000000000'), token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'GET', membersUrl(OTHER_ORG_CONFERENCE), token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'GET', membersUrl(''), token), 400, 'missingRoomId', 'MISSING ROOM ID');
  assertError(t, await dt(app, 'GET', membersUrl('%20', '?maxResults=0'), token), 400, 'missingRoomId', 'MISSING ROOM ID');
});

t.test('closeVideoConference ends the meeting; members and recording follow', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  const created = await dt(app, 'POST', CONFS, token, { userId: HOST, confTitle: '评审', inviteUserIds: [ZHANG, LI] });
  const id = created.body.conferenceId;
  t.equal((await app.inject({ method: 'POST', url: `/_emulator/dingtalk/conferences/${id}/members/${ZHANG}/join` })).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: `/_emulator/dingtalk/conferences/${id}/recording`, payload: { action: 'start', unionId: HOST } })).statusCode, 200);
  clock.advance(90_000);
  const res = await dt(app, 'DELETE', closeUrl(id, HOST), token);
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  t.equal(res.text, '{"code":200,"cause":"success"}');
  const info = (await dt(app, 'GET', infoUrl(id), token)).body.confInfo;
  t.same(
    [info.status, info.endTime, info.confDuration, info.activeNum, info.attendNum, info.cloudRecordStatus, info.cloudRecordOwnerUnionId],
    [1, T0_MS + 90_000, 90_000, 0, 2, 3, HOST],
  );
  const members = (await dt(app, 'GET', membersUrl(id), token)).body.memberModels;
  t.same(members, [
    member(HOST, '小钉', 6, { host: true, joinTime: T0_MS, leaveTime: T0_MS + 90_000, duration: 90_000 }, id),
    member(ZHANG, '张三', 6, { joinTime: T0_MS, leaveTime: T0_MS + 90_000, duration: 90_000 }, id),
    member(LI, '李四', 6, {}, id),
  ]);
  clock.advance(60_000);
  t.equal((await dt(app, 'GET', membersUrl(id), token)).body.memberModels[0].duration, 90_000, 'durations stop at the end');
  assertError(t, await dt(app, 'DELETE', closeUrl(id, HOST), token), 400, 'resourceClose', 'The meeting has ended');
});

t.test('closeVideoConference errors, in check order', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  assertError(t, await dt(app, 'DELETE', closeUrl('', HOST), token), 400, 'missingRoomId', 'MISSING ROOM ID');
  assertError(t, await dt(app, 'DELETE', closeUrl(''), token), 400, 'missingRoomId', 'MISSING ROOM ID');
  const params = [400, 'paramsError', 'error:unionId is required'] as const;
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED), token), ...params);
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED, ''), token), ...params);
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED, '  '), token), ...params);
  assertError(t, await dt(app, 'DELETE', closeUrl('000000000000000000000000'), token), ...params);
  assertError(t, await dt(app, 'DELETE', closeUrl('000000000000000000000000', HOST), token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'DELETE', closeUrl(OTHER_ORG_CONFERENCE, WANG), token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'DELETE', closeUrl(ENDED, ZHANG), token), 400, 'resourceClose', 'The meeting has ended');
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED, ZHANG), token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED, ZHOU), token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'DELETE', closeUrl(STARTED, 'nobody'), token), 403, 'noPermission', 'NO PERMISSION');
  const state = await app.inject({ method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/state`, payload: { host: true } });
  t.equal(state.statusCode, 200);
  t.equal((await dt(app, 'DELETE', closeUrl(STARTED, ZHANG), token)).status, 200, 'a member with host: true may close');
  t.equal((await dt(app, 'DELETE', closeUrl(OTHER_ORG_CONFERENCE, WANG), await tokenOf(app, OTHER_ORG_APP))).status, 200);
});

t.test('queryConferenceInfoBatch: only meetings in progress of the caller org, in request order', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const created = (await dt(app, 'POST', CONFS, token, { userId: ZHANG, confTitle: '1:1', inviteUserIds: [HOST] })).body.conferenceId;
  const url = `${CONFS}/query`;
  const res = await dt(app, 'POST', url, token, { conferenceIdList: [created, STARTED, 'nope', ENDED, OTHER_ORG_CONFERENCE, STARTED] });
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  t.equal(
    res.text,
    JSON.stringify({
      infos: [
        {
          conferenceId: created,
          title: '1:1',
          startTime: T0_MS,
          status: 2,
          mediaStatus: 0,
          userList: [
            { userId: ZHANG, nick: '张三', attendStatus: 3, cameraStatus: 0, micStatus: 0 },
            { userId: HOST, nick: '小钉', attendStatus: 2, cameraStatus: 0, micStatus: 0 },
          ],
        },
        {
          conferenceId: STARTED,
          title: '周会',
          startTime: STARTED_AT,
          status: 2,
          mediaStatus: 0,
          userList: [
            { userId: HOST, nick: '小钉', attendStatus: 3, cameraStatus: 2, micStatus: 2 },
            { userId: ZHANG, nick: '张三', attendStatus: 2, cameraStatus: 0, micStatus: 0 },
            { userId: LI, nick: '李四', attendStatus: 2, cameraStatus: 0, micStatus: 0 },
          ],
        },
      ],
    }),
  );
  t.equal((await dt(app, 'POST', url, token, { conferenceIdList: [ENDED, 'x'] })).text, '{"infos":[]}');
  const params = (detail: string) => [400, 'paramsError', `error:${detail}`] as const;
  assertError(t, await dt(app, 'POST', url, token, {}), ...params('conferenceIdList is required'));
  assertError(t, await dt(app, 'POST', url, token, { conferenceIdList: STARTED }), ...params('conferenceIdList must be an array of strings'));
  assertError(t, await dt(app, 'POST', url, token, { conferenceIdList: [1] }), ...params('conferenceIdList must be an array of strings'));
  assertError(t, await dt(app, 'POST', url, token, { conferenceIdList: [] }), ...params('conferenceIdList must not be empty'));
});

t.test('queryConferenceInfoByRoomCode', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await dt(app, 'GET', roomCodeUrl(STARTED_ROOM_CODE), token);
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  t.equal(
    res.text,
    JSON.stringify({
      hasMore: false,
      totalCount: 1,
      conferenceList: [
        {
          conferenceId: STARTED,
          title: '周会',
          roomCode: STARTED_ROOM_CODE,
          externalLinkUrl: STARTED_LINK,
          status: 2,
          startTime: STARTED_AT,
          creatorId: HOST,
          creatorNick: '小钉',
          bizType: '0',
        },
      ],
    }),
  );
  res = await dt(app, 'GET', roomCodeUrl(ENDED_ROOM_CODE), token);
  t.match(res.body.conferenceList[0], { conferenceId: ENDED, status: 1, endTime: 1732278568000, confDuration: 1800000 });
  res = await dt(app, 'GET', roomCodeUrl(STARTED_ROOM_CODE, '?nextToken=1'), token);
  t.equal(res.text, JSON.stringify({ hasMore: false, totalCount: 1, conferenceList: [] }));
  assertError(t, await dt(app, 'GET', roomCodeUrl(OTHER_ORG_ROOM_CODE), token), 403, 'noPermission', 'noPermission');
  assertError(t, await dt(app, 'GET', roomCodeUrl('12345678901'), token), 400, 'invalidRoomCode', 'invalidRoomCode');
  assertError(t, await dt(app, 'GET', roomCodeUrl(''), token), 400, 'missingRoomCode', 'missingRoomCode');
  assertError(t, await dt(app, 'GET', roomCodeUrl('%20'), token), 400, 'missingRoomCode', 'missingRoomCode');
  for (const q of ['?nextToken=x', '?maxResults=0', '?maxResults=x']) {
    assertError(t, await dt(app, 'GET', roomCodeUrl(STARTED_ROOM_CODE, q), token), 400, 'paramError', 'paramError');
  }
  assertError(t, await dt(app, 'GET', roomCodeUrl('12345678901', '?maxResults=0'), token), 400, 'paramError', 'paramError');
});

t.test('queryConferenceInfoByRoomCode pages through meetings sharing a code', async (t) => {
  const app = await build(t);
  const conference = (conferenceId: string, startTime: number, org = 'o') => ({
    conferenceId,
    title: conferenceId.slice(0, 4),
    creatorId: org === 'o' ? 'u' : 'v',
    startTime,
    roomCode: '11111111111',
    members: [{ unionId: org === 'o' ? 'u' : 'v', attendStatus: 3 }],
  });
  app.emulator.worlds.create('shared-code', 'shared-code', {
    dingtalk: {
      apps: [{ appKey: 'dingsharedcode00001', appSecret: 's', org: 'o', scopes: ['VideoConference.Conference.Read'] }],
      users: [
        { unionId: 'u', nick: 'U', org: 'o' },
        { unionId: 'v', nick: 'V', org: 'p' },
      ],
      conferences: [conference('bbbb00000000000000000002', 2000), conference('aaaa00000000000000000001', 1000), conference('cccc00000000000000000003', 3000, 'p')],
    },
  });
  const token = await tokenOf(app, { appKey: 'dingsharedcode00001', appSecret: 's' });
  let res = await dt(app, 'GET', roomCodeUrl('11111111111', '?maxResults=1'), token);
  t.same([res.body.nextToken, res.body.hasMore, res.body.totalCount, res.body.conferenceList.map((c: { title: string }) => c.title)], ['1', true, 2, ['aaaa']]);
  t.equal(Object.keys(res.body)[0], 'nextToken');
  res = await dt(app, 'GET', roomCodeUrl('11111111111', '?maxResults=1&nextToken=1'), token);
  t.same([res.body.nextToken, res.body.hasMore, res.body.totalCount, res.body.conferenceList.map((c: { title: string }) => c.title)], [undefined, false, 2, ['bbbb']]);
});
