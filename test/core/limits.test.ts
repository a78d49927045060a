import { request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'tap';
import { DEFAULT_LIMITS, readableUrl } from '../../src/app.js';
import { build, call } from '../helper.js';

const RC = { 'x-user-id': 'CkCPNctrgCDfmWLqC', 'x-auth-token': '1Dd4iN_ClKn5jl-xPC36snQ4s9Zd5GZnXCQuCNSKcVE' };
const SW = { authorization: `Basic ${Buffer.from('72a7ce5a-0281-4be1-a238-49fc41fafb42:PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5').toString('base64')}` };
const big = JSON.stringify({ roomId: 'GENERAL', title: 'x'.repeat(DEFAULT_LIMITS.bodyLimit) });

test('an oversized body answers 413 in each provider format', async (t) => {
  const app = await build(t);
  const rc = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: { ...RC, 'content-type': 'application/json' }, payload: big });
  t.equal(rc.status, 413);
  t.same(rc.body, { success: false, error: 'request entity too large' });
  t.equal(rc.headers['content-type'], 'application/json');

  const sw = await call(app, { method: 'POST', url: '/api/video/conferences', headers: { ...SW, 'content-type': 'application/json' }, payload: big });
  t.equal(sw.status, 413);
  t.same(sw.body, { error: 'Payload Too Large' });
  const swDelete = await call(app, { method: 'DELETE', url: '/api/video/conferences/c22d7124-5a01-49fe-8da0-46bec8e75f12', headers: { ...SW, 'content-type': 'application/json' }, payload: big });
  t.equal(swDelete.status, 413, 'also on an operation that ignores its body');
  t.equal((await call(app, { method: 'POST', url: '/api/video/conferences', payload: big, headers: { 'content-type': 'application/json' } })).status, 401, 'auth first');

  const dt = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', headers: { 'content-type': 'application/json' }, payload: big });
  t.equal(dt.status, 400, "DingTalk: the route's own parameter error, in its envelope (reference §2.1)");
  t.same(Object.keys(dt.body), ['code', 'requestid', 'message']);

  const justUnder = JSON.stringify({ roomId: 'GENERAL', title: 'x'.repeat(DEFAULT_LIMITS.bodyLimit - 100) });
  t.not((await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: { ...RC, 'content-type': 'application/json' }, payload: justUnder })).status, 413);
});

test('bodyLimit is an option; an unrouted oversized body is still the not-found answer', async (t) => {
  const app = await build(t, { limits: { bodyLimit: 100 } });
  const payload = JSON.stringify({ x: 'y'.repeat(200) });
  t.equal((await call(app, { method: 'POST', url: '/api/v1/login', headers: { 'content-type': 'application/json' }, payload })).status, 413);
  const unknown = await call(app, { method: 'POST', url: '/api/v1/nothing-here', headers: { 'content-type': 'application/json' }, payload });
  t.equal(unknown.status, 404);
  t.same(unknown.body, { success: false, error: 'Resource not found' });
  const wrongMethod = await call(app, { method: 'PUT', url: '/api/v1/me', headers: { 'content-type': ';;;' }, payload: '{}' });
  t.equal(wrongMethod.status, 405, 'an unparsable content type on an unrouted request');
});

test('an unparsable content type is ignored where the provider ignores the body', async (t) => {
  const app = await build(t);
  const login = await call(app, { method: 'POST', url: '/api/v1/login', headers: { 'content-type': ';;;' }, payload: '{"user":"x"}' });
  t.equal(login.status, 401, 'Rocket.Chat reads it as {} (reference D6)');
  // 8.x answers every failed login alike (API.v1.unauthorized()).
  t.same(login.body, { success: false, error: 'unauthorized' });
  const reset = await call(app, { method: 'DELETE', url: '/api/video/conferences/00000000-0000-4000-8000-000000000000', headers: { ...SW, 'content-type': ';;;' }, payload: 'x' });
  t.equal(reset.status, 404);
  t.same(reset.body, { error: 'Not Found' });
});

test('bad percent-encoding and over-long path parameters reach the provider', async (t) => {
  const app = await build(t);
  const sw = await call(app, { method: 'GET', url: '/api/video/streams/%ZZ', headers: SW });
  t.equal(sw.status, 404);
  t.same(sw.body, { error: 'Not Found' });
  t.equal((await call(app, { method: 'GET', url: '/api/video/streams/%ZZ' })).status, 401, 'auth still comes first');
  const long = await call(app, { method: 'GET', url: `/api/video/streams/${'a'.repeat(DEFAULT_LIMITS.maxParamLength + 10)}`, headers: SW });
  t.equal(long.status, 404);
  t.same(long.body, { error: 'Not Found' });
  const dt = await call(app, { method: 'GET', url: '/v1.0/conference/videoConferences/%E0%A4%A', headers: { 'x-acs-dingtalk-access-token': 'x' } });
  t.equal(dt.status, 400);
  t.equal(dt.body.code, 'InvalidAuthentication');
  t.equal(readableUrl('/a/%ZZ/b?q=%ZZ', 10), '/a/%25ZZ/b?q=%ZZ');
  t.equal(readableUrl('/a/bbbbbbbbbbbbbbb', 5), '/a/bbbbb');
  t.equal(readableUrl('/a/%41%41%41', 4), '/a/%41');
});

async function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
    socket.write(text);
  });
}

test('oversized heads, malformed HTTP and slow requests get a bare transport answer', async (t) => {
  const app = await build(t, { limits: { requestTimeout: 300, headersTimeout: 300 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  t.equal((app.server as unknown as { maxHeaderSize: number }).maxHeaderSize, DEFAULT_LIMITS.maxHeaderSize);
  t.equal(app.server.requestTimeout, 300);
  t.equal(app.server.keepAliveTimeout, DEFAULT_LIMITS.keepAliveTimeout);

  const status = await new Promise<number>((resolve) => {
    const req = request({ port, host: '127.0.0.1', path: '/api/v1/me', headers: { 'x-big': 'a'.repeat(DEFAULT_LIMITS.maxHeaderSize + 10) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
  t.equal(status, 431);

  const bad = await rawExchange(port, 'GARBAGE\r\n\r\n');
  t.match(bad, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.notMatch(bad, /statusCode/, "not Fastify's JSON");
  const method = await rawExchange(port, 'BREW /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n');
  t.match(method, /^HTTP\/1\.1 400 /);
  const slow = await rawExchange(port, 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n');
  t.match(slow, /^HTTP\/1\.1 408 /, 'an incomplete head times out');

  const res = await fetch(`http://127.0.0.1:${port}/api/v1/me`);
  t.equal(res.status, 401, 'still answering');
});
