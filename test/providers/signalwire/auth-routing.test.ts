import t from 'tap';
import { build, call } from '../../helper.js';
import {
  AUTH,
  BAD_REQUEST,
  JSON_UTF8,
  NO_VIDEO_TOKEN,
  NOT_FOUND,
  OTHER_PROJECT,
  OTHER_TOKEN,
  PROJECT,
  TOKEN,
  UNAUTHORIZED,
  WEEKLY_SYNC,
  basic,
} from './fixtures.js';

t.test('every authentication failure is the same 401', async (t) => {
  const app = await build(t);
  const cases: [string, Record<string, string>][] = [
    ['no header', {}],
    ['not Basic', { authorization: `Bearer ${TOKEN}` }],
    ['not base64', { authorization: 'Basic %%%' }],
    ['no colon', { authorization: `Basic ${Buffer.from(PROJECT).toString('base64')}` }],
    ['empty token', basic(PROJECT, '')],
    ['project not a UUID', basic('my-project', TOKEN)],
    ['unknown project', basic('00000000-0000-4000-8000-000000000000', TOKEN)],
    ['wrong token', basic(PROJECT, `${TOKEN}x`)],
    ["another project's token", basic(PROJECT, OTHER_TOKEN)],
    ['a token with the project swapped', basic(OTHER_PROJECT, TOKEN)],
    ['token without the Video scope', basic(PROJECT, NO_VIDEO_TOKEN)],
  ];
  for (const [name, headers] of cases) {
    const res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers });
    t.same([res.status, res.body, res.headers['content-type']], [401, UNAUTHORIZED, JSON_UTF8], name);
  }
  const post = await call(app, { method: 'POST', url: '/api/video/conferences', headers: basic(PROJECT, NO_VIDEO_TOKEN), payload: '{', });
  t.same([post.status, post.headers['x-ratelimit-limit']], [401, undefined], '401 comes before 400 and is not counted');

  const lower = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: { authorization: AUTH.authorization.replace('Basic', 'basic') } });
  t.equal(lower.status, 200, 'the scheme is case-insensitive');
  const upper = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: basic(PROJECT.toUpperCase(), TOKEN) });
  t.equal(upper.status, 200, 'the project id is case-insensitive');
});

t.test('unknown routes and methods: 401 first, then 404 in SignalWire format', async (t) => {
  const app = await build(t);
  for (const [method, url] of [
    ['GET', '/api/video/rooms/x/y/z'],
    ['GET', '/api/video'],
    ['GET', '/api/video/conferences/x/y/z'],
    ['PATCH', `/api/video/conferences/${WEEKLY_SYNC}`],
    ['POST', `/api/video/conferences/${WEEKLY_SYNC}`],
    ['DELETE', '/api/video/conferences'],
    ['HEAD', '/api/video/conferences'],
  ] as const) {
    let res = await call(app, { method, url });
    t.same([res.status, method === 'HEAD' ? UNAUTHORIZED : res.body], [401, UNAUTHORIZED], `${method} ${url} without credentials`);
    res = await call(app, { method, url, headers: AUTH });
    t.same([res.status, method === 'HEAD' ? NOT_FOUND : res.body], [404, NOT_FOUND], `${method} ${url}`);
    t.equal(res.headers['x-ratelimit-limit'], ['PATCH', 'POST'].includes(method) ? '13800' : undefined, `${method} counted only when POST/PUT/PATCH`);
  }
  const res = await call(app, {
    method: 'PATCH',
    url: `/api/video/conferences/${WEEKLY_SYNC}`,
    headers: { ...AUTH, 'content-type': 'application/json' },
    payload: '{broken',
  });
  t.same([res.status, res.body], [404, NOT_FOUND], '404 (route) comes before 400');
  const weird = await call(app, { method: 'POST', url: '/api/video/nothing', headers: { ...AUTH, 'content-type': 'nonsense' }, payload: 'x' });
  t.same([weird.status, weird.body], [404, NOT_FOUND], 'even with an unparsable media type');
  const bad = await call(app, { method: 'POST', url: '/api/video/conferences', headers: { ...AUTH, 'content-type': 'nonsense' }, payload: 'x' });
  t.same([bad.status, bad.body], [400, BAD_REQUEST], 'an unparsable media type on a real route is 400');
});

t.test('the credential picks the world; API tokens are stored hashed', async (t) => {
  const app = await build(t);
  const project = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
  const token = 'PTworld2token';
  app.emulator.worlds.create('second', 'second', { signalwire: { projects: [{ id: project, api_tokens: [{ token, scopes: ['Video'] }] }] } });
  const auth = basic(project, token);

  let res = await call(app, { method: 'GET', url: '/api/video/conferences', headers: auth });
  t.same([res.status, res.body.data], [200, []], 'the second world starts empty');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: auth, payload: { display_name: 'Weekly Sync' } });
  t.equal(res.body.name, 'weekly-sync');
  const id = res.body.id;
  res = await call(app, { method: 'GET', url: `/api/video/conferences/${id}`, headers: AUTH });
  t.equal(res.status, 404, 'the default world does not see it');

  app.emulator.worlds.get('second')!.clock.advance(3_600_000);
  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${id}`, headers: auth, payload: { display_name: 'Renamed' } });
  t.equal(res.body.updated_at, '2026-02-01T01:00:00Z', "the world's own clock");

  const stored = app.emulator.db.prepare('SELECT token_hash FROM signalwire_api_tokens').pluck().all() as string[];
  t.notOk(stored.includes(TOKEN) || stored.includes(token), 'no API token is stored in clear');
  t.ok(stored.every((h) => /^[0-9a-f]{64}$/.test(h)));

  const reset = await call(app, { method: 'POST', url: '/_emulator/reset' });
  t.equal(reset.status, 204);
  res = await call(app, { method: 'GET', url: `/api/video/conferences/${id}`, headers: auth });
  t.equal(res.status, 404, 'a reset reloads the fixtures');
});
