import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, call } from '../../helper.js';
import { AUTH, BAD_REQUEST, JSON_UTF8, NOT_FOUND, OTHER_AUTH, WEEKLY_GUEST, WEEKLY_SYNC } from './fixtures.js';

const LIMIT = 13_800;
const MISSING_TOKEN = '/api/video/conference_tokens/00000000-0000-4000-8000-000000000000/reset';

/** Spends `count` of the project's POST/PUT budget with cheap counted requests (404s still count). */
async function spend(app: FastifyInstance, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await app.inject({ method: 'POST', url: MISSING_TOKEN, headers: AUTH });
}

t.test('13,800 POST/PUT per 10 s per project, window opened by the first counted request', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;

  let res = await call(app, { method: 'GET', url: '/api/video/conferences', headers: AUTH });
  t.equal(res.headers['x-ratelimit-limit'], undefined, 'GET is not counted');
  clock.advance(4_000);
  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH, payload: { display_name: 'Weekly Sync' } });
  t.same([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']], ['13800', '13799'], 'the window opens here');

  await spend(app, LIMIT - 2);
  res = await call(app, { method: 'POST', url: `/api/video/conference_tokens/${WEEKLY_GUEST.id}/reset`, headers: AUTH });
  t.same([res.status, res.headers['x-ratelimit-remaining']], [200, '0'], 'the last allowed request');

  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'Too many' } });
  t.same([res.status, res.body, res.headers['content-type']], [429, { error: 'Too Many Requests' }, JSON_UTF8]);
  t.same([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']], ['13800', '0']);
  res = await call(app, { method: 'PUT', url: '/api/video/conferences/not-a-uuid', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{' });
  t.equal(res.status, 429, '429 comes before 400 and 404');
  res = await call(app, { method: 'PATCH', url: '/api/video/conferences', headers: AUTH });
  t.equal(res.status, 429, '429 comes before 404 (route)');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', payload: {} });
  t.equal(res.status, 401, '401 comes before 429');

  res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH });
  t.equal(res.status, 200, 'GET is unlimited');
  res = await call(app, { method: 'DELETE', url: '/api/video/streams/00000000-0000-4000-8000-000000000000', headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'DELETE is unlimited');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: OTHER_AUTH, payload: { display_name: 'Mine' } });
  t.same([res.status, res.headers['x-ratelimit-remaining']], [200, '13799'], 'limits are per project');

  clock.advance(9_999);
  res = await call(app, { method: 'POST', url: MISSING_TOKEN, headers: AUTH });
  t.equal(res.status, 429, 'still inside the 10 s window');
  clock.advance(1);
  res = await call(app, { method: 'POST', url: MISSING_TOKEN, headers: AUTH });
  t.same([res.status, res.headers['x-ratelimit-remaining']], [404, '13799'], 'a new window; refused requests did not count');

  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'x' });
  t.same([res.status, res.body, res.headers['x-ratelimit-remaining']], [400, BAD_REQUEST, '13798'], 'a 400 is counted');
});

t.test('rate limits off: no headers, no 429', async (t) => {
  const app = await build(t, { rateLimits: false });
  const res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'Unlimited' } });
  t.same([res.status, res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']], [200, undefined, undefined]);
  const patch = await call(app, { method: 'PATCH', url: '/api/video/conferences', headers: AUTH });
  t.same([patch.status, patch.headers['x-ratelimit-limit']], [404, undefined]);
});

t.test('the window is reset with the world', async (t) => {
  const app = await build(t);
  await spend(app, 3);
  await call(app, { method: 'POST', url: '/_emulator/reset' });
  const res = await call(app, { method: 'POST', url: MISSING_TOKEN, headers: AUTH });
  t.equal(res.headers['x-ratelimit-remaining'], '13799');
});
