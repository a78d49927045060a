import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, type EmulatorOptions } from '../../src/app.js';
import { HarRecorder, readHar, type Har } from '../../src/core/har.js';
import { verifyRecording } from '../../src/verify.js';

const JANE = { _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', password: 'jane-pass' };
const SW_AUTH = `Basic ${Buffer.from('72a7ce5a-0281-4be1-a238-49fc41fafb42:PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5').toString('base64')}`;

async function listening(t: Test, options: EmulatorOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(options);
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function send(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** A server of the test's own that misbehaves as its query says: hang, reset, or a wrong shape. */
async function misbehaving(t: Test): Promise<string> {
  const server: Server = createServer((req, res) => {
    const mode = new URL(req.url ?? '/', 'http://x').searchParams.get('mode');
    if (mode === 'hang') return;
    if (mode === 'reset') return req.socket.destroy();
    if (mode === 'cut') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'text/html', 'x-odd': 'yes', 'set-cookie': 'sid=abc' });
      res.end(`<p>${req.method} ${req.url} host=${req.headers.host} body=${body}</p>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test('a Rocket.Chat session proxied through a second emulator: answers unchanged, journaled, recorded, verified', async (t) => {
  const upstream = await listening(t);
  const dir = mkdtempSync(join(tmpdir(), 'vconf-record-'));
  const har = join(dir, 'rocketchat.har');
  const front = await listening(t, { upstream: { rocketchat: upstream.url }, record: har });

  const login = await send(`${front.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: JANE.username, password: JANE.password }),
  });
  t.equal(login.status, 200);
  t.equal(login.headers.get('content-type'), 'application/json');
  t.equal(login.headers.get('cache-control'), 'no-store');
  t.equal(login.body.status, 'success');
  t.equal(login.body.data.userId, JANE._id);
  const token = login.body.data.authToken as string;
  t.match(token, /^[\w-]{43}$/);
  // The token was issued by the upstream, not by the proxying emulator. (Direct calls come from
  // another client address, so they leave the recorded client's rate-limit counters alone.)
  const auth = { 'x-user-id': JANE._id, 'x-auth-token': token };
  const elsewhere = { ...auth, 'x-real-ip': '10.0.0.9' };
  t.equal((await send(`${upstream.url}/api/v1/me`, { headers: elsewhere })).status, 200);
  t.equal((await front.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).statusCode, 200);

  const start = await send(`${front.url}/api/v1/video-conference.start`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ roomId: '68c8071650223764573dd2dc', title: 'proxied' }),
  });
  t.equal(start.status, 200);
  const callId = start.body.data.callId as string;
  const info = await send(`${front.url}/api/v1/video-conference.info?callId=${callId}`, { headers: auth });
  t.equal(info.status, 200);
  t.equal(info.body.title, 'proxied');
  const direct = await send(`${upstream.url}/api/v1/video-conference.info?callId=${callId}`, { headers: elsewhere });
  t.same(info.body, direct.body, 'the proxy answers what the upstream answers');
  t.equal(info.headers.get('x-ratelimit-limit'), '15');
  t.equal(info.headers.get('x-ratelimit-remaining'), '14');
  const missing = await send(`${front.url}/api/v1/video-conference.info`, { headers: auth });
  t.equal(missing.status, 400);
  t.same(missing.body, { success: false, error: "must have required property 'callId' [invalid-params]", errorType: 'invalid-params' });
  const logout = await send(`${front.url}/api/v1/logout`, { method: 'POST', headers: auth });
  t.equal(logout.status, 200);

  // The upstream saw the request as sent, Host rewritten to its own address.
  const seen = upstream.app.emulator.journal.query({ operationId: 'post-api-v1-video-conference.start' })[0];
  t.equal(seen.headers.host, new URL(upstream.url).host);
  t.same(seen.body, { roomId: '68c8071650223764573dd2dc', title: 'proxied' });

  // The proxying emulator journals every exchange, marked.
  const entries = front.app.emulator.journal.query({ provider: 'rocketchat' }).reverse();
  t.same(
    entries.map((e) => [e.operationId, e.status, e.proxied]),
    [
      ['post-api-v1-login', 200, true],
      ['get-api-v1-me', 200, true],
      ['post-api-v1-video-conference.start', 200, true],
      ['get-api-v1-video-conference.info', 200, true],
      ['get-api-v1-video-conference.info', 400, true],
      ['post-api-v1-logout', 200, true],
    ],
  );
  t.equal(entries[0].headers['content-type'], 'application/json');
  t.same(entries[0].body, { user: JANE.username, password: '[redacted]' });
  t.equal((entries[0].responseBody as any).data.authToken, '[redacted]');
  t.equal(entries[1].headers['x-auth-token'], '[redacted]');

  // The recording: valid HAR, one entry per exchange, secrets redacted as the journal redacts them.
  const recorded = readHar(har);
  t.equal(recorded.log.version, '1.2');
  t.equal(recorded.log.creator.name, 'vconf-emulator');
  t.same(
    recorded.log.entries.map((e) => [e.request.method, new URL(e.request.url).pathname, e.response.status, e._operationId]),
    [
      ['POST', '/api/v1/login', 200, 'post-api-v1-login'],
      ['GET', '/api/v1/me', 200, 'get-api-v1-me'],
      ['POST', '/api/v1/video-conference.start', 200, 'post-api-v1-video-conference.start'],
      ['GET', '/api/v1/video-conference.info', 200, 'get-api-v1-video-conference.info'],
      ['GET', '/api/v1/video-conference.info', 400, 'get-api-v1-video-conference.info'],
      ['POST', '/api/v1/logout', 200, 'post-api-v1-logout'],
    ],
  );
  const [first, second] = recorded.log.entries;
  t.equal(new URL(first.request.url).origin, upstream.url);
  t.same(JSON.parse(first.request.postData!.text), { user: JANE.username, password: '[redacted]' });
  t.equal(JSON.parse(first.response.content.text!).data.authToken, '[redacted]');
  t.same(first.response.headers.find((h) => h.name.toLowerCase() === 'content-type'), { name: 'content-type', value: 'application/json' });
  t.equal(second.request.headers.find((h) => h.name.toLowerCase() === 'x-auth-token')?.value, '[redacted]');
  t.notMatch(readFileSync(har, 'utf8'), token, 'the token appears nowhere in the file');
  t.notMatch(readFileSync(har, 'utf8'), JANE.password);

  // Replayed against a fresh emulator, the recording matches.
  const report = await verifyRecording(har);
  t.same(report.differences, []);
  t.equal(report.exchanges, 6);
});

t.test('the other providers stay emulated in the same process', async (t) => {
  const upstream = await listening(t);
  const front = await listening(t, { upstream: { rocketchat: upstream.url } });
  const sw = await send(`${front.url}/api/video/conferences?page_size=1`, { headers: { authorization: SW_AUTH } });
  t.equal(sw.status, 200);
  t.equal(sw.body.data.length, 1);
  const dt = await send(`${front.url}/v1.0/oauth2/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' }),
  });
  t.equal(dt.status, 200);
  t.equal(upstream.app.emulator.journal.length, 0, 'nothing reached the upstream');
  const journal = front.app.emulator.journal.query().reverse();
  t.same(journal.map((e) => [e.provider, e.operationId, e.proxied]), [
    ['signalwire', 'list_video_conferences', undefined],
    ['dingtalk', 'getAccessToken', undefined],
  ]);
  t.notOk('proxied' in journal[0], 'an emulated entry has no mark at all');
  const rc = await send(`${front.url}/api/v1/video-conference.info`, { method: 'DELETE' });
  t.same([rc.status, rc.headers.get('allow'), rc.body], [405, 'GET, OPTIONS', { status: 'error', message: 'API endpoint does not exist' }], 'Rocket.Chat answers from the upstream');
  t.equal(upstream.app.emulator.journal.length, 1);
});

t.test('an answer without a body (204) comes back without one', async (t) => {
  const upstream = await listening(t);
  const front = await listening(t, { upstream: { signalwire: upstream.url } });
  const res = await fetch(`${front.url}/api/video/conferences/c22d7124-5a01-49fe-8da0-46bec8e75f12`, { method: 'DELETE', headers: { authorization: SW_AUTH } });
  t.equal(res.status, 204);
  t.equal(res.headers.get('content-length'), null);
  t.equal(await res.text(), '');
  t.same(upstream.app.emulator.journal.query().map((e) => [e.method, e.status]), [['DELETE', 204]]);
  const gone = await send(`${front.url}/api/video/conferences/c22d7124-5a01-49fe-8da0-46bec8e75f12`, { headers: { authorization: SW_AUTH } });
  t.same([gone.status, gone.body], [404, { error: 'Not Found' }]);
});

t.test('an upstream that answers in a wrong shape is passed through unchanged', async (t) => {
  const odd = await misbehaving(t);
  const front = await listening(t, { upstream: { signalwire: `${odd}/base/` } });
  const res = await send(`${front.url}/api/video/conferences?mode=shape&x=1`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  t.equal(res.status, 201);
  t.equal(res.headers.get('content-type'), 'text/html');
  t.equal(res.headers.get('x-odd'), 'yes');
  t.equal(res.headers.get('set-cookie'), 'sid=abc');
  t.equal(res.text, `<p>POST /base/api/video/conferences?mode=shape&x=1 host=${new URL(odd).host} body=hello</p>`);
  const [entry] = front.app.emulator.journal.query();
  t.equal(entry.operationId, 'create_video_conference');
  t.equal(entry.status, 201);
  t.equal(entry.body, 'hello');
  t.equal(entry.responseBody, res.text);
  t.equal(entry.proxied, true);
});

t.test('unreachable, reset, cut short and slow upstreams answer each provider\'s own error', async (t) => {
  const odd = await misbehaving(t);
  const closed = await listening(t);
  const closedUrl = closed.url;
  await closed.app.close();
  const front = await listening(t, {
    upstream: { rocketchat: closedUrl, signalwire: odd, dingtalk: odd },
    limits: { upstreamTimeout: 300 },
  });

  const refused = await send(`${front.url}/api/v1/me`, { headers: { 'x-user-id': JANE._id, 'x-auth-token': 'x' } });
  t.equal(refused.status, 502);
  t.same(refused.body, { success: false, error: `upstream ${closedUrl} could not be reached: ECONNREFUSED` });
  t.equal(refused.headers.get('content-type'), 'application/json');
  t.equal(refused.headers.get('cache-control'), 'no-store');

  const reset = await send(`${front.url}/api/video/conferences?mode=reset`, { headers: { authorization: SW_AUTH } });
  t.equal(reset.status, 502);
  t.same(reset.body, { error: 'Bad Gateway' });
  t.equal(reset.headers.get('content-type'), 'application/json; charset=utf-8');

  const cut = await send(`${front.url}/api/video/conferences?mode=cut`, { headers: { authorization: SW_AUTH } });
  t.equal(cut.status, 502);
  t.same(cut.body, { error: 'Bad Gateway' });

  const slow = await send(`${front.url}/api/video/conferences?mode=hang`, { headers: { authorization: SW_AUTH } });
  t.equal(slow.status, 504);
  t.same(slow.body, { error: 'Gateway Timeout' });

  const dingtalk = await send(`${front.url}/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978?mode=hang`, { headers: { 'x-acs-dingtalk-access-token': 'x' } });
  t.equal(dingtalk.status, 504);
  const requestId = dingtalk.headers.get('x-acs-request-id');
  t.match(requestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  t.match(dingtalk.headers.get('x-acs-trace-id'), /^[0-9a-f]{32}$/);
  t.equal(dingtalk.headers.get('content-type'), 'application/json;charset=utf-8');
  t.same(dingtalk.body, { code: 'systemError', requestid: requestId, message: `upstream ${odd} did not answer within 300 ms` });

  const journal = front.app.emulator.journal.query().reverse();
  t.same(journal.map((e) => [e.provider, e.operationId, e.status, e.proxied]), [
    ['rocketchat', 'get-api-v1-me', 502, true],
    ['signalwire', 'list_video_conferences', 502, true],
    ['signalwire', 'list_video_conferences', 502, true],
    ['signalwire', 'list_video_conferences', 504, true],
    ['dingtalk', 'queryConferenceInfo', 504, true],
  ]);
  t.same(journal[0].responseBody, refused.body);
  t.equal(journal[0].headers['x-auth-token'], '[redacted]');
});

t.test('the recording file: valid after every append, appended to on restart, refused when not ours', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-har-'));
  const file = join(dir, 'a.har');
  const entry = (n: number) => ({ startedDateTime: new Date(n).toISOString(), _operationId: `op${n}` }) as never;
  const recorder = new HarRecorder(file, '1.2.3');
  t.same(JSON.parse(readFileSync(file, 'utf8')), { log: { version: '1.2', creator: { name: 'vconf-emulator', version: '1.2.3' }, entries: [] } });
  recorder.append(entry(1));
  t.same((JSON.parse(readFileSync(file, 'utf8')) as Har).log.entries.map((e) => e._operationId), ['op1']);
  recorder.append(entry(2));
  recorder.close();
  const again = new HarRecorder(file, '1.2.3');
  t.equal(again.entries, 2);
  again.append(entry(3));
  again.close();
  const text = readFileSync(file, 'utf8');
  t.same((JSON.parse(text) as Har).log.entries.map((e) => e._operationId), ['op1', 'op2', 'op3']);
  t.equal(text.split('\n').length, 6, 'head, one line per entry, footer');

  writeFileSync(join(dir, 'b.har'), '{"log":{"version":"1.2","entries":[]}}');
  t.throws(() => new HarRecorder(join(dir, 'b.har'), '1'), { message: `record file ${join(dir, 'b.har')} is not a recording this emulator wrote, so it cannot be appended to; choose a new file` });
  writeFileSync(join(dir, 'c.har'), 'not json');
  t.throws(() => new HarRecorder(join(dir, 'c.har'), '1'), { message: `record file ${join(dir, 'c.har')} is not a HAR file (not JSON); choose a new file` });
});

t.test('bad upstream options are refused', async (t) => {
  await t.rejects(buildApp({ upstream: { zoom: 'http://127.0.0.1:1' } }), { message: 'unknown provider "zoom" in upstream: the providers are rocketchat, signalwire, dingtalk' });
  await t.rejects(buildApp({ upstream: { rocketchat: 'ftp://x' } }), { message: 'invalid upstream for rocketchat "ftp://x": expected an absolute http or https URL' });
  await t.rejects(buildApp({ record: '/tmp/x.har' }), { message: 'record needs an upstream: only proxied exchanges are recorded' });
});

t.test('the CLI proxies and records; killed outright, it leaves a valid recording of every answered exchange', async (t) => {
  const upstream = await listening(t);
  const har = join(mkdtempSync(join(tmpdir(), 'vconf-cli-record-')), 'dt.har');
  const cli = new URL('../../dist/src/cli.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, '--port', '0', '--log-level', 'silent', '--upstream', `dingtalk=${upstream.url}`, '--record', har], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!/listening on (http:\/\/\S+) /.test(out)) await once(child.stdout, 'data');
  const url = /listening on (http:\/\/\S+) /.exec(out)![1];
  const token = await send(`${url}/v1.0/oauth2/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' }),
  });
  t.equal(token.status, 200);
  const info = await send(`${url}/v1.0/conference/videoConferences/6741c3a09f1e2d3c4b5a6978`, { headers: { 'x-acs-dingtalk-access-token': token.body.accessToken } });
  t.equal(info.status, 200);
  t.equal(info.body.confInfo.title, '周会');
  child.kill('SIGKILL');
  await once(child, 'exit');
  const recorded = readHar(har);
  t.same(recorded.log.entries.map((e) => [e._operationId, e.response.status]), [['getAccessToken', 200], ['queryConferenceInfo', 200]]);
  t.notMatch(readFileSync(har, 'utf8'), 'emulator-secret-0001');
  t.notMatch(readFileSync(har, 'utf8'), token.body.accessToken);
  t.same((await verifyRecording(har)).differences, []);
});
