import t from 'tap';
import { build, call, T0 } from '../helper.js';
import { JOHN } from '../providers/rocketchat/fixtures.js';

const problem = (detail: string, path: string, message: string) => ({ type: 'about:blank', title: 'Bad Request', status: 400, detail, errors: [{ path, message }] });

t.test('control-plane lists: a number past what the store takes is a 400 naming the parameter, never a 500', async (t) => {
  const app = await build(t);
  const views = ['rocketchat/rooms', 'rocketchat/calls', 'signalwire/conferences', 'signalwire/room_sessions', 'dingtalk/conferences'];
  for (const view of views) {
    for (const offset of ['99999999999999999999999', '1e20', '9007199254740992']) {
      const res = await call(app, { method: 'GET', url: `/_emulator/worlds/default/${view}?offset=${offset}` });
      t.same([res.status, res.headers['content-type'], res.body], [400, 'application/problem+json', problem('Invalid query', 'query/offset', 'must be <= 9007199254740991')], `${view} offset=${offset}`);
    }
    const last = await call(app, { method: 'GET', url: `/_emulator/worlds/default/${view}?offset=9007199254740991` });
    t.equal(last.status, 200, `${view}: the largest offset is past the end`);
    t.same([last.body.offset, last.body.limit, Object.values(last.body).find(Array.isArray)], [9007199254740991, 50, []]);
    const exponent = await call(app, { method: 'GET', url: `/_emulator/worlds/default/${view}?offset=1e0&limit=2.0` });
    t.same([exponent.status, exponent.body.offset, exponent.body.limit], [200, 1, 2], `${view}: 1e0 and 2.0 are the integers 1 and 2`);
  }
});

t.test('control-plane query numbers are read as the spec says: integer, minimum, a 400 problem otherwise', async (t) => {
  const app = await build(t);
  const cases: [string, string, string][] = [
    ['/_emulator/worlds/default/rocketchat/rooms?offset=0x1', 'query/offset', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/calls?limit=0x1', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/signalwire/conferences?offset=0b1', 'query/offset', 'must be integer'],
    ['/_emulator/worlds/default/dingtalk/conferences?limit=Infinity', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/signalwire/room_sessions?limit=-Infinity', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=1e400', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=1.5', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=%201', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=NaN', 'query/limit', 'must be integer'],
    ['/_emulator/worlds/default/rocketchat/rooms?offset=-5', 'query/offset', 'must be >= 0'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=0', 'query/limit', 'must be >= 1'],
    ['/_emulator/worlds/default/rocketchat/rooms?limit=501', 'query/limit', 'must be <= 500'],
    ['/_emulator/requests?limit=0x10', 'query/limit', 'must be integer'],
    ['/_emulator/requests?status=1e400', 'query/status', 'must be integer'],
    ['/_emulator/requests/count?status=-1', 'query/status', 'must be >= 0'],
  ];
  for (const [url, path, message] of cases) {
    const res = await call(app, { method: 'GET', url });
    t.same([res.status, res.body], [400, problem('Invalid query', path, message)], url);
  }
  const ok = await call(app, { method: 'GET', url: '/_emulator/requests?limit=5e0&status=2e2' });
  t.same([ok.status, ok.body], [200, { requests: [] }]);
});

t.test('control-plane bodies: a non-finite number is a 400 naming the field', async (t) => {
  const app = await build(t);
  const post = (url: string, payload: string) => call(app, { method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
  let res = await post('/_emulator/faults', '{"match":{"provider":"signalwire"},"action":{"delayMs":1},"times":1e400}');
  t.same([res.status, res.body], [400, problem('Invalid body', 'body/times', 'must be a finite number')]);
  res = await post('/_emulator/clock', '{"advanceMs":-1e400}');
  t.same([res.status, res.body], [400, problem('Invalid body', 'body/advanceMs', 'must be a finite number')]);
  res = await post('/_emulator/worlds', '{"fixtures":{"rocketchat":{"rooms":[{"a/b~":1e999}]}}}');
  t.same([res.status, res.body], [400, problem('Invalid body', 'body/fixtures/rocketchat/rooms/0/a~1b~0', 'must be a finite number')]);
  res = await post('/_emulator/faults', '{"match":{"provider":"signalwire"},"action":{"delayMs":1},"probability":0x1}');
  t.equal(res.status, 400, 'hexadecimal is not JSON');
  t.same((await call(app, { method: 'GET', url: '/_emulator/faults' })).body, { faults: [] }, 'no fault was created');
});

t.test('a clock move out of range is refused with the range, and the world keeps working', async (t) => {
  const app = await build(t);
  const range = '1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z';
  const detail = `The clock can show ${range} only (what a JavaScript Date and every provider's timestamps hold); the clock is unchanged`;
  const refused: [string, object, string][] = [
    ['/_emulator/clock', { advanceMs: 8640000000000000 }, 'body/advanceMs'],
    ['/_emulator/worlds/default/clock', { advanceMs: 251_632_396_800_000 }, 'body/advanceMs'],
    ['/_emulator/clock', { now: '1969-12-31T23:59:59.999Z' }, 'body/now'],
    ['/_emulator/clock', { now: '9999-12-31T23:59:59Z', advanceMs: 1000 }, 'body/advanceMs'],
    ['/_emulator/clock', { now: '0000-01-01T00:00:00Z', frozen: false }, 'body/now'],
  ];
  for (const [url, payload, path] of refused) {
    const res = await call(app, { method: 'POST', url, payload });
    t.same([res.status, res.body], [400, { ...problem(detail, path, `must keep the clock within ${range}`) }], JSON.stringify(payload));
  }
  const leap = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { now: '2026-12-31T23:59:60Z' } });
  t.same([leap.status, leap.body], [400, problem('Invalid body', 'body/now', 'must be an instant a JavaScript Date can read (not a leap second)')]);

  t.same((await call(app, { method: 'GET', url: '/_emulator/clock' })).body, { now: T0, frozen: true }, 'the clock is unchanged, still frozen');
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds/default' })).status, 200);
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: 'GENERAL' } });
  t.equal(started.status, 200, 'Rocket.Chat still starts calls in the world');

  const edge = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { now: '9999-12-31T23:59:59.999Z' } });
  t.same(edge.body, { now: '9999-12-31T23:59:59.999Z', frozen: true }, 'the last instant is allowed');
  const epoch = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { now: '1970-01-01T00:00:00Z' } });
  t.same(epoch.body, { now: '1970-01-01T00:00:00.000Z', frozen: true }, 'and the first');
});

t.test('the admin token scheme is case-insensitive (RFC 9110 §11.1)', async (t) => {
  const app = await build(t, { adminToken: 's3cret' });
  for (const authorization of ['Bearer s3cret', 'bearer s3cret', 'BEARER s3cret', 'bEaReR  s3cret']) {
    t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization } })).status, 200, authorization);
  }
  for (const authorization of ['bearer', 'bearer ', 'bearers3cret', 'Basic s3cret', 'bearer S3CRET', 'bearer s3cret x']) {
    const res = await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization } });
    t.same([res.status, res.body.detail], [401, 'The control plane needs Authorization: Bearer <admin token>'], authorization);
  }
});
