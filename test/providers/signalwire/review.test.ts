import t from 'tap';
import { build, call } from '../../helper.js';
import { AUTH, JSON_UTF8, WEEKLY_SYNC, entry, unprocessable } from './fixtures.js';

t.test('join_from / join_until: years 0000-0099 are kept, not read as 19xx (reference §2.10)', async (t) => {
  const app = await build(t);
  let res = await call(app, {
    method: 'POST',
    url: '/api/video/conferences',
    headers: AUTH,
    payload: { display_name: 'Ancient', join_from: '0099-01-01', join_until: '0050-06-15T12:30:00.250+02:00' },
  });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], JSON_UTF8);
  t.same([res.body.join_from, res.body.join_until], ['0099-01-01T00:00:00Z', '0050-06-15T10:30:00Z']);

  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH, payload: { display_name: 'Weekly Sync', join_from: '0000-02-29' } });
  t.same([res.status, res.body.join_from], [200, '0000-02-29T00:00:00Z'], 'year 0 is a leap year (proleptic Gregorian)');

  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH, payload: { display_name: 'Weekly Sync', join_from: '0100-02-29' } });
  t.same([res.status, res.body], [422, unprocessable(entry('join_from', 'is invalid'))], 'year 100 is not a leap year');
});
