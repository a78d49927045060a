import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { parseCli, type CliOptions } from '../../src/cli-options.js';
import { INFO_CALL, JOHN as JOHN_HEADERS } from '../providers/rocketchat/fixtures.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

function folder(t: Test, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const options = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => parseCli(argv, env, cwd) as CliOptions;
const DEFAULTS = options([], {}, tmpdir());

t.test('a config file in the working folder sets options with the flag names as keys; flag > env > file > default', async (t) => {
  const dir = folder(t, {
    'vconf-emulator.config.json': JSON.stringify({ port: 5000, host: '0.0.0.0', 'rate-limits': 'off', 'journal-size': 10, 'log-level': 'warn', fixtures: 'f/fixtures.json', db: 'data.db' }),
  });
  t.same(options([], {}, dir), {
    ...DEFAULTS,
    port: 5000,
    host: '0.0.0.0',
    rateLimits: false,
    journalSize: 10,
    logLevel: 'warn',
    fixtures: join(dir, 'f/fixtures.json'),
    db: join(dir, 'data.db'),
  });
  const env = { VCONF_PORT: '6000', VCONF_LOG_LEVEL: 'debug' };
  const fromEnv = options([], env, dir);
  t.equal(fromEnv.port, 6000, 'env beats the file');
  t.equal(fromEnv.logLevel, 'debug');
  t.equal(fromEnv.host, '0.0.0.0', 'the file beats the default');
  const fromFlag = options(['--port', '7000', '--fixtures', 'here.json'], env, dir);
  t.equal(fromFlag.port, 7000, 'a flag beats env and file');
  t.equal(fromFlag.fixtures, 'here.json', 'a path given as a flag is left as given');
  t.equal(fromFlag.logLevel, 'debug');
  t.equal(fromFlag.journalSize, 10);
  t.equal(options([], {}, tmpdir()).port, 4010, 'no file: the default');
});

t.test('YAML, --config and VCONF_CONFIG; booleans for switches', async (t) => {
  const dir = folder(t, {
    'vconf-emulator.config.yaml': '# QA settings\nport: 4500\nrate-limits: false\nwatch-fixtures: true\nfixtures: ./mine.json\n',
    'other.yml': 'control-access: any\nadmin-token: s3cret\n',
  });
  t.same(options([], {}, dir), { ...DEFAULTS, port: 4500, rateLimits: false, watchFixtures: true, fixtures: join(dir, 'mine.json') });
  t.same(options(['--config', 'other.yml'], {}, dir), { ...DEFAULTS, controlAccess: 'any', adminToken: 's3cret' }, '--config replaces the working folder file');
  t.same(options([], { VCONF_CONFIG: join(dir, 'other.yml') }, tmpdir()), { ...DEFAULTS, controlAccess: 'any', adminToken: 's3cret' });
  t.equal(options([], {}, folder(t, { 'vconf-emulator.config.yml': '' })).port, 4010, 'an empty YAML file sets nothing');
  t.equal(options(['--watch-fixtures', '--fixtures', 'x.json'], {}, tmpdir()).watchFixtures, true);
  t.equal(options(['--fixtures', 'x.json'], { VCONF_WATCH_FIXTURES: 'on' }, tmpdir()).watchFixtures, true);
});

t.test('a bad config file, key or value is a one-line message naming the file and the key', async (t) => {
  const cases: [Record<string, string>, string[], string][] = [
    [{ 'vconf-emulator.config.json': '{"rateLimits": "off"}' }, [], 'unknown key "rateLimits"; the keys are the flag names: port, host, db, fixtures, watch-fixtures, rate-limits, rate-limit-scale, log-level, log-format, journal-size, admin-token, control-access, public-url'],
    [{ 'vconf-emulator.config.json': '{"port": 70000}' }, [], 'invalid "port" 70000: a port is a whole number from 0 to 65535 (0 picks a free one)'],
    [{ 'vconf-emulator.config.json': '{"port": "4010x"}' }, [], 'invalid "port" "4010x": a port is a whole number from 0 to 65535 (0 picks a free one)'],
    [{ 'vconf-emulator.config.json': '{"rate-limits": "maybe"}' }, [], 'invalid "rate-limits" "maybe": expected on or off'],
    [{ 'vconf-emulator.config.json': '{"host": true}' }, [], 'invalid "host" true: expected a string or a number'],
    [{ 'vconf-emulator.config.json': '{"watch-fixtures": "yes"}' }, [], 'invalid "watch-fixtures" "yes": expected on or off'],
    [{ 'vconf-emulator.config.json': '{"log-level": ["info"]}' }, [], 'invalid "log-level" ["info"]: expected a string or a number'],
    [{ 'vconf-emulator.config.json': '{"public-url": "emu.example"}' }, [], 'invalid "public-url" "emu.example": expected an absolute http or https URL'],
    [{ 'vconf-emulator.config.json': '[4010]' }, [], 'expected an object of options'],
  ];
  for (const [files, argv, message] of cases) {
    const dir = folder(t, files);
    t.throws(() => parseCli(argv, {}, dir), { message: `config file ${join(dir, Object.keys(files)[0])}: ${message}` }, message);
  }
  const dir = folder(t, { 'vconf-emulator.config.json': '{"port": 1', 'vconf-emulator.config.yml': 'port: [', 'a.yaml': 'port: [' });
  t.throws(() => parseCli(['--config', 'vconf-emulator.config.json'], {}, dir), { message: `config file ${join(dir, 'vconf-emulator.config.json')} is not valid JSON: line 1, column 11: Expected ',' or '}' after property value` });
  t.throws(() => parseCli(['--config', 'a.yaml'], {}, dir), { message: /^config file .*a\.yaml is not valid YAML: / });
  t.throws(() => parseCli([], {}, dir), {
    message: `more than one config file: ${join(dir, 'vconf-emulator.config.json')}, ${join(dir, 'vconf-emulator.config.yml')}; keep one, or choose with --config`,
  });
  t.throws(() => parseCli(['--config', 'none.json'], {}, dir), { message: `cannot read config file ${join(dir, 'none.json')}: ENOENT` });
  t.throws(() => parseCli(['--watch-fixtures'], {}, tmpdir()), { message: '--watch-fixtures needs a fixtures file (--fixtures, VCONF_FIXTURES or "fixtures" in the config file)' });
});

function run(args: string[], cwd: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => ({ code, stdout, stderr }));
  return { child, exited, stdout: () => stdout };
}

t.test('the real CLI reads its config file, and exits 2 with the message on a bad one', async (t) => {
  const dir = folder(t, { 'vconf-emulator.config.yaml': 'port: 0\nlog-level: silent\nrate-limits: off\n' });
  const { child, exited, stdout } = run([], dir);
  t.teardown(() => child.kill('SIGKILL'));
  while (!/listening on/.test(stdout())) await once(child.stdout, 'data');
  const url = /listening on (http:\/\/\S+)/.exec(stdout())![1];
  const res = await fetch(`${url}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN_HEADERS });
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-ratelimit-limit'), null, 'rate-limits: off from the file');
  child.kill('SIGTERM');
  t.equal((await exited).code, 0);

  const bad = folder(t, { 'vconf-emulator.config.json': '{"prot": 4010}' });
  const failed = await run([], bad).exited;
  t.equal(failed.code, 2);
  t.equal(failed.stderr.split('\n')[0], `vconf-emulator: config file ${join(bad, 'vconf-emulator.config.json')}: unknown key "prot"; the keys are the flag names: port, host, db, fixtures, watch-fixtures, rate-limits, rate-limit-scale, log-level, log-format, journal-size, admin-token, control-access, public-url, upstream, record (see --help)`);
});

t.test('--watch-fixtures: a change re-seeds the default world only; a broken file is reported and the old data kept', async (t) => {
  const dir = folder(t);
  mkdirSync(join(dir, 'fx'));
  const file = join(dir, 'fx', 'fixtures.json');
  const set = Object.fromEntries(['rocketchat', 'signalwire', 'dingtalk'].map((slug) => [slug, JSON.parse(readFileSync(join(FIXTURES, `${slug}.json`), 'utf8'))]));
  const text = JSON.stringify(set, null, 2);
  writeFileSync(file, text);
  const { child, exited, stdout } = run(['--port', '0', '--fixtures', file, '--watch-fixtures'], dir);
  t.teardown(() => child.kill('SIGKILL'));
  while (!/listening on/.test(stdout())) await once(child.stdout, 'data');
  const url = /listening on (http:\/\/\S+)/.exec(stdout())![1];
  const title = async (headers: Record<string, string>) => {
    const res = await fetch(`${url}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers });
    return res.status === 200 ? ((await res.json()) as { title: string }).title : res.status;
  };
  const logLine = async (message: string) => {
    for (;;) {
      const line = stdout().split('\n').find((l) => l.includes(message));
      if (line) return JSON.parse(line) as Record<string, unknown>;
      await once(child.stdout, 'data');
    }
  };
  const created = (await (await fetch(`${url}/_emulator/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
    credentials: { rocketchat: { users: { userId: string; authToken: string }[] } };
  };
  const other = { 'X-User-Id': created.credentials.rocketchat.users[0].userId, 'X-Auth-Token': created.credentials.rocketchat.users[0].authToken };
  t.equal(await title(JOHN_HEADERS), 'testdiscussion');
  t.equal(await title(other), 'testdiscussion');

  writeFileSync(file, text.replaceAll('"title": "testdiscussion"', '"title": "renamed in the file"'));
  t.match(await logLine('the default world is re-seeded'), { level: 30, fixtures: file });
  t.equal(await title(JOHN_HEADERS), 'renamed in the file', 'the default world follows the file');
  t.equal(await title(other), 'testdiscussion', 'another world keeps its data');
  const later = (await (await fetch(`${url}/_emulator/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fixtures":"default"}' })).json()) as typeof created;
  const laterUser = later.credentials.rocketchat.users[0];
  t.equal(await title({ 'X-User-Id': laterUser.userId, 'X-Auth-Token': laterUser.authToken }), 'renamed in the file', 'new worlds get the new default fixtures');

  writeFileSync(file, JSON.stringify({ rocketchat: { users: 5 } }));
  t.match(await logLine('does not load'), { level: 50, fixtures: file, error: `fixtures file ${file} does not match fixtures/schema.json:\n  /rocketchat/users: must be array` });
  t.equal(await title(JOHN_HEADERS), 'renamed in the file', 'a broken file leaves the data as it was');
  writeFileSync(file, '{"rocketchat": ');
  t.match(await logLine('is not valid JSON'), { level: 50 });
  t.equal(await title(JOHN_HEADERS), 'renamed in the file');
  child.kill('SIGTERM');
  t.equal((await exited).code, 0);
});

t.test('--upstream is repeatable, comma-separated in the environment, a list or an object in a config file; --record needs it', async (t) => {
  const dir = folder(t);
  t.same(options(['--upstream', 'rocketchat=https://chat.example.com/', '--upstream', 'dingtalk=http://127.0.0.1:9000'], {}, dir).upstream, {
    rocketchat: 'https://chat.example.com',
    dingtalk: 'http://127.0.0.1:9000',
  });
  t.same(options([], { VCONF_UPSTREAM: 'signalwire=https://x.signalwire.com, rocketchat=http://h' }, dir).upstream, { signalwire: 'https://x.signalwire.com', rocketchat: 'http://h' });
  const object = folder(t, { 'vconf-emulator.config.yaml': 'upstream:\n  rocketchat: https://chat.example.com\nrecord: rec/rc.har\n' });
  const fromObject = options([], {}, object);
  t.same(fromObject.upstream, { rocketchat: 'https://chat.example.com' });
  t.equal(fromObject.record, join(object, 'rec/rc.har'), 'a relative record path counts from the config file');
  const list = folder(t, { 'vconf-emulator.config.json': JSON.stringify({ upstream: ['dingtalk=https://api.dingtalk.com'] }) });
  t.same(options([], {}, list).upstream, { dingtalk: 'https://api.dingtalk.com' });
  t.same(options(['--upstream', 'signalwire=http://flag'], {}, list).upstream, { signalwire: 'http://flag' }, 'the flags replace the file\'s list');

  t.throws(() => parseCli(['--upstream', 'zoom=http://x'], {}, dir), { message: 'invalid --upstream "zoom=http://x": expected <provider>=<base URL>, the provider one of rocketchat, signalwire, dingtalk' });
  t.throws(() => parseCli(['--upstream', 'rocketchat=ftp://x'], {}, dir), { message: 'invalid --upstream "rocketchat=ftp://x": expected an absolute http or https URL after rocketchat=' });
  t.throws(() => parseCli(['--upstream', 'rocketchat=http://a', '--upstream', 'rocketchat=http://b'], {}, dir), { message: 'invalid --upstream "rocketchat=http://a,rocketchat=http://b": rocketchat is given twice' });
  t.throws(() => parseCli(['--record', 'x.har'], {}, dir), {
    message: '--record needs an upstream (--upstream, VCONF_UPSTREAM or "upstream" in the config file): only proxied exchanges are recorded',
  });
  const bad = folder(t, { 'vconf-emulator.config.json': JSON.stringify({ upstream: true }) });
  t.throws(() => parseCli([], {}, bad), { message: `config file ${join(bad, 'vconf-emulator.config.json')}: invalid "upstream" true: expected a string, a list of strings or an object of strings` });
});
