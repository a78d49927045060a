import t from 'tap';
import { Journal, type JournalRecord } from '../../src/core/journal.js';

const T = Date.parse('2026-02-01T00:00:00.000Z');

/** One reused record, as the request pipeline hands it over. */
const rec: JournalRecord = {
  timeMs: 0,
  world: 'default',
  provider: 'rocketchat',
  operationId: null,
  method: 'GET',
  url: '/',
  headers: {},
  body: undefined,
  status: 200,
  payload: '',
  durationMs: 0,
  fault: null,
  proxied: false,
};

function record(journal: Journal, fields: Partial<JournalRecord>): void {
  Object.assign(rec, { timeMs: T, operationId: null, body: undefined, status: 200, payload: '', durationMs: 0, fault: null, proxied: false }, fields);
  journal.record(rec);
}

t.test('a ring larger than one block of slots keeps every entry exactly, newest first', async (t) => {
  const journal = new Journal(2100);
  for (let k = 0; k < 2600; k++) {
    record(journal, {
      timeMs: T + k,
      url: `/api/v1/video-conference.info?callId=c${k}`,
      headers: { host: '127.0.0.1', 'x-user-id': `u${k}`, 'x-auth-token': `secret${k}` },
      status: k % 2 ? 200 : 400,
      payload: JSON.stringify({ k }),
      durationMs: k / 1000,
      operationId: `op${k % 3}`,
    });
  }
  t.equal(journal.length, 2100);
  const all = journal.query();
  t.equal(all.length, 2100);
  const wrong = all.filter((e, n) => {
    const k = 2599 - n;
    return (
      e.id !== k + 1 ||
      e.timeMs !== T + k ||
      e.time !== new Date(T + k).toISOString() ||
      e.path !== '/api/v1/video-conference.info' ||
      JSON.stringify(e.query) !== JSON.stringify({ callId: `c${k}` }) ||
      JSON.stringify(e.headers) !== JSON.stringify({ host: '127.0.0.1', 'x-user-id': `u${k}`, 'x-auth-token': '[redacted]' }) ||
      e.status !== (k % 2 ? 200 : 400) ||
      JSON.stringify(e.responseBody) !== JSON.stringify({ k }) ||
      e.durationMs !== k / 1000 ||
      e.operationId !== `op${k % 3}`
    );
  });
  t.same(wrong, []);
  t.equal(journal.count({ status: 400 }), 1050);
  t.equal(journal.count({ operationId: 'op0', status: 200 }), 350);
  t.equal(journal.count({ since: T + 2500 }), 100);
  t.same(
    journal.query({ status: 200, limit: 2 }).map((e) => e.id),
    [2600, 2598],
  );
  t.equal(journal.query()[0], all[0], 'an entry is parsed and redacted once');

  journal.clear();
  t.equal(journal.length, 0);
  t.same(journal.query(), []);
  record(journal, { url: '/after' });
  t.same(
    journal.query().map((e) => [e.id, e.path]),
    [[2601, '/after']],
    'ids go on after a clear',
  );
});

t.test('request heads come back as they were sent, whatever their size or characters', async (t) => {
  const heads: { url: string; headers: Record<string, unknown> }[] = [
    { url: '/plain?a=1', headers: { host: 'h', accept: '*/*' } },
    { url: '/none', headers: {} },
    { url: '/empty-value', headers: { 'x-empty': '', '': 'no name' } },
    { url: '/latin1', headers: { 'x-name': 'caf\u00e9 \u00ff' } },
    { url: '/caf\u00e9?q=\u00e9', headers: { host: 'h' } },
    { url: '/unicode', headers: { 'x-u': '😀 \u4e2d \ud800 lone \udfff' } },
    { url: '/long-value', headers: { 'x-long': 'a'.repeat(5000) } },
    { url: `/long-url?x=${'b'.repeat(3000)}`, headers: { host: 'h' } },
    { url: '/long-unicode', headers: { 'x-long': '\u4e2d'.repeat(500) } },
    { url: '/array', headers: { 'x-list': ['a=1', 'b=2'], host: 'h' } },
    { url: '/number', headers: { 'x-n': 5 } },
  ];
  // Around every size where a head stops fitting in place, in ASCII and in UTF-16.
  for (let n = 860; n <= 1030; n++) heads.push({ url: `/ascii${n}`, headers: { 'x-pad': 'p'.repeat(n - `/ascii${n}`.length - 5) } });
  // One two-byte character in UTF-8 up front: a write cut short at the end of the slot must not pass for ASCII.
  for (let n = 860; n <= 1030; n++) heads.push({ url: `/latin${n}`, headers: { 'x-pad': `é${'p'.repeat(n - `/latin${n}`.length - 6)}` } });
  for (let n = 420; n <= 520; n++) heads.push({ url: `/utf16${n}`, headers: { 'x-pad': `é${'p'.repeat(n - `/utf16${n}`.length - 6)}` } });
  for (let count = 0; count <= 40; count++) {
    heads.push({ url: `/count${count}`, headers: Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, `v${i}`])) });
  }
  const journal = new Journal(heads.length);
  for (const head of heads) record(journal, head);
  const entries = journal.query().reverse();
  const wrong = heads.filter((head, i) => {
    const entry = entries[i];
    return entry.path !== head.url.split('?')[0] || JSON.stringify(Object.entries(entry.headers)) !== JSON.stringify(Object.entries(head.headers));
  });
  t.same(
    wrong.map((h) => h.url.slice(0, 40)),
    [],
  );
  t.same(entries[5].headers['x-u'], '😀 \u4e2d \ud800 lone \udfff', 'lone surrogates too');
});

t.test('the query is the query string as sent, parsed the way Fastify parses it', async (t) => {
  const journal = new Journal(10);
  for (const url of ['/p?a=1&a=2&b=%20x+y&c', '/p?', '/p', '/p?count=5&offset=0', '/p?x=%E4%B8%AD&bad=%E4']) record(journal, { url });
  t.same(
    journal.query().reverse().map((e) => [e.path, e.query]),
    [
      ['/p', { a: ['1', '2'], b: ' x y', c: '' }],
      ['/p', {}],
      ['/p', {}],
      ['/p', { count: '5', offset: '0' }],
      ['/p', { x: '中', bad: '%E4' }],
    ],
  );
});

t.test('bodies and long responses', async (t) => {
  const journal = new Journal(3);
  const body = { user: 'jane', password: 'p', nested: { token: 't', keep: 1 } };
  record(journal, { method: 'POST', url: '/login', body, payload: JSON.stringify({ data: { authToken: 'x' } }) });
  record(journal, { url: '/long', payload: 'y'.repeat(10_000) });
  record(journal, { url: '/text', payload: 'not json' });
  const [text, long, login] = journal.query();
  t.same(login.body, { user: 'jane', password: '[redacted]', nested: { token: '[redacted]', keep: 1 } });
  t.same(login.responseBody, { data: { authToken: '[redacted]' } });
  t.equal(long.responseBody, `${'y'.repeat(8192)}…`);
  t.equal(long.body, undefined);
  t.equal(text.responseBody, 'not json');
  t.equal(body.password, 'p', 'the recorded body itself is left as it was');
});

t.test('size 0 keeps nothing', async (t) => {
  const journal = new Journal(0);
  t.notOk(journal.enabled);
  record(journal, { url: '/x' });
  t.equal(journal.length, 0);
  t.same(journal.query(), []);
  t.equal(journal.count(), 0);
});

t.test('a proxied request is marked; an emulated one has no mark, also in a slot a proxied one used before', async (t) => {
  const journal = new Journal(2);
  record(journal, { url: '/api/v1/me', proxied: true });
  record(journal, { url: '/api/v1/me?x=1' });
  const [first, proxied] = journal.query();
  let emulated = first;
  t.equal(proxied.proxied, true);
  t.notOk('proxied' in emulated);
  record(journal, { url: '/api/v1/me?x=2' });
  [emulated] = journal.query();
  t.equal(emulated.path, '/api/v1/me');
  t.same(emulated.query, { x: '2' });
  t.notOk('proxied' in emulated);
});
