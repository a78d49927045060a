import { createHash } from 'node:crypto';
import t from 'tap';
import { build, call } from '../../helper.js';
import { defaultRocketChat, JANE, JANE_ME_FIELDS, JOHN, NOT_LOGGED_IN } from './fixtures.js';

// Not listening (inject): avatarUrl is built from the request's Host, `localhost:80`.
const JANE_ME = { ...JANE_ME_FIELDS, avatarUrl: 'http://localhost:80/avatar/jane.doe' };

type App = Awaited<ReturnType<typeof build>>;
const login = (app: App, payload: unknown, headers: Record<string, string> = {}) =>
  call(app, { method: 'POST', url: '/api/v1/login', headers, payload: payload as object });

t.test('login with every documented body form, then use the token', async (t) => {
  const app = await build(t, { rateLimits: false });
  const digest = createHash('sha256').update('jane-pass').digest('hex');
  for (const body of [
    { user: 'jane.doe', password: 'jane-pass' },
    { user: 'jane@example.com', password: 'jane-pass' },
    { username: 'jane.doe', password: 'jane-pass' },
    { email: 'JANE@example.com', password: 'jane-pass' },
    { user: { username: 'jane.doe' }, password: 'jane-pass' },
    { user: { email: 'jane@example.com' }, password: 'jane-pass' },
    { user: 'jane.doe', password: { digest, algorithm: 'sha-256' } },
    { user: 'jane.doe', password: 'jane-pass', code: '123456', extra: true },
  ]) {
    const res = await login(app, body);
    t.equal(res.status, 200, JSON.stringify(body));
    t.match(res.body.data.authToken, /^[A-Za-z0-9_-]{43}$/);
    t.equal(res.text, JSON.stringify({ status: 'success', data: { userId: 'fRv4qm8ycWHXSA7af', authToken: res.body.data.authToken, me: JANE_ME }, success: true }));
  }
  const res = await login(app, { user: 'jane.doe', password: 'jane-pass' });
  const headers = { 'x-user-id': res.body.data.userId, 'x-auth-token': res.body.data.authToken };
  const me = await call(app, { method: 'GET', url: '/api/v1/me', headers });
  t.equal(me.text, JSON.stringify({ ...JANE_ME, success: true }));
  const resumed = await login(app, { resume: res.body.data.authToken });
  t.equal(resumed.body.data.authToken, res.body.data.authToken, 'resume returns the same token');

  const stored = app.emulator.db.prepare('SELECT hashed_token FROM rocketchat_tokens WHERE user_id = ?').pluck().all('fRv4qm8ycWHXSA7af') as string[];
  t.ok(stored.includes(createHash('sha256').update(res.body.data.authToken).digest('base64')), 'the store keeps base64(sha256(token))');
  t.notOk(stored.includes(res.body.data.authToken), 'never the token itself');
  t.equal(stored.length, 10, 'the fixture token plus one per password login');
});

const LOGIN_FAILURES: [unknown, object][] = [
  [{ user: 'nobody', password: 'x' }, { error: 'Unauthorized', message: 'Unauthorized' }],
  [{ user: 'jane.doe', password: 'wrong' }, { error: 403, message: 'Incorrect password' }],
  [{ resume: 'not-a-token' }, { error: 403, message: "You've been logged out by the server. Please log in again." }],
  [{}, { error: 400, message: 'Unrecognized options for login request' }],
  [{ user: 'jane.doe' }, { error: 400, message: 'Unrecognized options for login request' }],
  [{ password: 'jane-pass' }, { error: 400, message: 'Unrecognized options for login request' }],
  [{ user: 'jane.doe', password: { digest: 'abc', algorithm: 'md5' } }, { error: 400, message: 'Unrecognized options for login request' }],
];

t.test('login failures: 8.x answers API.v1.unauthorized() to each', async (t) => {
  const app = await build(t, { rateLimits: false });
  for (const [body] of LOGIN_FAILURES) {
    const res = await login(app, body);
    t.equal(res.text, '{"success":false,"error":"unauthorized"}', JSON.stringify(body));
    t.equal(res.status, 401);
  }
  const malformed = await call(app, { method: 'POST', url: '/api/v1/login', headers: { 'content-type': 'application/json' }, payload: '{"user":' });
  t.same([malformed.status, malformed.body], [401, { success: false, error: 'unauthorized' }]);
});

t.test('login failures: a 7.x world merges in the Meteor error', async (t) => {
  const app = await build(t, { rateLimits: false, fixtures: { rocketchat: { ...defaultRocketChat(), version: '7.10.0' } } });
  for (const [body, { error, message }] of LOGIN_FAILURES as [unknown, { error: unknown; message: string }][]) {
    const res = await login(app, body);
    t.equal(res.text, JSON.stringify({ success: false, error, status: 'error', message }), JSON.stringify(body));
    t.equal(res.status, 401);
  }
});

t.test('logout removes only the token used', async (t) => {
  const app = await build(t, { rateLimits: false });
  const first = (await login(app, { user: 'john.doe', password: 'john-pass' })).body.data.authToken;
  const res = await call(app, { method: 'POST', url: '/api/v1/logout', headers: JOHN });
  t.equal(res.status, 200);
  t.equal(res.text, '{"status":"success","data":{"message":"You\'ve been logged out!"}}');
  const gone = await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN });
  t.same([gone.status, gone.body], [401, NOT_LOGGED_IN]);
  const other = await call(app, { method: 'GET', url: '/api/v1/me', headers: { 'x-user-id': 'CkCPNctrgCDfmWLqC', 'x-auth-token': first } });
  t.equal(other.status, 200, 'the other token still works');
  const viaGet = await call(app, { method: 'GET', url: '/api/v1/logout', headers: { 'x-user-id': 'CkCPNctrgCDfmWLqC', 'x-auth-token': first } });
  t.equal(viaGet.status, 200);
  const unauth = await call(app, { method: 'POST', url: '/api/v1/logout' });
  t.same([unauth.status, unauth.body], [401, NOT_LOGGED_IN]);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: JANE })).status, 200, "jane's session is untouched");
});
