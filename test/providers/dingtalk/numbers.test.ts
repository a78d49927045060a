import t from 'tap';
import { build } from '../../helper.js';
import { dt, REQUEST_ID, STARTED, STARTED_ROOM_CODE, tokenOf } from './fixtures.js';

// Reference §3.4 (E): `nextToken` a non-negative decimal integer string, `maxResults` an integer ≥ 1, no maximum.
t.test('query numbers: huge, fractional, hexadecimal, exponent, negative and non-finite', async (t) => {
  const app = await build(t, { rateLimits: false });
  const token = await tokenOf(app);
  // Each route's own parameter error (`x-param-error` in openapi/dingtalk.yaml).
  const routes: [string, string][] = [[`/v1.0/conference/videoConferences/${STARTED}/members`, 'PARAM ERROR'], [`/v1.0/conference/roomCodes/${STARTED_ROOM_CODE}/infos`, 'paramError']];
  const bad: [string, string][] = [
    ['maxResults', '1e400'],
    ['maxResults', 'Infinity'],
    ['maxResults', '0x1'],
    ['maxResults', '1e2'],
    ['maxResults', '1.5'],
    ['maxResults', '-1'],
    ['maxResults', '0'],
    ['maxResults', ' 1'],
    ['nextToken', '-5'],
    ['nextToken', '0x1'],
    ['nextToken', '1e400'],
    ['nextToken', 'Infinity'],
    ['nextToken', '2.5'],
  ];
  for (const [url, message] of routes) {
    for (const [name, value] of bad) {
      const res = await dt(app, 'GET', `${url}?${name}=${encodeURIComponent(value)}`, token);
      t.equal(res.status, 400, `${url} ${name}=${value}`);
      t.match(res.body, { code: 'paramError', requestid: REQUEST_ID });
      t.equal(res.body.message, message);
    }
  }
  const members = routes[0][0];
  const all = await dt(app, 'GET', `${members}?maxResults=99999999999999999999999`, token);
  t.same([all.status, all.body.memberModels.length, all.body.nextToken], [200, all.body.totalCount, undefined], 'a huge page size is the whole list');
  const past = await dt(app, 'GET', `${members}?nextToken=${'9'.repeat(400)}`, token);
  t.same([past.status, past.body.memberModels, past.body.totalCount], [200, [], all.body.totalCount], 'an offset past the end is an empty page');
});
