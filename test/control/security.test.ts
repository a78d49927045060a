import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseCli, type CliOptions } from '../../src/cli-options.js';
import { build, call } from '../helper.js';

const BRIDGE = '172.17.0.1'; // where a published port's callers come from, seen inside a container

t.test('by default the control plane answers loopback callers only; health answers everyone', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/_emulator/worlds', remoteAddress: '10.1.2.3' });
  t.equal(res.status, 403);
  t.same(res.body, {
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
    detail: 'The control plane answers loopback callers only; start the emulator with --control-access any or --admin-token to open it',
  });
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
    t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds', remoteAddress: address })).status, 200, address);
  }
  const health = await call(app, { method: 'GET', url: '/_emulator/health?probe=1', remoteAddress: '10.1.2.3' });
  t.same([health.status, health.body.status], [200, 'ok'], 'health is open to a remote caller');
  const provider = await call(app, { method: 'GET', url: '/api/v1/video-conference.providers', remoteAddress: '10.1.2.3' });
  t.equal(provider.status, 401, 'provider APIs are open to everyone');
});

t.test('with an admin token everyone needs it, except for health', async (t) => {
  const app = await build(t, { adminToken: 's3cret' });
  let res = await call(app, { method: 'GET', url: '/_emulator/worlds' });
  t.same([res.status, res.body.detail], [401, 'The control plane needs Authorization: Bearer <admin token>']);
  res = await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization: 'Bearer wrong' } });
  t.equal(res.status, 401);
  res = await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization: 'Bearer s3cret' }, remoteAddress: BRIDGE });
  t.equal(res.status, 200);
  for (const remoteAddress of ['127.0.0.1', BRIDGE]) {
    res = await call(app, { method: 'GET', url: '/_emulator/health', remoteAddress });
    t.same([res.status, res.body.status], [200, 'ok'], `health without the token from ${remoteAddress}`);
  }
  res = await call(app, { method: 'GET', url: '/_emulator/nothing', remoteAddress: BRIDGE });
  t.equal(res.status, 401, 'an unknown control path is not open');
});

/** The options the image's ENV lines give the CLI (Dockerfile ENV, continuation lines joined). */
function imageOptions(extra: NodeJS.ProcessEnv = {}): CliOptions {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8').replace(/\\\n/g, ' ');
  const env: NodeJS.ProcessEnv = {};
  for (const line of dockerfile.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[key] = value;
  }
  const options = parseCli([], { ...env, ...extra });
  if (options === 'help' || options === 'version') throw new Error('unexpected help');
  return options;
}

t.test("the Docker image's settings: a caller through the published port drives worlds, journal and faults", async (t) => {
  const { port: _port, host, ...options } = imageOptions();
  t.equal(host, '0.0.0.0');
  t.equal(options.controlAccess, 'any');
  const app = await build(t, { ...options, logLevel: 'silent' });
  const remote = { remoteAddress: BRIDGE };
  const world = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { name: 'qa' }, ...remote });
  t.same([world.status, world.body.name], [201, 'qa']);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', ...remote })).status, 401);
  const journal = await call(app, { method: 'GET', url: '/_emulator/requests?provider=rocketchat', ...remote });
  t.same([journal.status, journal.body.requests.map((r: { path: string; status: number }) => [r.path, r.status])], [200, [['/api/v1/me', 401]]]);
  const fault = await call(app, {
    method: 'POST',
    url: '/_emulator/faults',
    payload: { match: { provider: 'rocketchat' }, action: { delayMs: 1 }, times: 1 },
    ...remote,
  });
  t.equal(fault.status, 201);
  t.equal((await call(app, { method: 'GET', url: '/_emulator/faults', ...remote })).body.faults.length, 1);
});

t.test('the image with VCONF_ADMIN_TOKEN: the token is needed from the host, health stays open', async (t) => {
  const { port: _port, host: _host, ...options } = imageOptions({ VCONF_ADMIN_TOKEN: 'change-me' });
  const app = await build(t, { ...options, logLevel: 'silent' });
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds', remoteAddress: BRIDGE })).status, 401);
  const res = await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization: 'Bearer change-me' }, remoteAddress: BRIDGE });
  t.equal(res.status, 200);
  t.equal((await call(app, { method: 'GET', url: '/_emulator/health', remoteAddress: BRIDGE })).status, 200);
});
