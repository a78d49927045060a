import t from 'tap';
import { build, call } from '../../helper.js';
import { AUTH, PAST_SESSION } from './fixtures.js';

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
