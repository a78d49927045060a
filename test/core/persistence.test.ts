import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { SCHEMA_VERSION } from '../../src/core/db.js';
import { call, T0 } from '../helper.js';
import { JOHN, UI_TEST } from '../providers/rocketchat/fixtures.js';

t.test('a file database survives a restart and stores no raw token', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-db-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'emulator.db');

  const first = await buildApp({ db, now: T0, frozen: true, rateLimits: false });
  const login = await call(first, { method: 'POST', url: '/api/v1/login', payload: { user: 'jane.doe', password: 'jane-pass' } });
  const token: string = login.body.data.authToken;
  const started = await call(first, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST, title: 'kept' } });
  const callId: string = started.body.data.callId;
  t.equal(first.emulator.db.pragma('journal_mode', { simple: true }), 'wal');
  await first.close();
  t.same(readdirSync(dir), ['emulator.db'], 'a clean close checkpoints and removes the WAL files');

  const bytes = readFileSync(db);
  t.notOk(bytes.includes(Buffer.from(token)), 'the issued token is not in the file');
  t.notOk(bytes.includes(Buffer.from(JOHN['x-auth-token'])), 'the fixture token is not in the file');
  t.notOk(bytes.includes(Buffer.from('jane-pass')), 'no password in the file');

  const second = await buildApp({ db, now: T0, frozen: true, rateLimits: false });
  t.teardown(() => second.close());
  const me = await call(second, { method: 'GET', url: '/api/v1/me', headers: { 'x-user-id': 'fRv4qm8ycWHXSA7af', 'x-auth-token': token } });
  t.equal(me.status, 200, 'the token issued before the restart still works');
  const info = await call(second, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: JOHN });
  t.same([info.status, info.body.title], [200, 'kept'], 'the call is still there');
  const list = await call(second, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  t.equal(list.body.total, 3, 'fixtures were not loaded a second time');
});

t.test('a database of another schema version is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-db-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'old.db');
  const app = await buildApp({ db });
  app.emulator.db.pragma('user_version = 99');
  await app.close();
  await t.rejects(buildApp({ db }), { message: `database ${db} has schema version 99, this emulator needs ${SCHEMA_VERSION}` });
  await t.rejects(buildApp({ db: join(dir, 'missing', 'x.db') }), { name: 'Error', message: /^cannot open database/ });
});
