import t from 'tap';
import { Clock } from '../../src/core/clock.js';
import { IdSource, UNMISTAKABLE_CHARS } from '../../src/core/ids.js';
import { RateLimitRule } from '../../src/core/rate-limit.js';
import { reusableJson, Utf8Json } from '../../src/core/reply.js';

t.test('clock', async (t) => {
  const clock = new Clock({ now: 1000, frozen: true });
  t.equal(clock.now(), 1000);
  clock.advance(500);
  t.equal(clock.now(), 1500);
  clock.set(10_000);
  t.same(clock.state(), { now: '1970-01-01T00:00:10.000Z', frozen: true });
  clock.freeze(false);
  t.ok(clock.now() >= 10_000 && clock.now() < 20_000, 'unfrozen, it runs from where it was');
  clock.advance(60_000);
  t.ok(clock.now() >= 70_000);
  clock.set(5_000);
  t.ok(clock.now() >= 5_000 && clock.now() < 15_000);
  const real = new Clock();
  t.notOk(real.frozen);
  t.ok(Math.abs(real.now() - Date.now()) < 1000);
});

t.test('clock: listeners hear every move, set and freeze until they unsubscribe', async (t) => {
  const clock = new Clock({ now: 1000, frozen: true });
  const heard: number[] = [];
  const off = clock.onChange(() => heard.push(clock.now()));
  clock.advance(10);
  clock.set(2000);
  clock.freeze(true);
  clock.freeze(false);
  t.same(heard.slice(0, 3), [1010, 2000, 2000]);
  t.equal(heard.length, 4);
  off();
  clock.advance(5);
  t.equal(heard.length, 4);
});

t.test('ids: deterministic with a seed, well-formed either way', async (t) => {
  const a = new IdSource('seed');
  const b = new IdSource('seed');
  t.equal(a.uuid(), b.uuid());
  t.equal(a.fromAlphabet(UNMISTAKABLE_CHARS, 17), b.fromAlphabet(UNMISTAKABLE_CHARS, 17));
  const random = new IdSource();
  t.match(random.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.match(a.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(a.objectId(Date.parse('2026-01-27T07:18:45.956Z')).slice(0, 8), '697866d5');
  t.match(a.hex(45), /^[0-9a-f]{45}$/);
  t.match(a.digits(11, true), /^[1-9][0-9]{10}$/);
  t.match(random.hex(45), /^[0-9a-f]{45}$/);
  t.match(random.hex(32), /^[0-9a-f]{32}$/);
  t.equal(random.bytes(70).length, 70);
  const drawn = Array.from({ length: 300 }, () => random.hex(32));
  t.equal(new Set(drawn).size, 300, 'ids drawn from the random pool, across refills, never repeat');
  t.equal(random.bytes(5000).length, 5000, 'a draw larger than the pool');
});

t.test('ids: an uppercase UUID v4 and hex drawn together', async (t) => {
  const seeded = new IdSource(7);
  const twin = new IdSource(7);
  for (let i = 0; i < 3; i++) t.same(seeded.upperUuidAndHex(32), [twin.uuid().toUpperCase(), twin.hex(32)], 'seeded: the same draws as uuid() then hex()');

  const random = new IdSource();
  const pairs = Array.from({ length: 400 }, () => random.upperUuidAndHex(32));
  for (const [uuid, hex] of pairs) {
    if (!/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/.test(uuid) || !/^[0-9a-f]{32}$/.test(hex)) {
      t.fail(`malformed pair ${uuid} ${hex}`);
    }
  }
  t.equal(new Set(pairs.flat()).size, 800, '400 pairs (across pool refills): no id repeats');
  t.same(new Set(pairs.map(([uuid]) => uuid[19])), new Set(['8', '9', 'A', 'B']), 'every variant digit occurs');
  for (const at of [0, 15, 35]) t.equal(new Set(pairs.map(([uuid]) => uuid[at])).size, 16, `every digit occurs at uuid position ${at}`);
  for (const at of [0, 31]) t.equal(new Set(pairs.map(([, hex]) => hex[at])).size, 16, `every digit occurs at hex position ${at}`);

  for (const length of [0, 1, 7, 100]) {
    const [uuid, hex] = random.upperUuidAndHex(length);
    t.equal(uuid.length, 36);
    t.match(hex, new RegExp(`^[0-9a-f]{${length}}$`), `${length} hex digits`);
  }
  t.match(random.upperUuidAndHex(32)[1], /^[0-9a-f]{32}$/, 'a shorter draw after a longer one');
});

t.test('Rocket.Chat password hashes: the cost is stored; a hash from an older build (N=1024, no cost) still verifies', async (t) => {
  const { hashPassword, passwordDigest, verifyDigest } = await import('../../src/providers/rocketchat/crypto.js');
  const { scryptSync } = await import('node:crypto');
  const stored = hashPassword('john-pass', new IdSource('pw'));
  t.match(stored, /^scrypt\$64\$[0-9a-f]{16}\$[0-9a-f]{64}$/);
  t.ok(verifyDigest(passwordDigest('john-pass'), stored));
  t.notOk(verifyDigest(passwordDigest('wrong'), stored));
  const salt = '0123456789abcdef';
  const legacy = `scrypt$${salt}$${scryptSync(passwordDigest('john-pass'), salt, 32, { N: 1024, r: 8, p: 1 }).toString('hex')}`;
  t.ok(verifyDigest(passwordDigest('john-pass'), legacy));
  t.ok(verifyDigest(passwordDigest('john-pass').toUpperCase(), legacy), 'a digest is compared case-insensitively');
  for (const bad of ['plain', 'scrypt$3$salt$' + 'a'.repeat(64), 'scrypt$64$salt$abcd', 'bcrypt$64$salt$' + 'a'.repeat(64)]) t.notOk(verifyDigest(passwordDigest('john-pass'), bad), bad);
});

t.test('rate-limit windows', async (t) => {
  const shared = new RateLimitRule(2, 1000, 'shared', 0);
  t.same([shared.hit('a', 100).limited, shared.hit('b', 200).limited, shared.hit('a', 300).limited, shared.hit('a', 400).limited], [false, false, false, true]);
  t.equal(shared.hit('a', 1001).count, 1, 'a new window after the interval');
  const firstHit = new RateLimitRule(1, 1000, 'first-hit', 0);
  t.same(firstHit.hit('p', 5000), { limited: false, limit: 1, count: 1, remaining: 0, resetAt: 6000 });
  t.same(firstHit.hit('p', 5500), { limited: true, limit: 1, count: 1, remaining: 0, resetAt: 6000 }, 'refused requests do not count');
  t.equal(firstHit.hit('p', 6000).limited, false);
  const aligned = new RateLimitRule(1, 1000, 'aligned', 0);
  t.equal(aligned.hit('k', 1999).resetAt, 2000);
  t.equal(aligned.hit('k', 1999).limited, true);
  t.equal(aligned.hit('k', 2000).limited, false);
});

t.test('reusableJson: ASCII text stays a string; other text keeps its UTF-8 bytes', async (t) => {
  const ascii = '{"title":"weekly"}';
  t.equal(reusableJson(ascii), ascii);
  const text = '{"title":"周会","nick":"Zoë"}';
  const json = reusableJson(text);
  if (!(json instanceof Utf8Json)) throw new Error('expected Utf8Json');
  t.equal(json.text, text);
  t.same(json.bytes, Buffer.from(text, 'utf8'));
  t.same(Object.keys(Object.freeze(json)), ['text'], 'the bytes are not an own key: a read cache can deep-freeze it');
});
