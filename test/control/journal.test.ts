import { connect } from 'node:net';
import t from 'tap';
import { build, call, T0, T0_MS } from '../helper.js';
import { INFO_CALL, JOHN, UI_TEST } from '../providers/rocketchat/fixtures.js';
import { STARTED, tokenOf } from '../providers/dingtalk/fixtures.js';

t.test('every provider request is journaled, secrets redacted, newest first', async (t) => {
  const app = await build(t);
  await call(app, { method: 'POST', url: '/api/v1/login', payload: { user: 'jane.doe', password: 'jane-pass' } });
  app.emulator.worlds.default.clock.advance(1000);
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  await call(app, { method: 'GET', url: '/api/v1/nowhere' });
  await call(app, { method: 'GET', url: '/_emulator/health' });

  const res = await call(app, { method: 'GET', url: '/_emulator/requests' });
  t.equal(res.status, 200);
  const [notFound, info, login] = res.body.requests;
  t.equal(res.body.requests.length, 3, 'control-plane calls are not journaled');
  t.same([notFound.operationId, notFound.status, notFound.provider, notFound.path], [null, 404, 'rocketchat', '/api/v1/nowhere']);
  t.same(
    [info.time, info.world, info.provider, info.operationId, info.method, info.path, info.query, info.status, info.fault],
    [new Date(T0_MS + 1000).toISOString(), 'default', 'rocketchat', 'get-api-v1-video-conference.info', 'GET', '/api/v1/video-conference.info', { callId: INFO_CALL }, 200, null],
  );
  t.equal(info.headers['x-auth-token'], '[redacted]');
  t.equal(info.headers['x-user-id'], JOHN['x-user-id']);
  t.equal(info.responseBody._id, INFO_CALL);
  t.type(info.durationMs, 'number');
  t.same(login.body, { user: 'jane.doe', password: '[redacted]' });
  t.equal(login.responseBody.data.authToken, '[redacted]', 'tokens in responses are redacted too');
  t.equal(login.time, T0);
  t.notMatch(JSON.stringify(res.body), JOHN['x-auth-token']);
  t.notMatch(JSON.stringify(res.body), 'jane-pass');
});

t.test('a cached answer sent as UTF-8 bytes is journaled as its text', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const url = `/v1.0/conference/videoConferences/${STARTED}`;
  const sent = [];
  for (let i = 0; i < 2; i++) sent.push(await call(app, { method: 'GET', url, headers: { 'x-acs-dingtalk-access-token': token } }));
  const res = await call(app, { method: 'GET', url: '/_emulator/requests?operationId=queryConferenceInfo' });
  t.same(
    res.body.requests.map((e: { status: number; responseBody: unknown }) => [e.status, e.responseBody]),
    sent.map((r) => [200, r.body]),
  );
  t.equal(res.body.requests[0].responseBody.confInfo.title, '周会');
});

t.test('filters, count and clear', async (t) => {
  const app = await build(t);
  for (let i = 0; i < 3; i++) await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  app.emulator.worlds.default.clock.advance(5000);
  await call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  const count = async (q: string) => (await call(app, { method: 'GET', url: `/_emulator/requests/count?${q}` })).body.count;
  t.equal(await count(''), 5);
  t.equal(await count('operationId=get-api-v1-video-conference.list'), 4);
  t.equal(await count('operationId=get-api-v1-video-conference.info'), 1, 'was it called exactly once?');
  t.equal(await count('status=200'), 5);
  t.equal(await count('provider=rocketchat&world=default'), 5);
  t.equal(await count('provider=signalwire'), 0);
  t.equal(await count(`since=${encodeURIComponent(new Date(T0_MS + 5000).toISOString())}`), 2);
  const limited = await call(app, { method: 'GET', url: '/_emulator/requests?limit=2' });
  t.same(limited.body.requests.map((r: { operationId: string }) => r.operationId), ['get-api-v1-video-conference.info', 'get-api-v1-video-conference.list']);
  const bad = await call(app, { method: 'GET', url: '/_emulator/requests?status=abc' });
  t.same([bad.status, bad.body.errors], [400, [{ path: 'query/status', message: 'must be integer' }]]);
  t.equal((await call(app, { method: 'DELETE', url: '/_emulator/requests' })).status, 204);
  t.equal(await count(''), 0);
});

t.test('the journal never exceeds its size', async (t) => {
  const app = await build(t, { journalSize: 5, rateLimits: false });
  for (let i = 0; i < 50; i++) await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(app.emulator.journal.length, 5);
  const res = await call(app, { method: 'GET', url: '/_emulator/requests' });
  t.same(res.body.requests.map((r: { id: number }) => r.id), [50, 49, 48, 47, 46]);
});

t.test('size 0 turns the journal off', async (t) => {
  const app = await build(t, { journalSize: 0 });
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.same((await call(app, { method: 'GET', url: '/_emulator/requests' })).body, { requests: [] });
});

t.test('over a socket: the head as the client sent it, bytes outside ASCII included; the query as sent', async (t) => {
  const app = await build(t, { rateLimits: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const head = [
    `GET /api/v1/video-conference.list?roomId=${UI_TEST}&count=1&offset=0 HTTP/1.1`,
    'Host: 127.0.0.1',
    `X-User-Id: ${JOHN['x-user-id']}`,
    `X-Auth-Token: ${JOHN['x-auth-token']}`,
    'X-Name: caf\u00e9',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.end(Buffer.from(head, 'latin1'));
  });
  t.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  const [entry] = (await call(app, { method: 'GET', url: '/_emulator/requests' })).body.requests;
  t.same(entry.headers, {
    host: '127.0.0.1',
    'x-user-id': JOHN['x-user-id'],
    'x-auth-token': '[redacted]',
    'x-name': 'caf\u00e9',
    connection: 'close',
  });
  t.same([entry.path, entry.query], ['/api/v1/video-conference.list', { roomId: UI_TEST, count: '1', offset: '0' }], 'not the coerced numbers the handler saw');
  t.same(entry.body, {}, 'a GET reads as an empty body, as the handler saw it');
});
