import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openFailure, SCHEMA_VERSION } from '../../src/core/db.js';
import { ROOT } from '../../src/core/paths.js';
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

t.test('a database in a folder or file this user may not write: the error says it is a permissions problem and how to fix it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-db-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'ro'));
  const app = await buildApp({ db: join(dir, 'old.db') });
  await app.close();
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'ro'), 0o555);
  chmodSync(join(dir, 'old.db'), 0o444);
  // Root may write anywhere: as root, the attempt runs as nobody.
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? '65534:65534' : `${process.getuid!()}:${process.getgid!()}`;
  const open = async (db: string): Promise<string> => {
    if (!asRoot) return buildApp({ db }).then(() => 'opened', (err: Error) => `${err.constructor.name}: ${err.message}`);
    const script = `import('${pathToFileURL(join(ROOT, 'dist/src/app.js')).href}').then((m) => m.buildApp({ db: process.argv[1] })).then(() => console.log('opened'), (e) => console.log(e.constructor.name + ': ' + e.message))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, db], { uid: 65534, gid: 65534, cwd: dir });
    return stdout.trim();
  };
  const fix = (target: string) =>
    `a permissions problem: the ${target === dir + '/ro' ? 'folder' : 'file'} ${target} is not writable by this process (uid:gid ${ids}), and SQLite writes there ` +
    `(the database and its -wal and -shm files beside it). Fix: chown ${ids} ${target}, run as its owner (docker run --user "$(id -u):$(id -g)"), ` +
    'use a Docker named volume (-v vconf-data:/data), or choose another database path';
  t.equal(await open(join(dir, 'ro', 'x.db')), `DatabaseError: cannot open database ${join(dir, 'ro', 'x.db')}: unable to open database file: ${fix(join(dir, 'ro'))}`);
  t.equal(await open(join(dir, 'old.db')), `DatabaseError: cannot open database ${join(dir, 'old.db')}: attempt to write a readonly database: ${fix(join(dir, 'old.db'))}`);
});

t.test('openFailure: other SQLite errors, and a failure that is not about permissions, keep their own words', async (t) => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  t.equal(openFailure('/x/y.db', err('SQLITE_CORRUPT', 'database disk image is malformed')), 'cannot open database /x/y.db: database disk image is malformed');
  t.equal(openFailure(join(tmpdir(), 'y.db'), err('SQLITE_CANTOPEN', 'unable to open database file'), () => undefined), `cannot open database ${join(tmpdir(), 'y.db')}: unable to open database file`);
  const refused = () => {
    throw new Error('EACCES');
  };
  t.match(openFailure('rel.db', err('SQLITE_CANTOPEN', 'unable to open database file'), refused), `: a permissions problem: the folder ${process.cwd()} is not writable`);
});
