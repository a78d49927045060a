import t from 'tap';
import Database from 'better-sqlite3';
import { isStoreError } from '../../src/core/errors.js';
import { CLOCK_RANGE, inClockRange } from '../../src/core/clock.js';
import { bearerToken } from '../../src/core/request.js';
import { toWire as rocketchatWire } from '../../src/providers/rocketchat/errors.js';
import { toWire as signalwireWire } from '../../src/providers/signalwire/errors.js';
import { toWire as dingtalkWire } from '../../src/providers/dingtalk/errors.js';

/** What better-sqlite3 throws for an OFFSET no SQLite integer holds. */
function storeError(): Error {
  const db = new Database(':memory:');
  try {
    db.prepare('SELECT 1 LIMIT 1 OFFSET ?').all(1e20);
  } catch (err) {
    return err as Error;
  } finally {
    db.close();
  }
  throw new Error('no store error');
}

t.test("a store error's text never reaches a client", async (t) => {
  const err = storeError();
  t.equal(err.message, 'datatype mismatch', 'the store text the providers must not show');
  t.ok(isStoreError(err));
  t.notOk(isStoreError(new Error('datatype mismatch')), 'by its class and code, not its text');
  t.notOk(isStoreError('SQLITE_ERROR'));
  t.same(rocketchatWire(err), { status: 400, body: { success: false } }, "Rocket.Chat: the documented failure, without the store's text");
  t.same(rocketchatWire(new Error('invalid-call')), { status: 400, body: { success: false, error: 'invalid-call' } }, 'other errors keep their message (reference §3.1 step 5)');
  t.same(signalwireWire(err), { status: 500, headers: {}, body: { error: 'Internal Server Error' } });
  const dt = dingtalkWire(err, undefined, 'REQ');
  t.same(dt, { status: 500, body: { code: 'systemError', requestid: 'REQ', message: 'systemError' } });
});

t.test('the clock range and the Bearer scheme', async (t) => {
  t.same([new Date(CLOCK_RANGE.min).toISOString(), new Date(CLOCK_RANGE.max).toISOString()], ['1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']);
  t.same([inClockRange(CLOCK_RANGE.min), inClockRange(CLOCK_RANGE.max), inClockRange(-1), inClockRange(CLOCK_RANGE.max + 1), inClockRange(NaN), inClockRange(Infinity)], [true, true, false, false, false, false]);
  t.same(['Bearer a', 'bearer a', 'BEARER  a b', 'Bearer', 'Bearer ', 'Basic a', undefined].map(bearerToken), ['a', 'a', 'a b', undefined, undefined, undefined, undefined]);
});
