import t from 'tap';
import { build, call } from '../../helper.js';
import { INFO_CALL, INFO_EXAMPLE, JANE, JOHN, NOT_LOGGED_IN, OUTSIDER, PRIVATE_CALL, INVALID_PARAMS, invalid } from './fixtures.js';

t.test('info returns the documented example verbatim, with the documented headers', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify(INFO_EXAMPLE), 'same keys, same order, same types');
  t.equal(res.headers['content-type'], 'application/json');
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers.pragma, 'no-cache');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.equal(res.headers['x-ratelimit-limit'], '15');
  t.equal(res.headers['x-ratelimit-remaining'], '14');
  t.equal(res.headers['x-ratelimit-reset'], String(Date.parse('2026-02-01T00:00:03.000Z')));
});

t.test('info errors', async (t) => {
  const app = await build(t);
  const get = (url: string, headers: Record<string, string> = JOHN) => call(app, { method: 'GET', url, headers });

  let res = await get('/api/v1/video-conference.info');
  t.same([res.status, res.body], [400, invalid("must have required property 'callId'")]);
  res = await get(`/api/v1/video-conference.info?callId=${INFO_CALL}&_=123`);
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await get(`/api/v1/video-conference.info?callId=a&callId=b`);
  t.same([res.status, res.body], [400, invalid('must be string')]);
  res = await get('/api/v1/video-conference.info?callId=000000000000000000000000');
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await get('/api/v1/video-conference.info?callId=not-hex');
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await get(`/api/v1/video-conference.info?callId=${PRIVATE_CALL}`, OUTSIDER);
  t.same([res.status, res.body], [400, INVALID_PARAMS], 'a private room the caller is not in is inaccessible');
  res = await get(`/api/v1/video-conference.info?callId=${PRIVATE_CALL}`, JANE);
  t.equal(res.status, 200, 'members of the private room see its call');
  res = await get(`/api/v1/video-conference.info?callId=${INFO_CALL}`, {});
  t.same([res.status, res.body], [401, NOT_LOGGED_IN]);
  t.equal(res.headers['x-ratelimit-limit'], undefined, '401s are not counted');
  res = await get(`/api/v1/video-conference.info?callId=${INFO_CALL}`, { ...JOHN, 'x-auth-token': 'wrong' });
  t.same([res.status, res.body], [401, NOT_LOGGED_IN]);
  res = await get(`/api/v1/video-conference.info?callId=${INFO_CALL}`, { ...JOHN, 'x-user-id': 'fRv4qm8ycWHXSA7af' });
  t.same([res.status, res.body], [401, NOT_LOGGED_IN], "another user's token does not authenticate");
});
