import t from 'tap';
import { build, call } from '../../helper.js';
import { ALL_HANDS, AUTH, ORIGIN, PAST_SESSION, WEEKLY_SYNC } from './fixtures.js';

const entry = (attribute: string, message: string) => ({
  type: 'validation_error',
  code: 'invalid_parameter',
  message,
  attribute,
  url: 'https://developer.signalwire.com/rest/overview/error-codes/#invalid_parameter',
});

// Reference §2.6: integer query parameters as Rails reads them: decimal digits only, then the range.
t.test('query numbers: huge, fractional, hexadecimal, exponent, negative and non-finite', async (t) => {
  const app = await build(t, { rateLimits: false });
  const cases: [string, string, string][] = [
    ['page_size', '1e400', 'is not a number'],
    ['page_size', 'Infinity', 'is not a number'],
    ['page_size', '-Infinity', 'is not a number'],
    ['page_size', 'NaN', 'is not a number'],
    ['page_size', '0x1', 'is not a number'],
    ['page_size', '1e2', 'is not a number'],
    ['page_size', '1.5', 'is not a number'],
    ['page_size', ' 1', 'is not a number'],
    ['page_size', '-5', 'must be greater than or equal to 1'],
    ['page_size', '0', 'must be greater than or equal to 1'],
    ['page_size', '99999999999999999999999', 'must be less than or equal to 1000'],
    ['page_number', '-1', 'must be greater than or equal to 0'],
    ['page_number', '0x10', 'is not a number'],
  ];
  for (const path of ['/api/video/conferences', '/api/video/room_sessions', `/api/video/room_sessions/${PAST_SESSION}/members`]) {
    for (const [name, value, message] of cases) {
      const res = await call(app, { method: 'GET', url: `${path}?${name}=${encodeURIComponent(value)}`, headers: AUTH });
      t.same([res.status, res.body], [422, { errors: [entry(name, message)] }], `${path} ${name}=${value}`);
    }
  }
  for (const [value, message] of [['1e400', 'is not a number'], ['-5', 'must be greater than or equal to 0'], ['0x1', 'is not a number'], ['Infinity', 'is not a number']]) {
    const res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${PAST_SESSION}/recordings?media_ttl=${value}`, headers: AUTH });
    t.same([res.status, res.body], [422, { errors: [entry('media_ttl', message)] }], `media_ttl=${value}`);
  }
  const huge = await call(app, { method: 'GET', url: '/api/video/conferences?page_size=1000&page_number=0', headers: AUTH });
  t.equal(huge.status, 200, 'the largest page size is served');
});

t.test('a huge page_number is echoed exactly in the links, as Rails integers have no bound', async (t) => {
  const app = await build(t, { rateLimits: false });
  const huge = '99999999999999999999999';
  const res = await call(app, { method: 'GET', url: `/api/video/conferences?page_size=1&page_number=${huge}&page_token=PA${WEEKLY_SYNC}`, headers: AUTH });
  t.equal(res.status, 200);
  const base = `${ORIGIN}/api/video/conferences?page_number=`;
  t.equal(res.body.links.self, `${base}${huge}&page_size=1&page_token=PA${WEEKLY_SYNC}`);
  t.equal(res.body.links.next, `${base}100000000000000000000000&page_size=1&page_token=PA${ALL_HANDS}`);
  t.equal(res.body.links.prev, `${base}99999999999999999999998&page_size=1`);
});
