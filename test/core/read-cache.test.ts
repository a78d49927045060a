import t from 'tap';
import { openDatabase } from '../../src/core/db.js';
import { ReadCache } from '../../src/core/read-cache.js';
import { build, call } from '../helper.js';
import { JOHN, INFO_CALL, UI_TEST } from '../providers/rocketchat/fixtures.js';
import { AUTH, WEEKLY_SYNC } from '../providers/signalwire/fixtures.js';
import { STARTED, tokenOf } from '../providers/dingtalk/fixtures.js';

function fixture() {
  const db = openDatabase(':memory:', ['CREATE TABLE things (id TEXT PRIMARY KEY, v TEXT NOT NULL)']);
  db.prepare('INSERT INTO things VALUES (?, ?)').run('a', '1');
  const read = db.prepare('SELECT v FROM things WHERE id = ?').pluck();
  let loads = 0;
  const cache = new ReadCache<{ v: string } | undefined>(db, 3);
  const get = (id: string) =>
    cache.get(id, () => {
      loads++;
      const v = read.get(id) as string | undefined;
      return v === undefined ? undefined : { v };
    });
  return { db, get, loads: () => loads };
}

t.test('a read is kept until the next write through any statement', async (t) => {
  const { db, get, loads } = fixture();
  t.teardown(() => db.close());
  t.same([get('a'), get('a'), get('zz'), get('zz')], [{ v: '1' }, { v: '1' }, undefined, undefined]);
  t.equal(loads(), 2, 'a hit and a cached miss load nothing');
  db.prepare('UPDATE things SET v = ? WHERE id = ?').run('2', 'a');
  t.same(get('a'), { v: '2' }, 'a write through a new statement is seen');
  db.exec("INSERT INTO things VALUES ('zz', '3')");
  t.same(get('zz'), { v: '3' }, 'db.exec counts as a write');
  t.equal(loads(), 4);
  const upsert = db.prepare("INSERT INTO things VALUES ('b', '4') ON CONFLICT (id) DO UPDATE SET v = excluded.v RETURNING v").pluck();
  t.equal(upsert.get(), '4', 'a writing statement read with get() still counts');
  t.same(get('b'), { v: '4' });
});

t.test('values are frozen; reads inside a transaction are not kept, and a rollback leaves nothing stale', async (t) => {
  const { db, get, loads } = fixture();
  t.teardown(() => db.close());
  const value = get('a')!;
  t.throws(() => ((value as { v: string }).v = 'x'), TypeError, 'a caller cannot change a cached value');
  const update = db.prepare('UPDATE things SET v = ? WHERE id = ?');
  t.throws(() =>
    db.transaction(() => {
      update.run('rolled back', 'a');
      t.same(get('a'), { v: 'rolled back' }, 'inside the transaction the uncommitted row is read');
      throw new Error('abort');
    })(),
  );
  t.same(get('a'), { v: '1' }, 'after the rollback the committed row is read');
  const before = loads();
  get('a');
  t.equal(loads(), before, 'and kept again');
});

t.test('the cache is bounded, in entries and in key length', async (t) => {
  const { db, get, loads } = fixture();
  t.teardown(() => db.close());
  for (const id of ['a', 'b', 'c', 'd']) get(id);
  t.equal(loads(), 4);
  get('a');
  t.equal(loads(), 5, 'filling past the bound dropped the older entries');
  const long = 'x'.repeat(513);
  t.same([get(long), get(long)], [undefined, undefined]);
  t.equal(loads(), 7, 'a key over 512 characters is answered, not kept');
});

t.test('every provider answers from current state right after a cached read', async (t) => {
  const app = await build(t, { rateLimits: false });
  // Rocket.Chat: a token read (and cached) then logged out stops working at once.
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN })).status, 200);
  const info = (await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN })).body;
  t.equal(info.endedAt, undefined);
  const ended = await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${INFO_CALL}/end` });
  t.equal(ended.status, 200);
  const after = (await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN })).body;
  t.same([after.status, after.endedAt], [ended.body.status, ended.body.endedAt], 'info shows the ended call');
  const list = () => call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  const before = (await list()).body;
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST } });
  const listed = (await list()).body;
  t.same([listed.total, listed.data[0]._id], [before.total + 1, started.body.data.callId], 'a list read before a start shows the new call after it');
  t.equal((await call(app, { method: 'POST', url: '/api/v1/logout', headers: JOHN })).status, 200);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN })).status, 401);

  // SignalWire: a conference read then deleted is gone; the credential still works.
  t.equal((await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH })).status, 200);
  t.equal((await call(app, { method: 'DELETE', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH })).status, 204);
  t.equal((await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH })).status, 404);

  // DingTalk: a token read then replaced by a world reset is refused.
  const token = await tokenOf(app);
  const headers = { 'x-acs-dingtalk-access-token': token };
  t.equal((await call(app, { method: 'GET', url: `/v1.0/conference/videoConferences/${STARTED}`, headers })).status, 200);
  t.equal((await call(app, { method: 'POST', url: '/_emulator/worlds/default/reset' })).status, 204);
  const refused = await call(app, { method: 'GET', url: `/v1.0/conference/videoConferences/${STARTED}`, headers });
  t.same([refused.status, refused.body.code], [400, 'InvalidAuthentication']);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN })).status, 200, 'the reset brought the fixture token back');
});
