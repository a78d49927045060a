import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ADMIN, INFO_CALL, JANE, JOHN, UI_TEST } from './fixtures.js';

const TOO_MANY = (s: number) => ({
  success: false,
  error: `Error, too many requests. Please slow down. You must wait ${s} seconds before trying this endpoint again. [error-too-many-requests]`,
});

t.test('fixed window per route+method, keyed by client IP, shared by users', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  const list = (headers: Record<string, string>) => call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers });

  clock.advance(200);
  const seen: unknown[][] = [];
  for (const headers of [JOHN, JANE, JOHN]) {
    const res = await list(headers);
    seen.push([res.status, res.headers['x-ratelimit-remaining'], res.headers['x-ratelimit-reset']]);
  }
  const reset = String(T0_MS + 1000);
  t.same(seen, [
    [200, '2', reset],
    [200, '1', reset],
    [200, '0', reset],
  ], 'the window opened with the world; two users behind one IP share it');
  const limited = await list(JANE);
  t.same([limited.status, limited.body], [429, TOO_MANY(1)]);
  t.same([limited.headers['x-ratelimit-limit'], limited.headers['x-ratelimit-remaining'], limited.headers['x-ratelimit-reset']], ['3', '0', reset]);
  t.equal(limited.headers['content-type'], 'application/json');

  const otherIp = await list({ ...JOHN, 'x-real-ip': '10.0.0.7' });
  t.equal(otherIp.status, 200, 'X-Real-IP is another key');
  const forwarded = await list({ ...JOHN, 'x-forwarded-for': '10.0.0.8' });
  t.equal(forwarded.status, 429, 'X-Forwarded-For is ignored');

  const invalid = await call(app, { method: 'GET', url: `/api/v1/video-conference.list`, headers: { ...JOHN, 'x-real-ip': '10.0.0.7' } });
  t.equal(invalid.status, 400);
  t.equal(invalid.headers['x-ratelimit-remaining'], '1', 'a request failing validation was counted and carries the headers');

  clock.advance(800);
  t.equal((await list(JOHN)).status, 429, 'still inside the window at exactly lastReset + interval');
  clock.advance(1);
  const fresh = await list(JOHN);
  t.same([fresh.status, fresh.headers['x-ratelimit-remaining'], fresh.headers['x-ratelimit-reset']], [200, '2', String(T0_MS + 1001 + 1000)]);
});

t.test('the wait in the 429 message is the ceiling of the time left', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  const start = () => call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST } });
  for (let i = 0; i < 3; i++) t.equal((await start()).status, 200);
  clock.advance(1500);
  const res = await start();
  t.same([res.status, res.body], [429, TOO_MANY(59)]);
  t.equal(res.headers['x-ratelimit-reset'], String(T0_MS + 60_000));
});

t.test('admins bypass the limiter and get no headers; 401s are not counted; the default limit', async (t) => {
  const app = await build(t);
  for (let i = 0; i < 20; i++) {
    const res = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: ADMIN });
    t.equal(res.status, 200);
    t.equal(res.headers['x-ratelimit-limit'], undefined);
  }
  for (let i = 0; i < 12; i++) await call(app, { method: 'GET', url: '/api/v1/me' });
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN })).status);
  t.same(statuses, [...Array(10).fill(200), 429], 'me uses the default 10 per 60 s; the 401s before did not count');
});

t.test('login requests are all counted', async (t) => {
  const app = await build(t);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    statuses.push((await call(app, { method: 'POST', url: '/api/v1/login', payload: { user: 'jane.doe', password: i % 2 ? 'bad' : 'jane-pass' } })).status);
  }
  t.same(statuses, [200, 401, 200, 401, 200, 401, 200, 401, 200, 401, 429]);
});

t.test('with rate limits off there are no headers and no 429s', async (t) => {
  const app = await build(t, { rateLimits: false });
  for (let i = 0; i < 5; i++) {
    const res = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
    t.equal(res.status, 200);
    t.equal(res.headers['x-ratelimit-limit'], undefined);
  }
});

t.test('an operator scale multiplies every limit, and the headers report the effective values', async (t) => {
  const app = await build(t, { rateLimitScale: 2 });
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 7; i++) {
    last = await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
    statuses.push(last.status);
    if (i === 0) t.same([last.headers['x-ratelimit-limit'], last.headers['x-ratelimit-remaining']], ['6', '5']);
  }
  t.same(statuses, [200, 200, 200, 200, 200, 200, 429], '3 per second documented, 6 with a scale of 2');
  const small = await build(t, { rateLimitScale: 0.01 });
  const first = await call(small, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  t.equal(first.headers['x-ratelimit-limit'], '1', 'never below one request per window');
  t.equal((await call(small, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN })).status, 429);
});
