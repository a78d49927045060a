import t from 'tap';
import { build, call } from '../../helper.js';
import { APP, ENDED, OTHER_ORG_APP, MSG, READONLY_APP, STARTED, assertEnvelopeHeaders, assertError, dt, tokenOf } from './fixtures.js';

const TOKEN_URL = '/v1.0/oauth2/accessToken';
const info = (id: string) => `/v1.0/conference/videoConferences/${id}`;

t.test('getAccessToken issues a 32-hex token valid 7200 s, with the envelope headers', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'POST', url: TOKEN_URL, payload: APP });
  t.equal(res.status, 200);
  assertEnvelopeHeaders(t, res);
  t.match(res.body.accessToken, /^[0-9a-f]{32}$/);
  t.equal(res.text, JSON.stringify({ accessToken: res.body.accessToken, expireIn: 7200 }), 'exact body, expireIn a number');
  t.notOk('requestid' in res.body, 'success bodies carry no request id');
  t.equal((await dt(app, 'GET', info(STARTED), res.body.accessToken)).status, 200, 'the token works');
});

t.test('the same token while valid, extended on every ask; a new one after expiry', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  const first = await tokenOf(app);
  clock.advance(7000_000);
  t.equal(await tokenOf(app), first, 'asking again returns the same token');
  clock.advance(7000_000);
  t.equal((await dt(app, 'GET', info(STARTED), first)).status, 200, 'still valid 14000 s after issue: the re-ask extended it');
  clock.advance(199_999);
  t.equal((await dt(app, 'GET', info(STARTED), first)).status, 200, 'valid 1 ms before now + 7200 s of the last ask');
  clock.advance(1);
  assertError(t, await dt(app, 'GET', info(STARTED), first), 400, 'InvalidAuthentication', MSG.invalidToken);
  const second = await tokenOf(app);
  t.not(second, first, 'a new token after expiry');
  t.equal((await dt(app, 'GET', info(STARTED), second)).status, 200);
  assertError(t, await dt(app, 'GET', info(STARTED), first), 400, 'InvalidAuthentication', MSG.invalidToken, undefined);
  t.not(await tokenOf(app, READONLY_APP), second, 'one token per app');
});

t.test('moving the clock through the control API expires tokens too', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 7200_000 } });
  t.equal(res.status, 200);
  assertError(t, await dt(app, 'GET', info(STARTED), token), 400, 'InvalidAuthentication', MSG.invalidToken);
});

t.test('reset drops tokens', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  t.equal((await call(app, { method: 'POST', url: '/_emulator/reset' })).status, 204);
  assertError(t, await dt(app, 'GET', info(STARTED), token), 400, 'InvalidAuthentication', MSG.invalidToken);
  t.not(await tokenOf(app), token, 'a fresh token after reset');
});

t.test('getAccessToken errors', async (t) => {
  const app = await build(t);
  const post = (payload?: string, type?: string) =>
    call(app, { method: 'POST', url: TOKEN_URL, ...(payload === undefined ? {} : { payload }), headers: type ? { 'content-type': type } : {} });
  const missingBody = ['Missingbody', 'body is mandatory for this action.'] as const;
  assertError(t, await post(), 400, ...missingBody);
  assertError(t, await post('', 'application/json'), 400, ...missingBody);
  assertError(t, await post('{"appKey":', 'application/json'), 400, ...missingBody);
  assertError(t, await post('appKey=dingemulatorkey0001&appSecret=emulator-secret-0001', 'application/x-www-form-urlencoded'), 400, ...missingBody);
  assertError(t, await post('null', 'application/json'), 400, ...missingBody);
  assertError(t, await post('[1]', 'application/json'), 400, ...missingBody);
  assertError(t, await post('{}', 'application/json'), 400, 'MissingappKey', 'appKey is mandatory for this action.');
  assertError(t, await post('{"appSecret":"x"}', 'application/json'), 400, 'MissingappKey', 'appKey is mandatory for this action.');
  assertError(t, await post('{"appKey":"dingemulatorkey0001"}', 'application/json'), 400, 'MissingappSecret', 'appSecret is mandatory for this action.');
  const invalid = ['invalidClientIdOrSecret', '无效的clientId或者clientSecret'] as const;
  assertError(t, await post(JSON.stringify({ ...APP, appSecret: 'wrong' }), 'application/json'), 400, ...invalid);
  assertError(t, await post(JSON.stringify({ appKey: 'nosuchkey', appSecret: APP.appSecret }), 'application/json'), 400, ...invalid);
  assertError(t, await post(JSON.stringify({ appKey: APP.appKey, appSecret: READONLY_APP.appSecret }), 'application/json'), 400, ...invalid);
});

t.test('getAccessToken is not throttled', async (t) => {
  const app = await build(t);
  for (let i = 0; i < 25; i++) await tokenOf(app);
  t.equal((await call(app, { method: 'POST', url: TOKEN_URL, payload: APP })).status, 200);
});

t.test('app keys and tokens are global: the credential picks the world', async (t) => {
  const app = await build(t);
  const world = app.emulator.worlds.create('second', 'second', {
    dingtalk: {
      apps: [{ appKey: 'dingsecondworld0001', appSecret: 'second-secret', org: 'org-x', scopes: ['VideoConference.Conference.Read'] }],
      users: [{ unionId: 'unionid-x', nick: 'X', org: 'org-x' }],
      conferences: [{ conferenceId: 'aaaaaaaa0000000000000001', title: 'X', creatorId: 'unionid-x', startTime: 1769904000000, roomCode: '19876543210', members: [{ unionId: 'unionid-x', attendStatus: 3 }] }],
    },
  });
  const token = await tokenOf(app, { appKey: 'dingsecondworld0001', appSecret: 'second-secret' });
  const res = await dt(app, 'GET', info('aaaaaaaa0000000000000001'), token);
  t.equal(res.status, 200, "the token acts in its app's world, without any world header");
  t.equal(res.body.confInfo.creatorNick, 'X');
  assertError(t, await dt(app, 'GET', info(STARTED), token), 404, 'roomNotFound', 'ROOM NOT FOUND', undefined);
  assertError(t, await dt(app, 'GET', info('aaaaaaaa0000000000000001'), await tokenOf(app)), 404, 'roomNotFound', 'ROOM NOT FOUND');
  world.clock.advance(7200_000);
  assertError(t, await dt(app, 'GET', info('aaaaaaaa0000000000000001'), token), 400, 'InvalidAuthentication', MSG.invalidToken);
  t.equal((await dt(app, 'GET', info(ENDED), await tokenOf(app))).status, 200, "the default world's clock did not move");
  t.equal((await dt(app, 'GET', info(STARTED), await tokenOf(app, OTHER_ORG_APP))).status, 403);
});
