import t from 'tap';
import { build, call, T0, T0_MS } from '../helper.js';
import { JANE, JOHN, JOIN_CALL, UI_TEST } from '../providers/rocketchat/fixtures.js';

t.test('health', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/_emulator/health' });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  t.same(Object.keys(res.body), ['status', 'version', 'providers', 'uptimeMs']);
  t.equal(res.body.status, 'ok');
  t.ok(res.body.providers.includes('rocketchat'));
  t.notOk(res.body.providers.includes('emulator'));
});

t.test('clock: read, advance, set, freeze', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/_emulator/clock' });
  t.same([res.status, res.body], [200, { now: T0, frozen: true }]);
  res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 1500 } });
  t.same([res.status, res.body], [200, { now: new Date(T0_MS + 1500).toISOString(), frozen: true }]);
  res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { now: '2027-01-01T00:00:00Z' } });
  t.same(res.body, { now: '2027-01-01T00:00:00.000Z', frozen: true });
  res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { frozen: false } });
  t.equal(res.body.frozen, false);
  t.ok(Date.parse(res.body.now) >= Date.parse('2027-01-01T00:00:00Z'), 'a running clock keeps its offset');
  res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: { frozen: true } });
  t.equal(res.body.frozen, true);
});

t.test('clock errors are problem+json', async (t) => {
  const app = await build(t);
  const cases: [unknown, string][] = [
    [{ advanceMs: -1 }, 'body/advanceMs must be >= 0'],
    [{ now: 'yesterday' }, 'body/now must match format "date-time"'],
    [{ speed: 2 }, 'body must NOT have additional properties'],
    [{}, 'body must NOT have fewer than 1 properties'],
  ];
  for (const [payload, message] of cases) {
    const res = await call(app, { method: 'POST', url: '/_emulator/clock', payload: payload as object });
    t.equal(res.status, 400, JSON.stringify(payload));
    t.equal(res.headers['content-type'], 'application/problem+json');
    t.same(res.body, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Invalid body', errors: [{ path: message.split(' ')[0], message: message.split(' ').slice(1).join(' ') }] });
  }
  const malformed = await call(app, { method: 'POST', url: '/_emulator/clock', headers: { 'content-type': 'application/json' }, payload: '{' });
  t.equal(malformed.status, 400);
  t.equal(malformed.body.title, 'Bad Request');
  const world = await call(app, { method: 'GET', url: '/_emulator/clock', headers: { 'x-emulator-world': 'nope' } });
  t.same([world.status, world.body], [404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No world nope' }]);
  const unknown = await call(app, { method: 'GET', url: '/_emulator/nope' });
  t.same([unknown.status, unknown.body.detail], [404, 'No control operation GET /_emulator/nope']);
});

t.test('end a Rocket.Chat call through the control plane', async (t) => {
  const app = await build(t, { rateLimits: false });
  app.emulator.worlds.default.clock.advance(2000);
  const res = await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${JOIN_CALL}/end`, payload: { endedBy: 'fRv4qm8ycWHXSA7af' } });
  t.equal(res.status, 200);
  const at = new Date(T0_MS + 2000).toISOString();
  t.same([res.body.status, res.body.endedAt, res.body._updatedAt, res.body.endedBy], [3, at, at, { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' }]);
  const info = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${JOIN_CALL}`, headers: JOHN });
  t.same([info.body.status, info.body.endedAt], [3, at]);
  const join = await call(app, { method: 'POST', url: '/api/v1/video-conference.join', headers: JANE, payload: { callId: JOIN_CALL } });
  t.same([join.status, join.body], [400, { success: false }], 'an ended call cannot be joined');

  const again = await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${JOIN_CALL}/end` });
  t.same([again.status, again.body.title], [409, 'Conflict']);
  const missing = await call(app, { method: 'POST', url: '/_emulator/rocketchat/calls/000000000000000000000000/end' });
  t.same([missing.status, missing.body.detail], [404, 'No call 000000000000000000000000 in world default']);
  const started = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST } });
  const badUser = await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${started.body.data.callId}/end`, payload: { endedBy: 'ghost' } });
  t.same([badUser.status, badUser.body.detail], [400, 'No user ghost in world default']);
  const noBody = await call(app, { method: 'POST', url: `/_emulator/rocketchat/calls/${started.body.data.callId}/end` });
  t.equal(noBody.status, 200);
  t.notOk('endedBy' in noBody.body, 'no endedBy when nobody is named');
});

t.test('reset puts the world back to its fixtures and clears rate-limit windows', async (t) => {
  const app = await build(t);
  const list = () => call(app, { method: 'GET', url: `/api/v1/video-conference.list?roomId=${UI_TEST}`, headers: JOHN });
  await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: UI_TEST } });
  await call(app, { method: 'POST', url: '/api/v1/logout', headers: JANE });
  t.equal((await list()).body.total, 3);
  await list();
  await list();
  t.equal((await list()).status, 429);
  const res = await call(app, { method: 'POST', url: '/_emulator/reset' });
  t.same([res.status, res.text, res.headers['content-type']], [204, '', undefined]);
  const after = await list();
  t.same([after.status, after.body.total], [200, 2]);
  t.equal((await call(app, { method: 'GET', url: '/api/v1/me', headers: JANE })).status, 200, 'fixture tokens are back');
});

t.test('docs behind a public URL name it as their server', async (t) => {
  const app = await build(t, { publicUrl: 'https://emu.example/vconf/' });
  for (const url of ['/docs/openapi/dingtalk.yaml', '/docs/yaml']) {
    t.match((await call(app, { method: 'GET', url, headers: { host: '127.0.0.1:4010' } })).text, /\nservers:\n {2}- url: https:\/\/emu\.example\/vconf\n/, url);
  }
  t.same((await call(app, { method: 'GET', url: '/docs/json' })).body.servers, [{ url: 'https://emu.example/vconf' }]);
});

t.test('docs: Swagger UI and the spec files as written, naming the emulator as their server', async (t) => {
  const app = await build(t);
  const ui = await call(app, { method: 'GET', url: '/docs/' });
  t.equal(ui.status, 200);
  t.match(ui.headers['content-type'], /text\/html/);
  const init = await call(app, { method: 'GET', url: '/docs/static/swagger-initializer.js' });
  t.match(init.text, '/docs/openapi/rocketchat.yaml');
  t.match(init.text, '/docs/openapi/emulator.yaml');
  const { readFileSync } = await import('node:fs');
  for (const slug of ['rocketchat', 'signalwire', 'dingtalk', 'emulator']) {
    const spec = await call(app, { method: 'GET', url: `/docs/openapi/${slug}.yaml`, headers: { host: '127.0.0.1:18080' } });
    t.same([spec.status, spec.headers['content-type']], [200, 'application/yaml; charset=utf-8']);
    const written = readFileSync(new URL(`../../openapi/${slug}.yaml`, import.meta.url), 'utf8');
    t.equal(spec.text, written.replace('\n  - url: http://127.0.0.1:4010\n', '\n  - url: http://127.0.0.1:18080\n'), `${slug}: the address this request reached`);
  }
  const json = await call(app, { method: 'GET', url: '/docs/json', headers: { host: 'localhost:8080' } });
  t.same(json.body.servers, [{ url: 'http://localhost:8080' }]);
  t.equal(json.body.info.title, 'Rocket.Chat video-conference REST API');
  const yaml = await call(app, { method: 'GET', url: '/docs/yaml', headers: { host: '[::1]:9000' } });
  t.match(yaml.text, /\nservers:\n {2}- url: http:\/\/\[::1\]:9000\n/);
  const odd = await call(app, { method: 'GET', url: '/docs/openapi/signalwire.yaml', headers: { host: 'bad host/<x>' } });
  t.match(odd.text, /\nservers:\n {2}- url: \/\n {4}description: Local emulator/, 'a Host that is no host: the same origin as the spec');
  t.equal((await call(app, { method: 'HEAD', url: '/docs/' })).status, 200);
  const missing = await call(app, { method: 'GET', url: '/docs/nope' });
  t.same([missing.status, missing.headers['content-type'], missing.body], [404, 'application/problem+json', { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Nothing at GET /docs/nope' }]);
  const post = await call(app, { method: 'POST', url: '/docs/' });
  t.same([post.status, post.body.detail], [404, 'Nothing at POST /docs/']);
});
