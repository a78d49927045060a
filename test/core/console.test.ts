import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { buildApp, type EmulatorOptions } from '../../src/app.js';
import { startBanner, type BannerFacts } from '../../src/banner.js';
import { parseCli, type CliOptions } from '../../src/cli-options.js';
import { colorsWanted, consoleSettings, EmulatorLog } from '../../src/core/log.js';
import { redactUrl } from '../../src/core/redact.js';
import { build, call, T0_MS } from '../helper.js';
import { ADMIN, INFO_CALL, JOHN, UI_TEST } from '../providers/rocketchat/fixtures.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const ESC = '\u001b[';
const uncoloured = (text: string) => text.replace(new RegExp(`${ESC.replace('[', '\\[')}\\d+m`, 'g'), '');
const INFO_OP = 'get-api-v1-video-conference.info';

/** An emulator whose log lines are collected, one string per line. */
async function logged(t: Test, options: EmulatorOptions = {}) {
  const lines: string[] = [];
  const stream = { write: (text: string) => void lines.push(...text.split('\n').filter((l) => l !== '')) };
  const app = await build(t, { logLevel: 'info', logFormat: 'json', logStream: stream, ...options });
  return { app, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const requestFields = (o: Record<string, unknown>) => {
  const { level, time, pid, hostname, ...rest } = o;
  return { level, time: typeof time, pid: typeof pid, hostname: typeof hostname, ...rest };
};

t.test('JSON: one object per provider request with world, provider, operation, redacted target, status and time', async (t) => {
  const { app, json } = await logged(t);
  const res = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(res.status, 200);
  await call(app, { method: 'GET', url: '/api/v1/me?authToken=s3cr3t-value&x=1', headers: JOHN });
  await call(app, { method: 'GET', url: '/_emulator/worlds' });
  await call(app, { method: 'GET', url: '/' });
  const entries = json();
  t.equal(entries.length, 2, 'one line per provider request; the control plane and dashboard stay at debug');
  t.same(
    entries.map((e) => ({ ...requestFields(e), durationMs: typeof e.durationMs })),
    [
      {
        level: 30,
        time: 'number',
        pid: 'number',
        hostname: 'string',
        world: 'default',
        provider: 'rocketchat',
        operationId: INFO_OP,
        method: 'GET',
        url: `/api/v1/video-conference.info?callId=${INFO_CALL}`,
        status: 200,
        durationMs: 'number',
        fault: null,
        rateLimited: false,
        proxied: false,
        msg: 'request',
      },
      {
        level: 30,
        time: 'number',
        pid: 'number',
        hostname: 'string',
        world: 'default',
        provider: 'rocketchat',
        operationId: 'get-api-v1-me',
        method: 'GET',
        url: '/api/v1/me?authToken=[redacted]&x=1',
        status: 200,
        durationMs: 'number',
        fault: null,
        rateLimited: false,
        proxied: false,
        msg: 'request',
      },
    ],
  );
  t.notMatch(JSON.stringify(entries), /s3cr3t-value/);
});

t.test('JSON lines stay JSON whatever the target holds', async (t) => {
  const lines: string[] = [];
  const log = new EmulatorLog({ level: 'info', format: 'json', colors: false, stream: { write: (line: string) => void lines.push(line) } });
  const url = '/a?b="q"\\\u0001é\ud800&token=x';
  log.request({ world: 'w"1', provider: 'rocketchat', operationId: null, method: 'GET', url, status: 200, durationMs: 0.125, fault: null, rateLimited: false, proxied: false });
  t.equal(lines.length, 1);
  t.ok(lines[0].endsWith('}\n'));
  const { time, pid, hostname, ...rest } = JSON.parse(lines[0]);
  t.same([typeof time, pid, typeof hostname], ['number', process.pid, 'string']);
  t.same(rest, {
    level: 30,
    world: 'w"1',
    provider: 'rocketchat',
    operationId: null,
    method: 'GET',
    url: '/a?b="q"\\\u0001é\ud800&token=[redacted]',
    status: 200,
    durationMs: 0.125,
    fault: null,
    rateLimited: false,
    proxied: false,
    msg: 'request',
  });
});

t.test('to a file descriptor: the lines of a turn in one asynchronous write, all of them written by close', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'out.log');
  const fd = openSync(file, 'w');
  const log = new EmulatorLog({ level: 'info', format: 'pretty', colors: false, fd });
  const line = { world: 'default', provider: 'dingtalk', operationId: null, method: 'GET', url: '/v1.0/x', status: 200, durationMs: 1, fault: null, rateLimited: false, proxied: false };
  for (let i = 0; i < 3; i++) log.request({ ...line, status: 200 + i });
  t.equal(readFileSync(file, 'utf8'), '', 'nothing written during the turn');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(readFileSync(file, 'utf8').split('\n').length, 4, 'written after it');
  log.request({ ...line, status: 404 });
  log.logger.error({ err: new Error('boom') }, 'it broke');
  log.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  t.match(lines[3], / 404 1\.00 ms$/, 'close writes what is pending');
  t.match(lines[4], /^\d\d:\d\d:\d\d\.\d{3} ERROR it broke$/);
  t.match(lines[5], /^Error: boom$/, 'then the stack');
  closeSync(fd);
});

t.test('a token in the query string is never written raw, at any level, in either format', async (t) => {
  for (const logFormat of ['json', 'pretty'] as const) {
    const { app, lines } = await logged(t, { logLevel: 'trace', logFormat });
    const secrets = ['rc-query-secret', 'dt-query-secret', 'encoded-secret', 'fragment-secret', 'pass-secret'];
    await call(app, { method: 'GET', url: '/api/v1/me?authToken=rc-query-secret', headers: JOHN });
    await call(app, { method: 'GET', url: '/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978?access_token=dt-query-secret' });
    await call(app, { method: 'GET', url: '/api/v1/me?auth%54oken=encoded-secret&x=%zz', headers: JOHN });
    await call(app, { method: 'GET', url: '/api/v1/me#?x-auth-token=fragment-secret', headers: JOHN });
    await call(app, { method: 'GET', url: '/_emulator/worlds?password=pass-secret' });
    const text = lines.join('\n');
    for (const secret of secrets) t.notMatch(text, secret, `${logFormat}: ${secret}`);
    t.match(text, 'authToken=[redacted]');
    t.match(text, 'access_token=[redacted]');
    t.match(text, 'auth%54oken=[redacted]&x=%zz');
    t.match(text, 'password=[redacted]');
  }
  t.equal(redactUrl('/api/v1/video-conference.list?roomId=GENERAL&count=10'), '/api/v1/video-conference.list?roomId=GENERAL&count=10', 'nothing secret: as sent');
  t.equal(redactUrl('/x?a=1&resume=abc&secret&b+token=2'), '/x?a=1&resume=[redacted]&secret=[redacted]&b+token=[redacted]');
});

t.test('marks: an injected fault, a rate-limited answer, a proxied exchange', async (t) => {
  const { app, json } = await logged(t);
  const fault = await call(app, { method: 'POST', url: '/_emulator/faults', payload: { match: { provider: 'rocketchat', operationId: INFO_OP }, action: { status: 401 }, times: 1 } });
  t.equal(fault.status, 201);
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  // video-conference.start allows 3 a minute (reference §8): the fourth is refused.
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST, title: `call ${i}` } });
    statuses.push(res.status);
  }
  t.same(statuses, [200, 200, 200, 429]);
  const entries = json();
  t.same(
    entries.map((e) => [e.status, e.fault, e.rateLimited, e.proxied]),
    [
      [401, fault.body.id, false, false],
      [200, null, false, false],
      [200, null, false, false],
      [200, null, false, false],
      [429, null, true, false],
    ],
  );

  const upstream = await buildApp({});
  t.teardown(() => upstream.close());
  await upstream.listen({ port: 0, host: '127.0.0.1' });
  const front = await logged(t, { upstream: { rocketchat: `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}` } });
  const proxied = await call(front.app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(proxied.status, 200);
  t.same(front.json().map((e) => [e.provider, e.operationId, e.status, e.proxied]), [['rocketchat', INFO_OP, 200, true]]);
});

t.test('pretty: one readable line per request, marks in words, colours only when asked', async (t) => {
  const { app, lines } = await logged(t, { logFormat: 'pretty', logLevel: 'debug' });
  await call(app, { method: 'POST', url: '/_emulator/faults', payload: { match: { provider: 'rocketchat', operationId: INFO_OP }, action: { status: 401 }, times: 1 } });
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: ADMIN });
  await call(app, { method: 'GET', url: '/_emulator/ui/' });
  t.equal(lines.length, 4);
  t.match(lines[0], /^\d\d:\d\d:\d\d\.\d{3} - control createFault POST \/_emulator\/faults 201 \d+\.\d\d ms$/);
  t.match(lines[1], new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} default rocketchat ${INFO_OP} GET /api/v1/video-conference\\.info\\?callId=${INFO_CALL} 401 \\d+\\.\\d\\d ms FAULT [0-9a-f-]{36}$`));
  t.match(lines[2], new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} default rocketchat ${INFO_OP} GET /api/v1/video-conference\\.info\\?callId=${INFO_CALL} 200 \\d+\\.\\d\\d ms$`));
  t.match(lines[3], /^\d\d:\d\d:\d\d\.\d{3} - dashboard - GET \/_emulator\/ui\/ (200|404) \d+\.\d\d ms$/);
  t.notMatch(lines.join('\n'), ESC, 'no escape codes without colours');

  const coloured = await logged(t, { logFormat: 'pretty', logColors: true });
  await call(coloured.app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(coloured.lines.length, 1);
  t.match(coloured.lines[0], ESC);
  const plain = uncoloured(coloured.lines[0]);
  t.notMatch(plain, ESC);
  t.equal(plain.replace(/^[\d:.]+/, 'T'), `T default rocketchat ${INFO_OP} GET /api/v1/video-conference.info?callId=${INFO_CALL} 200 ${/(\d+\.\d\d) ms/.exec(plain)![1]} ms`);

  t.equal(colorsWanted(true, {}), true);
  t.equal(colorsWanted(false, {}), false, 'not a terminal: no colours');
  t.equal(colorsWanted(true, { NO_COLOR: '' }), false);
  t.equal(colorsWanted(true, { TERM: 'dumb' }), false);
  t.equal(colorsWanted(false, { FORCE_COLOR: '1' }), true);
  t.equal(colorsWanted(true, { FORCE_COLOR: '0' }), false);
  t.same(consoleSettings(undefined, true, {}), { format: 'pretty', colors: true }, 'a terminal: pretty, in colour');
  t.same(consoleSettings(undefined, false, {}), { format: 'json', colors: false }, 'a pipe or file: JSON');
  t.same(consoleSettings('pretty', false, {}), { format: 'pretty', colors: false }, 'pretty into a file: no escape codes');
  t.same(consoleSettings('json', true, {}), { format: 'json', colors: false });
  t.same(consoleSettings(undefined, true, { NO_COLOR: '1' }), { format: 'pretty', colors: false });
});

t.test('warn and above: no request lines; silent: no logger at all', async (t) => {
  const { app, lines } = await logged(t, { logLevel: 'warn' });
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.same(lines, []);
  const quiet = await build(t, { logLevel: 'silent' });
  t.equal(quiet.emulator.log, undefined);
});

const facts = (options: Partial<CliOptions>, address: AddressInfo, inContainer = false): BannerFacts => ({
  version: '9.9.9',
  options: { ...(parseCli([], {}) as CliOptions), ...options },
  address,
  inContainer,
  providers: [
    { slug: 'rocketchat', prefix: '/api/v1' },
    { slug: 'signalwire', prefix: '/api/video' },
    { slug: 'dingtalk', prefix: '/v1.0' },
  ],
  builtInFixtures: '/pkg/fixtures',
});

t.test('the start banner: what runs where, and the address to use from a container host', async (t) => {
  const loopback = { address: '127.0.0.1', family: 'IPv4', port: 4010 };
  t.equal(
    startBanner(facts({}, loopback), 'pretty', false),
    [
      'vconf-emulator 9.9.9 listening on http://127.0.0.1:4010 (docs: http://127.0.0.1:4010/docs)',
      '  dashboard     http://127.0.0.1:4010/_emulator/ui/',
      '  API docs      http://127.0.0.1:4010/docs',
      '  fixtures      built-in (/pkg/fixtures)',
      '  database      :memory: (lost on exit)',
      '  rocketchat    emulated at /api/v1',
      '  signalwire    emulated at /api/video',
      '  dingtalk      emulated at /v1.0',
      '  control plane http://127.0.0.1:4010/_emulator: callers on this machine only (loopback), no token',
      '  rate limits   on',
      '  log           info, pretty (--log-level, --log-format)',
      '',
    ].join('\n'),
  );
  const docker = startBanner(
    facts({ host: '0.0.0.0', controlAccess: 'any', fixtures: '/data/f.json', db: '/data/e.db', upstream: { dingtalk: 'https://api.dingtalk.com' }, rateLimits: false }, { address: '0.0.0.0', family: 'IPv4', port: 4010 }, true),
    'pretty',
    false,
  );
  t.match(docker, /^vconf-emulator 9\.9\.9 listening on http:\/\/localhost:4010 \(docs: http:\/\/localhost:4010\/docs\)\n {16}\(in a container: from the host, use the port published with docker run -p <host port>:4010\)\n/);
  t.match(docker, '  fixtures      /data/f.json\n  database      /data/e.db\n');
  t.match(docker, '  dingtalk      proxied to https://api.dingtalk.com\n');
  t.match(docker, '  control plane http://localhost:4010/_emulator: any caller, no token (--control-access any)\n  rate limits   off\n');
  const bare = startBanner(facts({ host: '0.0.0.0' }, { address: '0.0.0.0', family: 'IPv4', port: 4010 }), 'pretty', false);
  t.match(bare, /listening on http:\/\/127\.0\.0\.1:4010 .*\n {16}\(bound to every interface of this machine\)\n/);
  const json = JSON.parse(startBanner(facts({ publicUrl: 'https://emu.example', adminToken: 'x' }, loopback), 'json', false));
  t.same({ ...json, time: typeof json.time }, {
    level: 30,
    time: 'number',
    msg: 'vconf-emulator 9.9.9 listening on http://127.0.0.1:4010 (docs: https://emu.example/docs)',
    version: '9.9.9',
    url: 'http://127.0.0.1:4010',
    publicUrl: 'https://emu.example',
    dashboard: 'https://emu.example/_emulator/ui/',
    docs: 'https://emu.example/docs',
    fixtures: 'built-in (/pkg/fixtures)',
    database: ':memory: (lost on exit)',
    providers: { rocketchat: 'emulated at /api/v1', signalwire: 'emulated at /api/video', dingtalk: 'emulated at /v1.0' },
    controlPlane: 'https://emu.example/_emulator: any caller with the admin token (--admin-token)',
    rateLimits: 'on',
    log: 'info, json',
  });
});

/** The built CLI with stdout a pipe (not a terminal), colour variables unset. */
function run(args: string[]) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  return { child, out: () => stdout };
}

async function until(child: ReturnType<typeof run>['child'], out: () => string, test: (text: string) => boolean): Promise<void> {
  while (!test(out())) await once(child.stdout, 'data');
}

t.test('the CLI: JSON when not on a terminal, pretty on request; the banner once; a line per provider request', async (t) => {
  for (const format of ['json', 'pretty'] as const) {
    const { child, out } = run(format === 'pretty' ? ['--log-format', 'pretty'] : []);
    t.teardown(() => child.kill('SIGKILL'));
    await until(child, out, (text) => /listening on (http:\/\/\S+) /.test(text));
    const url = /listening on (http:\/\/\S+) /.exec(out())![1];
    const res = await fetch(`${url}/api/v1/me?authToken=cli-secret`, { headers: JOHN });
    t.equal(res.status, 200);
    await (await fetch(`${url}/_emulator/worlds`)).arrayBuffer();
    await until(child, out, (text) => text.includes('get-api-v1-me'));
    child.kill('SIGTERM');
    await once(child, 'exit');
    const lines = out().trimEnd().split('\n');
    t.equal(lines.filter((l) => /listening/i.test(l)).length, 1, `${format}: "listening" once`);
    t.notMatch(out(), 'cli-secret');
    t.notMatch(out(), '/_emulator/worlds', 'control-plane traffic is at debug');
    t.notMatch(out(), ESC, 'not a terminal: no colours');
    if (format === 'json') {
      const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      t.match(objects[0], { level: 30, msg: /^vconf-emulator \d+\.\d+\.\d+ listening on http:\/\/127\.0\.0\.1:\d+ /, providers: { rocketchat: 'emulated at /api/v1' } });
      t.match(objects[1], { msg: 'request', provider: 'rocketchat', operationId: 'get-api-v1-me', url: '/api/v1/me?authToken=[redacted]', status: 200 });
      t.match(objects[2], { msg: 'shutting down', signal: 'SIGTERM' });
      t.equal(objects.length, 3);
    } else {
      t.match(lines[0], /^vconf-emulator \d+\.\d+\.\d+ listening on http:\/\/127\.0\.0\.1:\d+ \(docs: /);
      t.match(lines[1], /^ {2}dashboard {5}http:\/\/127\.0\.0\.1:\d+\/_emulator\/ui\/$/);
      const request = lines.find((l) => l.includes('get-api-v1-me'));
      t.match(request, /^\d\d:\d\d:\d\d\.\d{3} default rocketchat get-api-v1-me GET \/api\/v1\/me\?authToken=\[redacted\] 200 \d+\.\d\d ms$/);
      t.match(lines.at(-1), /^\d\d:\d\d:\d\d\.\d{3} INFO shutting down \{"signal":"SIGTERM"\}$/);
    }
  }
});

t.test('the CLI on 0.0.0.0: "listening" once, with an address that works from this machine', async (t) => {
  const { child, out } = run(['--host', '0.0.0.0', '--log-level', 'silent']);
  t.teardown(() => child.kill('SIGKILL'));
  await until(child, out, (text) => /listening on (http:\/\/\S+) /.test(text));
  const url = /listening on (http:\/\/\S+) /.exec(out())![1];
  const port = new URL(url).port;
  // In a container the host reaches it through a published port, at localhost; elsewhere loopback.
  const inContainer = existsSync('/.dockerenv') || existsSync('/run/.containerenv') || process.env.container !== undefined;
  t.equal(url, `http://${inContainer ? 'localhost' : '127.0.0.1'}:${port}`);
  const banner = JSON.parse(out().split('\n')[0]);
  t.equal(banner.note, inContainer ? `in a container: from the host, use the port published with docker run -p <host port>:${port}` : 'bound to every interface of this machine');
  t.equal((await fetch(`http://127.0.0.1:${port}/_emulator/health`)).status, 200);
  child.kill('SIGTERM');
  await once(child, 'exit');
  t.equal(out().match(/listening/gi)?.length, 1, 'once, not once per interface');
});

t.test('the Date header follows the world clock, on every provider', async (t) => {
  const app = await build(t);
  const at = (ms: number) => new Date(ms).toUTCString();
  const rc = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(rc.headers.date, at(T0_MS));
  t.equal(rc.headers.date, 'Sun, 01 Feb 2026 00:00:00 GMT');
  const sw = await call(app, { method: 'GET', url: '/api/video/conferences', headers: { authorization: `Basic ${Buffer.from('72a7ce5a-0281-4be1-a238-49fc41fafb42:PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5').toString('base64')}` } });
  t.equal(sw.status, 200);
  t.equal(sw.headers.date, at(T0_MS));
  const dt = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' } });
  t.equal(dt.status, 200);
  t.equal(dt.headers.date, at(T0_MS));
  const unauthorized = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}` });
  t.equal([unauthorized.status, unauthorized.headers.date].join(' '), `401 ${at(T0_MS)}`, 'errors too');

  t.equal((await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 90 * 86_400_000 + 1500 } })).status, 200);
  t.equal((await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN })).headers.date, 'Sat, 02 May 2026 00:00:01 GMT');
  const created = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { name: 'later', fixtures: 'default' } });
  t.equal(created.status, 201);
  await call(app, { method: 'POST', url: `/_emulator/worlds/${created.body.id}/clock`, payload: { now: '2030-06-15T12:34:56.789Z' } });
  const john = created.body.credentials.rocketchat.users.find((u: { username: string }) => u.username === 'john.doe');
  const other = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: { 'x-user-id': john.userId, 'x-auth-token': john.authToken } });
  t.equal(other.status, 200);
  t.equal(other.headers.date, 'Sat, 15 Jun 2030 12:34:56 GMT', "the world's own clock");
});
