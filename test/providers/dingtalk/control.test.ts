import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ENDED, HOST, LI, OTHER_ORG_CONFERENCE, READONLY_APP, STARTED, SUN, WANG, ZHANG, ZHOU, assertError, dt, tokenOf } from './fixtures.js';

const CONFS = '/v1.0/conference/videoConferences';
const url = (path: string, id = STARTED) => `${CONFS}/${id}/${path}`;
const joinUrl = (unionId: string, id = STARTED) => `/_emulator/dingtalk/conferences/${id}/members/${unionId}/join`;
const SUCCESS = '{"success":true}';

t.test('inviteUsers: invitees are called, invitedNum counts new members, a left member is called again', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/leave` });
  const res = await dt(app, 'POST', url('users/invite'), token, {
    unionId: HOST,
    inviteeList: [
      { unionId: ZHOU, nick: '周八' },
      { unionId: ZHANG, nick: '张三' },
      { unionId: WANG, nick: '王五' },
      { unionId: HOST, nick: '小钉' },
    ],
    phoneInviteeList: [{ phoneNumber: '13800000000', nick: 'guest' }],
  });
  t.same([res.status, res.text], [200, SUCCESS]);
  const members = (await dt(app, 'GET', url('members'), token)).body.memberModels;
  t.same(
    members.map((m: { unionId: string; attendStatus: number; outerOrgMember?: boolean }) => [m.unionId, m.attendStatus, m.outerOrgMember ?? false]),
    [
      [HOST, 3, false],
      [ZHANG, 2, false],
      [LI, 2, false],
      [ZHOU, 2, false],
      [WANG, 2, true],
    ],
    'the host in the meeting is unchanged; a left member is called again; newcomers after the members',
  );
  t.equal((await dt(app, 'GET', `${CONFS}/${STARTED}`, token)).body.confInfo.invitedNum, 4, 'two new members invited');
});

t.test('inviteUsers: documented errors', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  assertError(t, await dt(app, 'POST', url('users/invite'), token, {}), 400, 'paramsError', 'error:inviteeList is required');
  assertError(t, await dt(app, 'POST', url('users/invite'), token, { inviteeList: [{ unionId: ZHOU }] }), 400, 'paramsError', 'error:inviteeList[0].nick is required');
  assertError(t, await dt(app, 'POST', url('users/invite'), token, { inviteeList: 'x' }), 400, 'paramsError', 'error:inviteeList must be an array');
  assertError(t, await dt(app, 'POST', url('users/invite'), token, { inviteeList: [{ unionId: 'nobody', nick: 'n' }] }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'POST', url('users/invite'), token, { unionId: 'nobody', inviteeList: [{ unionId: ZHOU, nick: 'n' }] }), 400, 'unknownUserError', 'unknownUserError');
  const body = { inviteeList: [{ unionId: ZHOU, nick: '周八' }] };
  assertError(t, await dt(app, 'POST', url('users/invite', ENDED), token, body), 400, 'confClosed', 'confClosed');
  assertError(t, await dt(app, 'POST', url('users/invite', OTHER_ORG_CONFERENCE), token, body), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'POST', url('users/invite', 'nope'), token, body), 404, 'roomNotFound', 'ROOM NOT FOUND');
  assertError(t, await dt(app, 'POST', `${CONFS}/%20/users/invite`, token, body), 400, 'missingRoomId', 'MISSING ROOM ID');
  const readOnly = await tokenOf(app, READONLY_APP);
  const res = await dt(app, 'POST', url('users/invite'), readOnly, body);
  assertError(t, res, 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', res.body.message, { accessdenieddetail: { requiredScopes: ['VideoConference.Conference.Write'] } });
});

t.test('kickMembers: in the meeting → 5 with leaveTime; forbiddenRejoin blocks the join until invited again', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  clock.advance(30_000);
  let res = await dt(app, 'POST', url('members/kick'), token, { userList: [{ unionId: ZHANG }, { unionId: LI, participantId: 'p1' }], forbiddenRejoin: true });
  t.same([res.status, res.text], [200, SUCCESS]);
  const members = (await dt(app, 'GET', url('members'), token)).body.memberModels;
  t.same(members[1], { unionId: ZHANG, conferenceId: STARTED, userNick: '张三', attendStatus: 5, host: false, coHost: false, pstnJoin: false, joinTime: T0_MS, leaveTime: T0_MS + 30_000, duration: 30_000 });
  t.same(members[2].attendStatus, 5, 'a member being called is kicked too, without times');
  t.equal((await dt(app, 'GET', `${CONFS}/${STARTED}`, token)).body.confInfo.activeNum, 1);
  res = await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  t.same([res.status, res.body.detail], [409, `${ZHANG} was kicked from conference ${STARTED} and may not rejoin`]);
  await dt(app, 'POST', url('users/invite'), token, { inviteeList: [{ unionId: ZHANG, nick: '张三' }] });
  res = await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  t.equal(res.status, 200, 'invited again: may join');

  assertError(t, await dt(app, 'POST', url('members/kick'), token, { userList: [{ unionId: HOST }] }), 400, 'paramsError', 'error:the host cannot be kicked');
  assertError(t, await dt(app, 'POST', url('members/kick'), token, { userList: [{ unionId: ZHOU }] }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'POST', url('members/kick'), token, { userList: [] }), 400, 'paramsError', 'error:userList must not be empty');
  assertError(t, await dt(app, 'POST', url('members/kick'), token, { userList: [{}] }), 400, 'paramsError', 'error:userList[0].unionId is required');
  assertError(t, await dt(app, 'POST', url('members/kick'), token, { userList: [{ unionId: ZHANG }], forbiddenRejoin: 1 }), 400, 'paramsError', 'error:forbiddenRejoin must be a boolean');
  assertError(t, await dt(app, 'POST', url('members/kick', ENDED), token, { userList: [{ unionId: ZHANG }] }), 400, 'confClosed', 'confClosed');
});

t.test('muteMembers and muteAll: micStatus and mediaStatus as the batch query reads them', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  const batch = async () => (await dt(app, 'POST', `${CONFS}/query`, token, { conferenceIdList: [STARTED] })).body.infos[0];
  let res = await dt(app, 'POST', url('members/mute'), token, { action: 'mute', userList: [{ unionId: ZHANG }] });
  t.same([res.status, res.text], [200, SUCCESS]);
  t.equal((await batch()).userList[1].micStatus, 1);
  await dt(app, 'POST', url('members/mute'), token, { action: 'un_mute', userList: [{ unionId: ZHANG }] });
  t.equal((await batch()).userList[1].micStatus, 2);
  assertError(t, await dt(app, 'POST', url('members/mute'), token, { action: 'mute', userList: [{ unionId: ZHANG }, { unionId: HOST }] }), 400, 'paramsError', 'error:userList must hold exactly one user');
  assertError(t, await dt(app, 'POST', url('members/mute'), token, { action: 'hush', userList: [{ unionId: ZHANG }] }), 400, 'paramsError', 'error:action must be one of mute, un_mute');
  assertError(t, await dt(app, 'POST', url('members/mute'), token, { userList: [{ unionId: ZHANG }] }), 400, 'paramsError', 'error:action is required');
  assertError(t, await dt(app, 'POST', url('members/mute'), token, { action: 'mute', userList: [{ unionId: LI }] }), 400, 'unknownUserError', 'unknownUserError');

  res = await dt(app, 'POST', url('allMembers/mute'), token, { action: 'mute', forceMute: true });
  t.same([res.status, res.text], [200, SUCCESS]);
  let info = await batch();
  t.same([info.mediaStatus, info.userList[0].micStatus, info.userList[1].micStatus], [4, 2, 1], 'the host keeps the mic');
  res = await call(app, { method: 'POST', url: joinUrl(ZHOU) });
  t.equal((await batch()).userList[3].micStatus, 1, 'a newcomer joins muted');
  await dt(app, 'POST', url('allMembers/mute'), token, { action: 'un_mute' });
  info = await batch();
  t.same([info.mediaStatus, info.userList[1].micStatus, info.userList[3].micStatus], [0, 2, 2]);
  await dt(app, 'POST', url('allMembers/mute'), token, { action: 'mute' });
  t.equal((await batch()).mediaStatus, 1, 'not forced');
  assertError(t, await dt(app, 'POST', url('allMembers/mute'), token, { action: 'mute', forceMute: 'yes' }), 400, 'paramsError', 'error:forceMute must be a boolean');
  assertError(t, await dt(app, 'POST', url('allMembers/mute', OTHER_ORG_CONFERENCE), token, { action: 'mute' }), 403, 'noPermission', 'NO PERMISSION');
});

t.test('cohosts, focus and subtitles', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  let res = await dt(app, 'POST', url('coHosts/set'), token, { action: 'add', userList: [{ unionId: ZHANG }, { unionId: LI }] });
  t.same([res.status, res.text], [200, SUCCESS]);
  let members = (await dt(app, 'GET', url('members'), token)).body.memberModels;
  t.same(members.map((m: { coHost: boolean }) => m.coHost), [false, true, true]);
  await dt(app, 'POST', url('coHosts/set'), token, { action: 'remove', userList: [{ unionId: LI }] });
  members = (await dt(app, 'GET', url('members'), token)).body.memberModels;
  t.same(members.map((m: { coHost: boolean }) => m.coHost), [false, true, false]);
  await dt(app, 'POST', url('allMembers/mute'), token, { action: 'mute' });
  const batch = (await dt(app, 'POST', `${CONFS}/query`, token, { conferenceIdList: [STARTED] })).body.infos[0];
  t.equal(batch.userList[1].micStatus, 0, 'a co-host is not muted by mute-all');
  assertError(t, await dt(app, 'POST', url('coHosts/set'), token, { action: 'add', userList: [{ unionId: HOST }] }), 400, 'paramsError', 'error:the host cannot be a co-host');
  assertError(t, await dt(app, 'POST', url('coHosts/set'), token, { action: 'add', userList: [{ unionId: SUN }] }), 400, 'unknownUserError', 'unknownUserError');

  res = await dt(app, 'POST', url('focus'), token, { action: 'focus', unionId: ZHANG });
  t.same([res.status, res.text], [200, SUCCESS]);
  await dt(app, 'POST', url('subtitleEvents'), token, { enable: true });
  const view = async () =>
    (await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/conferences?status=started' })).body.conferences.find((c: { conferenceId: string }) => c.conferenceId === STARTED).settings;
  t.match(await view(), { focusUnionId: ZHANG, subtitles: true });
  await dt(app, 'POST', url('focus'), token, { action: 'un_focus' });
  await dt(app, 'POST', url('subtitleEvents'), token, { enable: false });
  t.match(await view(), { focusUnionId: null, subtitles: false });
  assertError(t, await dt(app, 'POST', url('focus'), token, { action: 'focus' }), 400, 'paramsError', 'error:unionId is required');
  assertError(t, await dt(app, 'POST', url('focus'), token, { action: 'focus', unionId: LI }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'POST', url('subtitleEvents'), token, {}), 400, 'paramsError', 'error:enable is required');
  assertError(t, await dt(app, 'POST', url('subtitleEvents'), token, { enable: 'on' }), 400, 'paramsError', 'error:enable must be a boolean');
  assertError(t, await dt(app, 'POST', url('subtitleEvents', ENDED), token, { enable: true }), 400, 'confClosed', 'confClosed');
});

t.test('lockConference: its page\'s own codes; a locked meeting refuses joins', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await dt(app, 'POST', url('lock'), token, { action: 'lock' });
  t.same([res.status, res.text], [200, SUCCESS]);
  res = await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  t.equal(res.status, 409);
  await dt(app, 'POST', url('lock'), token, { action: 'unlock' });
  res = await call(app, { method: 'POST', url: joinUrl(ZHANG) });
  t.equal(res.status, 200);
  assertError(t, await dt(app, 'POST', url('lock'), token, {}), 400, 'paramsError', 'paramsError');
  assertError(t, await dt(app, 'POST', url('lock'), token, { action: 'close' }), 400, 'commandError', 'commandError');
  assertError(t, await dt(app, 'POST', url('lock', OTHER_ORG_CONFERENCE), token, { action: 'lock' }), 400, 'noPermission', 'noPermission');
  assertError(t, await dt(app, 'POST', url('lock', ENDED), token, { action: 'lock' }), 400, 'confClosed', 'confClosed');
  assertError(t, await dt(app, 'POST', url('lock', 'nope'), token, { action: 'lock' }), 404, 'roomNotFound', 'ROOM NOT FOUND');
});
