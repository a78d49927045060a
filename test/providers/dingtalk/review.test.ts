import t from 'tap';
import { build } from '../../helper.js';
import { STARTED, STARTED_ROOM_CODE, assertEnvelopeHeaders, dt, tokenOf } from './fixtures.js';

// Findings of the review against shared/reference/dingtalk.md.

const membersUrl = (query: string) => `/v1.0/conference/videoConferences/${STARTED}/members${query}`;
const roomCodeUrl = (query: string) => `/v1.0/conference/roomCodes/${STARTED_ROOM_CODE}/infos${query}`;

// §3.4 (E): `nextToken` is any non-negative integer string (an offset past the end gives an empty page) and
// `maxResults` any integer ≥ 1 ("no maximum"); §3.7 uses the same rules. Integers beyond 2^53 are still
// integers: they must not answer paramError.
t.test('paging: offsets and page sizes beyond 2^53 are valid integers, not parameter errors', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const huge = '9'.repeat(25);

  let res = await dt(app, 'GET', membersUrl(`?nextToken=${huge}`), token);
  t.equal(res.status, 200, 'members: a huge offset is past the end');
  assertEnvelopeHeaders(t, res);
  t.equal(res.text, JSON.stringify({ memberModels: [], totalCount: 3 }), 'members: an empty page, no nextToken');

  for (const maxResults of [huge, '9007199254740993']) {
    res = await dt(app, 'GET', membersUrl(`?maxResults=${maxResults}`), token);
    t.equal(res.status, 200, `members: maxResults=${maxResults} has no maximum`);
    t.same(
      [res.body.memberModels.map((m: { unionId: string }) => m.unionId).length, res.body.nextToken, res.body.totalCount],
      [3, undefined, 3],
      'members: the whole list on one page',
    );
  }

  res = await dt(app, 'GET', roomCodeUrl(`?nextToken=${huge}`), token);
  t.equal(res.status, 200, 'room code: a huge offset is past the end');
  t.equal(res.text, JSON.stringify({ hasMore: false, totalCount: 1, conferenceList: [] }));
  res = await dt(app, 'GET', roomCodeUrl(`?maxResults=${huge}&nextToken=0`), token);
  t.equal(res.status, 200, 'room code: maxResults has no maximum');
  t.same([res.body.hasMore, res.body.totalCount, res.body.conferenceList.length, 'nextToken' in res.body], [false, 1, 1, false]);
});
