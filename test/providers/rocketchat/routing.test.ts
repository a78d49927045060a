import t from 'tap';
import { build, call } from '../../helper.js';
import { JOHN } from './fixtures.js';

t.test('unknown paths, wrong methods and OPTIONS under /api/v1', async (t) => {
  const app = await build(t);
  const headersOf = (res: Awaited<ReturnType<typeof call>>) => [res.headers['content-type'], res.headers['cache-control'], res.headers['access-control-allow-origin']];

  let res = await call(app, { method: 'GET', url: '/api/v1/video-conference.decline', headers: JOHN });
  t.same([res.status, res.body], [404, { success: false, error: 'Resource not found' }]);
  t.same(headersOf(res), ['application/json', 'no-store', '*']);
  res = await call(app, { method: 'POST', url: '/api/v1/video-conference.leave?x=1' });
  t.same([res.status, res.body], [404, { success: false, error: 'Resource not found' }]);

  const cases: [string, string, string][] = [
    ['GET', '/api/v1/video-conference.start', 'POST, OPTIONS'],
    ['DELETE', '/api/v1/video-conference.join', 'POST, OPTIONS'],
    ['POST', '/api/v1/video-conference.info', 'GET, OPTIONS'],
    ['HEAD', '/api/v1/video-conference.list', 'GET, OPTIONS'],
    ['PUT', '/api/v1/logout', 'GET, POST, OPTIONS'],
    ['GET', '/api/v1/login', 'POST, OPTIONS'],
  ];
  for (const [method, url, allow] of cases) {
    res = await call(app, { method: method as 'GET', url, headers: JOHN });
    t.equal(res.status, 405, `${method} ${url}`);
    t.equal(res.headers.allow, allow);
    if (method !== 'HEAD') t.same(res.body, { status: 'error', message: 'API endpoint does not exist' });
    t.equal(res.headers['x-ratelimit-limit'], undefined, 'not rate-limited');
  }
  res = await call(app, { method: 'OPTIONS', url: '/api/v1/logout' });
  t.same([res.status, res.text, res.headers.allow], [200, '', 'GET, POST, OPTIONS']);
});

t.test('outside the providers: problem+json', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/nothing/here' });
  t.equal(res.status, 404);
  t.equal(res.headers['content-type'], 'application/problem+json');
  t.same(res.body, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Nothing at GET /nothing/here' });
});
