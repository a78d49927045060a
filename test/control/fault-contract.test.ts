import t, { type Test } from 'tap';
import { documentedErrorStatuses } from '../../src/core/faults.js';
import { checkResponse, type Operation } from '../../src/core/openapi.js';
import { providers } from '../../src/providers/index.js';
import type { ProviderInstance } from '../../src/providers/types.js';
import { build, call } from '../helper.js';
import { JOHN } from '../providers/rocketchat/fixtures.js';
import { AUTH } from '../providers/signalwire/fixtures.js';
import { tokenOf } from '../providers/dingtalk/fixtures.js';

type App = Awaited<ReturnType<typeof build>>;

/** The headers the spec marks required for an operation's response with this status. */
function requiredHeaders(app: App, op: Operation, status: number): [string, any][] {
  const response = app.emulator.specs.get(op.provider)!.document.paths[op.path][op.method.toLowerCase()].responses[String(status)];
  return Object.entries<any>(response?.headers ?? {}).filter(([, h]) => h.required === true);
}

/**
 * A request the provider authenticates (faults apply after authentication); ids in the path are any, and
 * a name is not a UUID (SignalWire's `/rooms/{id}` and `/rooms/{name}` share a route and a UUID means an id).
 */
function request(op: Operation, dingtalkToken: string) {
  const url = op.path.replace(/\{[^}]+\}/g, (param) => (param === '{name}' ? 'fault-room' : '00000000-0000-4000-8000-000000000000'));
  const headers: Record<string, string> = op.provider === 'rocketchat' ? { ...JOHN } : op.provider === 'signalwire' ? { ...AUTH } : { 'x-acs-dingtalk-access-token': dingtalkToken };
  return { method: op.method as 'GET', url, headers, ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }) };
}

async function injected(t: Test, app: App, op: Operation, action: { status?: number; code?: string }, token: string) {
  const label = `${op.provider} ${op.operationId} ${JSON.stringify(action)}`;
  const created = await call(app, { method: 'POST', url: '/_emulator/faults', payload: { match: { provider: op.provider, operationId: op.operationId }, action, times: 1 } });
  const allowed = documentedErrorStatuses(op);
  const status = instances(app).get(op.provider)!.faultStatus!(action, op);
  if (!allowed.includes(status)) {
    t.same([created.status, created.body.errors[0].message], [400, `must answer a status every matched operation documents: ${allowed.join(', ')}`], `${label}: refused`);
    return;
  }
  t.equal(created.status, 201, `${label}: created`);
  const res = await call(app, request(op, token));
  t.equal(res.status, status, `${label}: status`);
  t.same(checkResponse(op, res.status, res.body), [], `${label}: body as documented`);
  for (const [name, header] of requiredHeaders(app, op, res.status)) {
    const value = res.headers[name.toLowerCase()];
    t.ok(typeof value === 'string' && (header.schema?.type !== 'integer' || /^\d+$/.test(value)), `${label}: header ${name} (${String(value)})`);
  }
}


const bound = new WeakMap<App, Map<string, ProviderInstance>>();
/** The provider modules bound to the app's database: what a fault's status is, independently of the control plane. */
function instances(app: App): Map<string, ProviderInstance> {
  let map = bound.get(app);
  if (!map) bound.set(app, (map = new Map(providers.map((p) => [p.slug, p.create(app.emulator.db)]))));
  return map;
}

t.test('every provider × operation × documented error status: the injected answer is the documented one', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  for (const { slug } of providers) {
    for (const op of app.emulator.specs.get(slug)!.operations) {
      for (const status of documentedErrorStatuses(op)) await injected(t, app, op, { status }, token);
    }
  }
  t.same((await call(app, { method: 'GET', url: '/_emulator/faults' })).body, { faults: [] }, 'every fault was spent');
});

t.test('every catalogue code on every operation: documented there, or refused when created', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  for (const { slug } of providers) {
    for (const op of app.emulator.specs.get(slug)!.operations) {
      for (const code of instances(app).get(slug)!.faultCodes ?? []) await injected(t, app, op, { code }, token);
    }
  }
  t.same((await call(app, { method: 'GET', url: '/_emulator/faults' })).body, { faults: [] });
});

t.test('the injected answers the issue names, exactly', async (t) => {
  const app = await build(t);
  const fault = (match: object, action: object) => call(app, { method: 'POST', url: '/_emulator/faults', payload: { match, action, times: 1 } });
  await fault({ provider: 'rocketchat', operationId: 'post-api-v1-video-conference.start' }, { status: 405 });
  let res = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JOHN, payload: { roomId: 'GENERAL' } });
  t.same([res.status, res.headers.allow, res.headers['content-type'], res.text], [405, 'POST, OPTIONS', 'application/json', '{"status":"error","message":"API endpoint does not exist"}']);
  await fault({ provider: 'rocketchat', operationId: 'get-api-v1-logout' }, { status: 405 });
  res = await call(app, { method: 'GET', url: '/api/v1/logout', headers: JOHN });
  t.same([res.status, res.headers.allow], [405, 'GET, POST, OPTIONS']);
  await fault({ provider: 'signalwire', operationId: 'create_video_conference' }, { status: 422 });
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'x' } });
  t.equal(res.status, 422);
  t.same(res.body, app.emulator.specs.get('signalwire')!.document.paths['/api/video/conferences'].post.responses['422'].content['application/json'].example);
  t.same([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']], ['13800', '13800'], 'a counted operation carries the window headers');
  await fault({ provider: 'signalwire', operationId: 'create_video_conference' }, { status: 429 });
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'x' } });
  t.same([res.status, res.body, res.headers['x-ratelimit-remaining']], [429, { error: 'Too Many Requests' }, '0']);
  await fault({ provider: 'rocketchat', operationId: 'post-api-v1-login' }, { status: 413 });
  res = await call(app, { method: 'POST', url: '/api/v1/login', payload: { user: 'john.doe', password: 'john-pass' } });
  t.same([res.status, res.body], [413, { success: false, error: 'request entity too large' }]);
});
