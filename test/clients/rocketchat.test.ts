import t from 'tap';
import { RestClient } from '@rocket.chat/api-client';
import { build, T0_MS } from '../helper.js';
import {
  DM,
  INFO_CALL,
  INFO_EXAMPLE,
  JANE,
  JANE_ME_FIELDS,
  JOHN,
  JOIN_CALL,
  NOT_LOGGED_IN,
  NOT_LOGGED_IN_7,
  UI_TEST,
  INVALID_PARAMS,
  defaultRocketChat,
  invalid,
} from '../providers/rocketchat/fixtures.js';

const JOHN_REF = { _id: 'CkCPNctrgCDfmWLqC', name: 'john', username: 'john.doe' };
const TOO_MANY = (s: number) =>
  `Error, too many requests. Please slow down. You must wait ${s} seconds before trying this endpoint again. [error-too-many-requests]`;

/** The client rejects with the fetch `Response` itself on any status but 2xx (`RestClient#send`). */
async function rejected(promise: Promise<unknown>): Promise<{ status: number; body: unknown; headers: Headers }> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof Response)) throw err;
    return { status: err.status, body: await err.json(), headers: err.headers };
  }
  throw new Error('expected the client call to fail');
}

const credentials = (user: Record<string, string>) => ({ 'X-User-Id': user['x-user-id'], 'X-Auth-Token': user['x-auth-token'] });

t.test('the official @rocket.chat/api-client against the emulator', async (t) => {
  const app = await build(t);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const clock = app.emulator.worlds.default.clock;
  const client = new RestClient({ baseUrl });
  // avatarUrl follows the address the emulator listens on (README, Rocket.Chat).
  const me = { ...JANE_ME_FIELDS, avatarUrl: `${baseUrl}/avatar/jane.doe` };
  // The client answers with the body only; its middleware hook sees each Response, headers included.
  const seen: Response[] = [];
  client.use(async (context, next) => {
    const res = await next(...context);
    seen.push(res);
    return res;
  });
  const lastHeader = (name: string) => seen[seen.length - 1].headers.get(name);

  // login, me
  const login = await client.post('/v1/login', { user: 'jane.doe', password: 'jane-pass' });
  const authToken = login.data.authToken as string;
  t.match(authToken, /^[A-Za-z0-9_-]{43}$/);
  t.strictSame(login, { status: 'success', data: { userId: JANE_ME_FIELDS._id, authToken, me }, success: true });
  client.setCredentials({ 'X-User-Id': login.data.userId, 'X-Auth-Token': authToken });
  t.strictSame(await client.get('/v1/me'), { ...me, success: true });
  t.strictSame([lastHeader('x-ratelimit-limit'), lastHeader('x-ratelimit-remaining')], ['10', '9'], 'the default limit, per route');

  let err = await rejected(client.post('/v1/login', { user: 'jane.doe', password: 'wrong' }));
  t.strictSame([err.status, err.body], [401, { success: false, error: 'unauthorized' }]);

  // every video-conference.* call
  client.setCredentials(credentials(JOHN));
  const info = await client.get('/v1/video-conference.info', { callId: INFO_CALL });
  t.strictSame(info, INFO_EXAMPLE);
  t.strictSame(
    [lastHeader('content-type'), lastHeader('x-ratelimit-limit'), lastHeader('x-ratelimit-remaining'), lastHeader('x-ratelimit-reset')],
    ['application/json', '15', '14', String(T0_MS + 3000)],
  );

  const started = await client.post('/v1/video-conference.start', { roomId: UI_TEST, title: 'Standup' });
  const callId = started.data.callId;
  t.match(callId, /^[0-9a-f]{24}$/);
  t.strictSame(started, { data: { type: 'videoconference', callId, rid: UI_TEST, providerName: 'googlemeet' }, success: true });

  const joined = await client.post('/v1/video-conference.join', { callId, state: { mic: true, cam: false } });
  t.strictSame(joined, { url: `http://g.co/meet/RocketChat_${callId}`, providerName: 'googlemeet', success: true });

  const list = await client.get('/v1/video-conference.list', { roomId: UI_TEST, offset: 0, count: 2 });
  t.strictSame(
    { ...list, data: list.data.map((call) => [call._id, call.rid, call.users.map((u) => u.username)]) },
    { data: [[callId, UI_TEST, ['john.doe']], ['69786d0ac8b05330207814bd', UI_TEST, ['jane.doe']]], offset: 0, count: 2, total: 3, success: true },
    'newest first, the new call with its joiner',
  );

  clock.advance(1000);
  const direct = await client.post('/v1/video-conference.start', { roomId: DM, allowRinging: true });
  const directId = direct.data.callId;
  t.strictSame(direct, { data: { type: 'direct', callId: directId, calleeId: JANE['x-user-id'], providerName: 'googlemeet' }, success: true });
  t.strictSame(await client.post('/v1/video-conference.cancel', { callId: directId }), { success: true });
  const cancelled = await client.get('/v1/video-conference.info', { callId: directId });
  t.strictSame(
    [cancelled.type, cancelled.status, cancelled.ringing, cancelled.endedAt, cancelled.endedBy],
    ['direct', 4, false, new Date(T0_MS + 1000).toISOString(), JOHN_REF],
  );

  t.strictSame(await client.get('/v1/video-conference.providers'), {
    data: [
      { key: 'jitsi', label: 'Jitsi' },
      { key: 'googlemeet', label: 'GoogleMeet' },
    ],
    success: true,
  });
  t.strictSame(await client.get('/v1/video-conference.capabilities'), {
    providerName: 'googlemeet',
    capabilities: { mic: false, cam: false, title: false },
    success: true,
  });

  // error paths: missing params (as untyped JavaScript would send them), unknown call, unknown endpoint
  err = await rejected(client.get('/v1/video-conference.info', {} as { callId: string }));
  t.strictSame([err.status, err.body], [400, invalid("must have required property 'callId'")]);
  err = await rejected(client.post('/v1/video-conference.join', {} as { callId: string }));
  t.strictSame([err.status, err.body], [400, invalid("must have required property 'callId'")]);
  err = await rejected(client.get('/v1/video-conference.info', { callId: '000000000000000000000000' }));
  t.strictSame([err.status, err.body], [400, INVALID_PARAMS]);
  err = await rejected(client.post('/v1/video-conference.cancel', { callId: JOIN_CALL }));
  t.strictSame([err.status, err.body], [400, { success: false, error: 'invalid-call' }], 'a call that is not ringing cannot be cancelled');
  err = await rejected(client.get('/v1/video-conference.decline' as '/v1/video-conference.providers'));
  t.strictSame([err.status, err.body], [404, { success: false, error: 'Resource not found' }]);

  // rate limit: list allows 3 per second per client IP, in a fixed window that opens again here
  clock.advance(1000);
  for (let i = 0; i < 3; i++) await client.get('/v1/video-conference.list', { roomId: UI_TEST });
  err = await rejected(client.get('/v1/video-conference.list', { roomId: UI_TEST }));
  t.strictSame([err.status, err.body], [429, { success: false, error: TOO_MANY(1) }]);
  t.strictSame(
    [err.headers.get('x-ratelimit-limit'), err.headers.get('x-ratelimit-remaining'), err.headers.get('x-ratelimit-reset')],
    ['3', '0', String(T0_MS + 3000)],
  );

  // bad token
  client.setCredentials({ ...credentials(JOHN), 'X-Auth-Token': 'not-a-token' });
  err = await rejected(client.get('/v1/me'));
  t.strictSame([err.status, err.body], [401, NOT_LOGGED_IN]);

  // logout: the token is gone, the client's next call is refused
  client.setCredentials({ 'X-User-Id': login.data.userId, 'X-Auth-Token': authToken });
  t.strictSame(await client.post('/v1/logout'), { status: 'success', data: { message: "You've been logged out!" } });
  err = await rejected(client.get('/v1/video-conference.info', { callId: INFO_CALL }));
  t.strictSame([err.status, err.body], [401, NOT_LOGGED_IN]);
});

t.test('the api-client reads the version from /api/info, first thing, as the world behaves', async (t) => {
  const app = await build(t, { fixtures: { rocketchat: { ...defaultRocketChat(), version: '7.10.0' } } });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const seven = new RestClient({ baseUrl });
  t.strictSame(await seven.get('/info'), { version: '7.10.0', success: true });
  // A 7.x world answers the 401 with the Restivus-era keys too (applyBreakingChanges is off).
  const err = await rejected(seven.get('/v1/me'));
  t.strictSame([err.status, err.body], [401, NOT_LOGGED_IN_7]);

  // A world without a version is 8.x; the credentials pick the world (no X-Emulator-World needed).
  const fixtures = { rocketchat: { users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe' }] } };
  const res = await fetch(`${baseUrl}/_emulator/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixtures }) });
  const [user] = (await res.json()).credentials.rocketchat.users;
  const eight = new RestClient({ baseUrl, credentials: { 'X-User-Id': user.userId, 'X-Auth-Token': user.authToken } });
  t.strictSame(await eight.get('/info'), { version: '8.8.1', success: true });
  t.strictSame(await seven.get('/info'), { version: '7.10.0', success: true }, 'without credentials: the default world');
});
