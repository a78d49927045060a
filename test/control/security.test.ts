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

t.test("one world's credentials never reach another world's data, in any provider", async (t) => {
  const app = await build(t, { rateLimits: false });
  const created = await call(app, { method: 'POST', url: '/_emulator/worlds', payload: { name: 'b' } });
  const b = created.body.credentials;
  const bJohn = b.rocketchat.users.find((u: { username: string }) => u.username === 'john.doe');
  const rcB = { 'x-user-id': bJohn.userId, 'x-auth-token': bJohn.authToken };
  const rcA = { 'x-user-id': 'CkCPNctrgCDfmWLqC', 'x-auth-token': '1Dd4iN_ClKn5jl-xPC36snQ4s9Zd5GZnXCQuCNSKcVE' };
  const basic = (p: { projectId: string; token: string }) => ({ authorization: `Basic ${Buffer.from(`${p.projectId}:${p.token}`).toString('base64')}` });
  const swB = basic(b.signalwire.projects[0]);
  const swA = basic({ projectId: '72a7ce5a-0281-4be1-a238-49fc41fafb42', token: 'PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5' });
  const dtToken = async (app0: { appKey: string; appSecret: string }) =>
    (await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: app0 })).body.accessToken as string;
  const dtB = { 'x-acs-dingtalk-access-token': await dtToken(b.dingtalk.apps[0]) };
  const dtA = { 'x-acs-dingtalk-access-token': await dtToken({ appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' }) };

  // Data made in world b with b's credentials…
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: rcB, payload: { roomId: 'GENERAL', title: 'only in b' } });
  const conference = await call(app, { method: 'POST', url: '/api/video/conferences', headers: swB, payload: { display_name: 'only in b' } });
  const meeting = await call(app, { method: 'POST', url: '/v1.0/conference/videoConferences', headers: dtB, payload: { userId: 'unionid-host-0001iEiE', confTitle: 'only in b' } });
  t.same([started.status, conference.status, meeting.status], [200, 200, 200]);
  const callId = started.body.data.callId;

  // …is there for b, and nowhere for the default world's credentials.
  t.equal((await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: rcB })).status, 200);
  const rc = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${callId}`, headers: rcA });
  t.same([rc.status, rc.body], [400, { success: false, error: 'invalid-params' }], 'Rocket.Chat: no such call');
  const list = await call(app, { method: 'GET', url: '/api/v1/video-conference.list?roomId=GENERAL', headers: rcA });
  t.notOk(list.text.includes(callId), "Rocket.Chat: not in the default world's list");
  t.equal((await call(app, { method: 'GET', url: `/api/video/conferences/${conference.body.id}`, headers: swB })).status, 200);
  const sw = await call(app, { method: 'GET', url: `/api/video/conferences/${conference.body.id}`, headers: swA });
  t.same([sw.status, sw.body], [404, { error: 'Not Found' }], 'SignalWire: not found');
  const dtPath = `/v1.0/conference/videoConferences/${meeting.body.conferenceId}`;
  t.equal((await call(app, { method: 'GET', url: dtPath, headers: dtB })).status, 200);
  const dt = await call(app, { method: 'GET', url: dtPath, headers: dtA });
  t.same([dt.status, dt.body.code], [404, 'roomNotFound'], 'DingTalk: not found');
  // Naming the other world in a header changes nothing: the credential picks the world.
  const named = await call(app, { method: 'GET', url: `/api/video/conferences/${conference.body.id}`, headers: { ...swA, 'x-emulator-world': created.body.id } });
  t.equal(named.status, 404);
});
