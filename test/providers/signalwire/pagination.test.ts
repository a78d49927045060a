import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, call } from '../../helper.js';
import { ALL_HANDS, AUTH, DESIGN_REVIEW, LIVE_SESSION, ORIGIN, PAST_SESSION, WEEKLY_SYNC, entry, unprocessable } from './fixtures.js';

const BASE = `${ORIGIN}/api/video/conferences`;

/** Adds conferences after the three fixtures; with the frozen clock they are 1 ms apart. */
async function seed(app: FastifyInstance, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: `Room ${i}` } });
    ids.push(res.body.id);
  }
  return ids;
}

const get = (app: FastifyInstance, url: string) => call(app, { method: 'GET', url, headers: AUTH });
const path = (link: string) => link.slice(ORIGIN.length);

t.test('defaults: page 0 of 50, self and first only', async (t) => {
  const app = await build(t);
  const res = await get(app, '/api/video/conferences');
  t.same(res.body.links, { self: `${BASE}?page_number=0&page_size=50`, first: `${BASE}?page_number=0&page_size=50` });
  t.same(res.body.data.map((c: { id: string }) => c.id), [WEEKLY_SYNC, ALL_HANDS, DESIGN_REVIEW], 'ordered by created_at');
  t.equal(JSON.stringify(Object.keys(res.body.links)), '["self","first"]');
});

t.test('walking pages: next, prev, first and self exactly', async (t) => {
  const app = await build(t);
  const [c1, c2, c3, c4] = await seed(app, 4);

  let res = await get(app, '/api/video/conferences?page_size=2');
  t.same(res.body.data.map((c: { id: string }) => c.id), [WEEKLY_SYNC, ALL_HANDS]);
  t.same(res.body.links, {
    self: `${BASE}?page_number=0&page_size=2`,
    first: `${BASE}?page_number=0&page_size=2`,
    next: `${BASE}?page_number=1&page_size=2&page_token=PA${ALL_HANDS}`,
  });

  res = await get(app, path(res.body.links.next));
  t.same(res.body.data.map((c: { id: string }) => c.id), [DESIGN_REVIEW, c1]);
  t.same(res.body.links, {
    self: `${BASE}?page_number=1&page_size=2&page_token=PA${ALL_HANDS}`,
    first: `${BASE}?page_number=0&page_size=2`,
    next: `${BASE}?page_number=2&page_size=2&page_token=PA${c1}`,
    prev: `${BASE}?page_number=0&page_size=2`,
  });

  res = await get(app, path(res.body.links.next));
  t.same(res.body.data.map((c: { id: string }) => c.id), [c2, c3]);
  t.same(res.body.links.prev, `${BASE}?page_number=1&page_size=2&page_token=PA${ALL_HANDS}`, 'prev carries the id before the previous page');

  res = await get(app, path(res.body.links.next));
  t.same(res.body.data.map((c: { id: string }) => c.id), [c4]);
  t.same(res.body.links, {
    self: `${BASE}?page_number=3&page_size=2&page_token=PA${c3}`,
    first: `${BASE}?page_number=0&page_size=2`,
    prev: `${BASE}?page_number=2&page_size=2&page_token=PA${c1}`,
  });
  t.equal(JSON.stringify(Object.keys(res.body.links)), '["self","first","prev"]', 'no next after the last item');

  res = await get(app, path(res.body.links.prev));
  t.same(res.body.data.map((c: { id: string }) => c.id), [c2, c3], 'prev goes back one page');

  res = await get(app, `/api/video/conferences?page_size=3&page_token=PA${c4.toUpperCase()}`);
  t.same(res.body.data, [], 'a token of the last item gives an empty page');
  t.same(res.body.links, {
    self: `${BASE}?page_number=0&page_size=3&page_token=PA${c4}`,
    first: `${BASE}?page_number=0&page_size=3`,
    prev: `${BASE}?page_number=0&page_size=3&page_token=PA${c1}`,
  });

  res = await get(app, '/api/video/conferences?page_size=1000');
  t.equal(res.body.data.length, 7);
  res = await get(app, '/api/video/conferences?page_size=1');
  t.equal(res.body.data.length, 1);
});

t.test('filters and include_active_session are carried into every link, in the order received', async (t) => {
  const app = await build(t);
  await seed(app, 2);
  const res = await get(app, '/api/video/conferences?include_active_session=true&page_size=1&ends_before=2027-01-01&unknown=x&page_number=0');
  const tail = 'include_active_session=true&ends_before=2027-01-01';
  t.same(res.body.data.map((c: { id: string }) => c.id), [WEEKLY_SYNC]);
  t.same(res.body.links, {
    self: `${BASE}?page_number=0&page_size=1&${tail}`,
    first: `${BASE}?page_number=0&page_size=1&${tail}`,
  }, 'only weekly-sync has a join_until: no next');
  t.notOk('active_session' in res.body.data[0], 'no live session: no active_session key');

  const encoded = await get(app, '/api/video/conferences?starts_after=2026-01-05T10%3A00%3A00%2B00%3A00');
  t.equal(encoded.body.links.self, `${BASE}?page_number=0&page_size=50&starts_after=2026-01-05T10%3A00%3A00%2B00%3A00`, 'values are URL-encoded');
  t.same(encoded.body.data.map((c: { id: string }) => c.id), [WEEKLY_SYNC]);
});

t.test('starts_after and ends_before', async (t) => {
  const app = await build(t);
  const created = await call(app, {
    method: 'POST',
    url: '/api/video/conferences',
    headers: AUTH,
    payload: { display_name: 'March', join_from: '2026-03-01T00:00:00Z', join_until: '2026-03-02T00:00:00Z' },
  });
  const march = created.body.id;
  const ids = async (query: string) => (await get(app, `/api/video/conferences?${query}`)).body.data.map((c: { id: string }) => c.id);

  t.same(await ids('starts_after=2026-01-05T10:00:00Z'), [WEEKLY_SYNC, march], 'join_from >= value; null join_from excluded');
  t.same(await ids('starts_after=2026-01-05T10:00:01Z'), [march]);
  t.same(await ids('starts_after=2026-02-01'), [march], 'a date is midnight UTC');
  t.same(await ids('ends_before=1772409600'), [march], 'Unix seconds; join_until <= value');
  t.same(await ids('ends_before=1772409599'), []);
  t.same(await ids('starts_after=2026-01-01&ends_before=2026-12-31T11:00:00Z'), [WEEKLY_SYNC, march]);
  t.same(await ids('ends_before=2026-12-31T12:00:00%2B01:00'), [WEEKLY_SYNC, march], 'offsets are normalized');

  for (const bad of ['tomorrow', '2026-13-01', '-5', '1.5']) {
    const res = await get(app, `/api/video/conferences?starts_after=${bad}`);
    t.same([res.status, res.body], [422, unprocessable(entry('starts_after', 'is invalid'))], bad);
  }
});

t.test('page parameter errors', async (t) => {
  const app = await build(t);
  const check = async (query: string, ...entries: ReturnType<typeof entry>[]) => {
    const res = await get(app, `/api/video/conferences?${query}`);
    t.same([res.status, res.body], [422, unprocessable(...entries)], query);
  };
  await check('page_size=0', entry('page_size', 'must be greater than or equal to 1'));
  await check('page_size=1001', entry('page_size', 'must be less than or equal to 1000'));
  await check('page_size=ten', entry('page_size', 'is not a number'));
  await check('page_size=1.5', entry('page_size', 'is not a number'));
  await check('page_number=-1', entry('page_number', 'must be greater than or equal to 0'));
  await check('page_number=x', entry('page_number', 'is not a number'));
  await check('page_number=1', entry('page_token', "can't be blank"));
  await check(`page_token=${ALL_HANDS}`, entry('page_token', 'is invalid'));
  await check('page_token=PA00000000-0000-4000-8000-000000000000', entry('page_token', 'is invalid'));
  await check(`page_token=PA${LIVE_SESSION}`, entry('page_token', 'is invalid'));
  await check(`starts_after=2026-02-01&page_token=PA${WEEKLY_SYNC}`, entry('page_token', 'is invalid'));
  await check(
    'page_size=5000&include_active_session=1&starts_after=soon&page_number=2',
    entry('starts_after', 'is invalid'),
    entry('include_active_session', 'is invalid'),
    entry('page_size', 'must be less than or equal to 1000'),
    entry('page_token', "can't be blank"),
  );
  const ok = await get(app, `/api/video/conferences?page_number=0&page_token=PA${WEEKLY_SYNC}`);
  t.same(ok.body.data.map((c: { id: string }) => c.id), [ALL_HANDS, DESIGN_REVIEW], 'a token with page_number 0 is fine');
});

t.test('room session filters', async (t) => {
  const app = await build(t);
  const ids = async (query: string) => (await get(app, `/api/video/room_sessions?${query}`)).body.data.map((s: { id: string }) => s.id);
  t.same(await ids(''), [PAST_SESSION, LIVE_SESSION]);
  t.same(await ids(`room_id=${ALL_HANDS.toUpperCase()}`), [LIVE_SESSION]);
  t.same(await ids('room_name=weekly-sync'), [PAST_SESSION]);
  t.same(await ids('room_name=Weekly-Sync'), [], 'room_name is case-sensitive');
  t.same(await ids('room_name_matches=SYNC'), [PAST_SESSION], 'room_name_matches is a case-insensitive substring');
  t.same(await ids('room_name_matches=-'), [PAST_SESSION, LIVE_SESSION]);
  t.same(await ids('status=in-progress'), [LIVE_SESSION]);
  t.same(await ids('status=completed&room_name_matches=hands'), [], 'filters combine with AND');

  const res = await get(app, '/api/video/room_sessions?status=live&room_id=all-hands&page_size=0');
  t.same([res.status, res.body], [
    422,
    unprocessable(entry('room_id', 'is invalid'), entry('status', 'is not included in the list'), entry('page_size', 'must be greater than or equal to 1')),
  ]);

  const paged = await get(app, '/api/video/room_sessions?status=completed&page_size=1&room_name_matches=a%20b');
  t.same(paged.body.links, {
    self: `${ORIGIN}/api/video/room_sessions?page_number=0&page_size=1&status=completed&room_name_matches=a%20b`,
    first: `${ORIGIN}/api/video/room_sessions?page_number=0&page_size=1&status=completed&room_name_matches=a%20b`,
  });
});

t.test('links use the Host header and protocol of the request', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/api/video/conferences?page_size=1', headers: { ...AUTH, host: 'video.example.test:8443' } });
  t.equal(res.body.links.next, `http://video.example.test:8443/api/video/conferences?page_number=1&page_size=1&page_token=PA${WEEKLY_SYNC}`);
});
