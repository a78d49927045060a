import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseCli } from '../../src/cli-options.js';

// The CLI under test is the built one (`npm test` builds first), as users run it.
const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal, stdout, stderr }));
  return { child, exited, output: () => stdout };
}

t.test('the real CLI serves HTTP, prints its URL and shuts down on SIGTERM', async (t) => {
  const { child, exited, output } = run(['--port', '0', '--log-level', 'silent']);
  t.teardown(() => child.kill('SIGKILL'));
  while (!/listening on (http:\/\/\S+)/.test(output())) await once(child.stdout, 'data');
  const url = /listening on (http:\/\/\S+)/.exec(output())![1];
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${url}/api/v1/video-conference.info?callId=697866d5c8b053302078137a`, {
    headers: { 'X-User-Id': 'CkCPNctrgCDfmWLqC', 'X-Auth-Token': '1Dd4iN_ClKn5jl-xPC36snQ4s9Zd5GZnXCQuCNSKcVE' },
  });
  t.equal(res.status, 200);
  t.equal((await res.json()).title, 'testdiscussion');
  child.kill('SIGTERM');
  const { code } = await exited;
  t.equal(code, 0, 'graceful exit');
});

t.test('the real CLI builds Rocket.Chat URLs from VCONF_PUBLIC_URL, else from where it listens', async (t) => {
  for (const [env, expected] of [[{ VCONF_PUBLIC_URL: 'https://emu.example:8443/' }, 'https://emu.example:8443'], [{}, null]] as const) {
    const { child, exited, output } = run(['--port', '0', '--log-level', 'silent'], env);
    t.teardown(() => child.kill('SIGKILL'));
    while (!/listening on (http:\/\/\S+)/.test(output())) await once(child.stdout, 'data');
    const url = /listening on (http:\/\/\S+)/.exec(output())![1];
    const res = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"jane.doe","password":"jane-pass"}' });
    t.equal((await res.json()).data.me.avatarUrl, `${expected ?? url}/avatar/jane.doe`);
    child.kill('SIGTERM');
    t.equal((await exited).code, 0);
  }
});

t.test('bad flags and unreadable fixtures: one clear line, exit 2, no stack trace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"rocketchat": ');
  const unexpected = join(dir, 'unexpected.json');
  writeFileSync(unexpected, '{\n  "rocketchat": {\n    "users": [1, 2,\n    ]\n  }\n}\n');
  const PORT = 'a port is a whole number from 0 to 65535 (0 picks a free one) (see --help)';
  const cases: [string[], Record<string, string>, string][] = [
    [['--port', 'abc'], {}, `vconf-emulator: invalid --port "abc": ${PORT}`],
    [['--port', '-1'], {}, `vconf-emulator: invalid --port "-1": ${PORT}`],
    [['--port=70000'], {}, `vconf-emulator: invalid --port "70000": ${PORT}`],
    [[], { VCONF_PORT: '-1' }, `vconf-emulator: invalid VCONF_PORT "-1": ${PORT}`],
    [['--port'], {}, 'vconf-emulator: --port needs a value (see --help)'],
    [['--port', '--host', 'x'], {}, 'vconf-emulator: --port needs a value (one starting with "-" is written --port=<value>) (see --help)'],
    [['--bogus'], {}, 'vconf-emulator: unknown option --bogus (see --help)'],
    [['serve'], {}, 'vconf-emulator: unexpected argument "serve": every option is a --flag (see --help)'],
    [['--watch-fixtures=yes'], {}, 'vconf-emulator: --watch-fixtures takes no value (see --help)'],
    [['--rate-limits', 'maybe'], {}, 'vconf-emulator: invalid --rate-limits "maybe": expected on or off (see --help)'],
    [[], { VCONF_RATE_LIMITS: 'false' }, 'vconf-emulator: invalid VCONF_RATE_LIMITS "false": expected on or off (see --help)'],
    [[], { VCONF_LOG_LEVEL: 'loud' }, 'vconf-emulator: invalid VCONF_LOG_LEVEL "loud": expected one of fatal, error, warn, info, debug, trace, silent (see --help)'],
    [['--log-format', 'xml'], {}, 'vconf-emulator: invalid --log-format "xml": expected pretty or json (see --help)'],
    [['--fixtures', join(dir, 'missing.json')], {}, `vconf-emulator: cannot read fixtures file ${join(dir, 'missing.json')}: ENOENT`],
    [['--fixtures', broken], {}, `vconf-emulator: fixtures file ${broken} is not valid JSON: line 1, column 16: Unexpected end of JSON input`],
    [['--fixtures', unexpected], {}, `vconf-emulator: fixtures file ${unexpected} is not valid JSON: line 4, column 5: Unexpected token ']'`],
    [['--db', join(dir, 'no', 'such', 'dir.db')], {}, `vconf-emulator: cannot open database ${join(dir, 'no', 'such', 'dir.db')}: Cannot open database because the directory does not exist`],
  ];
  for (const [args, env, line] of cases) {
    const { exited } = run(args, env);
    const { code, stderr, stdout } = await exited;
    t.equal(code, 2, args.join(' ') || JSON.stringify(env));
    t.equal(stderr, `${line}\n`, 'one line');
    t.equal(stdout, '', 'no usage');
  }
});

t.test('fixtures that break the schema: the file once, then each JSON path', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fixtures.json');
  writeFileSync(file, JSON.stringify({ rocketchat: { users: 5, rooms: [] }, zoom: {} }));
  const { code, stderr } = await run(['--fixtures', file]).exited;
  t.equal(code, 2);
  t.equal(
    stderr,
    `vconf-emulator: fixtures file ${file} does not match fixtures/schema.json:\n` +
      "  (the whole file): must NOT have additional property 'zoom'\n" +
      '  /rocketchat/users: must be array\n',
  );
});

t.test('--version prints the version; --help the usage', async (t) => {
  const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
  const { code, stdout, stderr } = await run(['--version']).exited;
  t.same([code, stdout, stderr], [0, `vconf-emulator ${version}\n`, '']);
  t.equal(parseCli(['--version', '--port', 'x'], {}), 'version');
  const help = await run(['--help']).exited;
  t.equal(help.code, 0);
  t.match(help.stdout, /^usage: vconf-emulator \[--version\] \[--config <file>\] \[--port 4010\]/);
  t.match(help.stdout, '[--log-format pretty|json]');
});

t.test('a port in use: said in words, with what to do', async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => taken.close());
  const port = (taken.address() as AddressInfo).port;
  const { code, stderr, stdout } = await run(['--port', String(port)]).exited;
  t.equal(code, 1);
  t.equal(stderr, `vconf-emulator: port ${port} is already in use on 127.0.0.1 (another emulator or server is listening there); choose another with --port <number>, or --port 0 for any free port\n`);
  t.equal(stdout, '', 'no banner');
});

t.test('flags win over the environment', async (t) => {
  t.same(parseCli([], {}), {
    port: 4010,
    host: '127.0.0.1',
    db: ':memory:',
    fixtures: undefined,
    rateLimits: true,
    rateLimitScale: 1,
    logLevel: 'info',
    journalSize: 1000,
    adminToken: undefined,
    publicUrl: undefined,
    controlAccess: 'loopback',
    watchFixtures: false,
  });
  t.same(parseCli(['--port', '5000', '--rate-limits', 'off'], { VCONF_PORT: '6000', VCONF_HOST: '0.0.0.0', VCONF_DB: '/tmp/x.db', VCONF_RATE_LIMITS: 'on' }), {
    port: 5000,
    host: '0.0.0.0',
    db: '/tmp/x.db',
    fixtures: undefined,
    rateLimits: false,
    rateLimitScale: 1,
    logLevel: 'info',
    journalSize: 1000,
    adminToken: undefined,
    publicUrl: undefined,
    controlAccess: 'loopback',
    watchFixtures: false,
  });
  t.same(parseCli(['--journal-size', '0'], { VCONF_ADMIN_TOKEN: 's3cret' }).valueOf(), { ...(parseCli([], {}) as object), journalSize: 0, adminToken: 's3cret' });
  t.throws(() => parseCli(['--journal-size=-1'], {}), { message: 'invalid --journal-size "-1": expected an integer from 0 to 10000000' });
  t.throws(() => parseCli(['--journal-size', '-1'], {}), { message: 'invalid --journal-size "-1": expected an integer from 0 to 10000000' });
  t.throws(() => parseCli(['--rate-limit-scale', '-0.5'], {}), { message: 'invalid --rate-limit-scale "-0.5": expected a number greater than 0' });
  t.equal((parseCli(['--rate-limit-scale', '0.5'], {}) as { rateLimitScale: number }).rateLimitScale, 0.5);
  t.equal((parseCli([], { VCONF_RATE_LIMIT_SCALE: '10' }) as { rateLimitScale: number }).rateLimitScale, 10);
  for (const bad of ['0', 'x', '-1', '']) {
    t.throws(() => parseCli([`--rate-limit-scale=${bad}`], {}), { message: `invalid --rate-limit-scale "${bad}": expected a number greater than 0` });
  }
  t.equal((parseCli([], { VCONF_CONTROL_ACCESS: 'any' }) as { controlAccess: string }).controlAccess, 'any');
  t.throws(() => parseCli(['--control-access', 'lan'], {}), { message: 'invalid --control-access "lan": expected loopback or any' });
  t.equal(parseCli(['--help'], {}), 'help');
  t.equal((parseCli(['--public-url', 'https://emu.example/rc/'], { VCONF_PUBLIC_URL: 'http://x' }) as { publicUrl: string }).publicUrl, 'https://emu.example/rc');
  t.equal((parseCli([], { VCONF_PUBLIC_URL: 'http://10.0.0.5:4010' }) as { publicUrl: string }).publicUrl, 'http://10.0.0.5:4010');
  for (const bad of ['', 'emu.example', 'ftp://emu.example']) {
    t.throws(() => parseCli([`--public-url=${bad}`], {}), { message: `invalid --public-url "${bad}": expected an absolute http or https URL` });
  }
});

t.test('--control-access any without a token prints a warning at start', async (t) => {
  const { child, exited, output } = run(['--port', '0', '--log-level', 'silent'], { VCONF_CONTROL_ACCESS: 'any' });
  t.teardown(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  while (!/listening on/.test(output())) await once(child.stdout, 'data');
  t.equal(
    stderr,
    'vconf-emulator: warning: the control plane (/_emulator/) answers any caller that reaches this port, with no token (--control-access any). ' +
      'Publish the port to this machine only (docker run -p 127.0.0.1:4010:4010), or set --admin-token / VCONF_ADMIN_TOKEN.\n',
  );
  child.kill('SIGTERM');
  t.equal((await exited).code, 0);
});
