import t from 'tap';
import { build, call } from '../../helper.js';
import { errors, toWire } from '../../../src/providers/dingtalk/errors.js';
import { HOST, MSG, READ, READONLY_APP, STARTED, WRITE, assertEnvelopeHeaders, assertError, dt, tokenOf } from './fixtures.js';

const info = `/v1.0/conference/videoConferences/${STARTED}`;
const members = `${info}/members`;
const CREATE = '/v1.0/conference/videoConferences';
const notFound = ['InvalidAction.NotFound', MSG.notFound] as const;

t.test('unknown routes and wrong methods under /v1.0 answer InvalidAction.NotFound, whatever the token', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  for (const [method, url] of [
    ['GET', '/v1.0/nope'],
    ['GET', '/v1.0'],
    ['GET', '/v1.0/'],
    ['PUT', `${members}`],
    ['PATCH', info],
    ['POST', info],
    ['GET', CREATE],
    ['DELETE', `${members}`],
    ['GET', '/v1.0/oauth2/accessToken'],
    ['OPTIONS', info],
    ['POST', '/v1.0/conference/videoConferences/query/x'],
  ]) {
    assertError(t, await dt(app, method, url), 404, ...notFound);
    assertError(t, await dt(app, method, url, 'not-a-token'), 404, ...notFound);
    assertError(t, await dt(app, method, url, token), 404, ...notFound);
  }
  const big = 'x'.repeat(1024 * 1024 + 1);
  assertError(t, await dt(app, 'POST', '/v1.0/nope', undefined, big, { 'content-type': 'application/json' }), 404, ...notFound);
  assertError(t, await dt(app, 'POST', '/v1.0/nope', undefined, '{bad', { 'content-type': 'application/json' }), 404, ...notFound);
});

t.test('success responses carry the §2.1 headers; request ids differ per request', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const a = await dt(app, 'GET', info, token);
  const b = await dt(app, 'GET', info, token);
  t.equal(a.status, 200);
  assertEnvelopeHeaders(t, a);
  assertEnvelopeHeaders(t, b);
  t.not(a.headers['x-acs-request-id'], b.headers['x-acs-request-id']);
  t.not(a.headers['x-acs-trace-id'], b.headers['x-acs-trace-id']);
});

t.test('token header: missing, blank, or sent another way → MissingParameter; unknown → InvalidAuthentication', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const missing = ['AuthenticationFailed.MissingParameter', MSG.missingToken] as const;
  for (const [method, url] of [
    ['GET', info],
    ['GET', members],
    ['DELETE', `${info}?unionId=${HOST}`],
    ['POST', CREATE],
    ['POST', '/v1.0/conference/videoConferences/query'],
    ['GET', '/v1.0/conference/roomCodes/42726033559/infos'],
  ]) {
    assertError(t, await dt(app, method, url), 400, ...missing);
    assertError(t, await dt(app, method, url, '   '), 400, ...missing);
    assertError(t, await dt(app, method, url, 'deadbeefdeadbeefdeadbeefdeadbeef'), 400, 'InvalidAuthentication', MSG.invalidToken);
  }
  assertError(t, await dt(app, 'GET', `${info}?access_token=${token}`), 400, ...missing);
  assertError(t, await dt(app, 'GET', info, undefined, undefined, { authorization: `Bearer ${token}` }), 400, ...missing);
  assertError(t, await dt(app, 'POST', CREATE, undefined, '{bad', { 'content-type': 'application/json' }), 400, ...missing, undefined);
});

t.test('scopes: the read-only app cannot write; Write does not imply Read', async (t) => {
  const app = await build(t);
  const readOnly = await tokenOf(app, READONLY_APP);
  const denied = (scope: string) => [403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', MSG.scope, { accessdenieddetail: { requiredScopes: [scope] } }] as const;
  assertError(t, await dt(app, 'POST', CREATE, readOnly, { userId: HOST, confTitle: 'x' }), ...denied(WRITE));
  assertError(t, await dt(app, 'DELETE', `${info}?unionId=${HOST}`, readOnly), ...denied(WRITE));
  t.equal((await dt(app, 'GET', info, readOnly)).status, 200, 'reads are allowed');
  assertError(t, await dt(app, 'POST', CREATE, readOnly, '{bad', { 'content-type': 'application/json' }), ...denied(WRITE));

  app.emulator.worlds.create('write-only', 'write-only', {
    dingtalk: { apps: [{ appKey: 'dingwriteonly000001', appSecret: 's', org: 'ding-org-1', scopes: [WRITE] }] },
  });
  const writeOnly = await tokenOf(app, { appKey: 'dingwriteonly000001', appSecret: 's' });
  for (const [method, url] of [
    ['GET', info],
    ['GET', members],
    ['POST', '/v1.0/conference/videoConferences/query'],
    ['GET', '/v1.0/conference/roomCodes/42726033559/infos'],
  ]) {
    assertError(t, await dt(app, method, url, writeOnly), ...denied(READ));
  }
});

t.test('bodies: malformed, empty, form-encoded or not an object → the route parameter error', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const post = (url: string, payload: string | undefined, type?: string) =>
    dt(app, 'POST', url, token, payload, type ? { 'content-type': type } : {});
  for (const url of [CREATE, '/v1.0/conference/videoConferences/query']) {
    assertError(t, await post(url, '{"userId":', 'application/json'), 400, 'paramsError', 'error:body is not valid JSON');
    assertError(t, await post(url, '', 'application/json'), 400, 'paramsError', 'error:body is required');
    assertError(t, await post(url, undefined), 400, 'paramsError', 'error:body is required');
    assertError(t, await post(url, 'userId=x', 'application/x-www-form-urlencoded'), 400, 'paramsError', 'error:body must be JSON');
    assertError(t, await post(url, 'hello', 'text/plain'), 400, 'paramsError', 'error:body must be JSON');
    assertError(t, await post(url, 'null', 'application/json'), 400, 'paramsError', 'error:body is required');
    assertError(t, await post(url, '[1]', 'application/json'), 400, 'paramsError', 'error:body must be a JSON object');
    assertError(t, await post(url, '"x"', 'application/json'), 400, 'paramsError', 'error:body must be a JSON object');
  }
  t.equal((await post(CREATE, JSON.stringify({ userId: HOST, confTitle: 'T' }), 'application/json; charset=utf-8')).status, 200, 'the SDK content type');
  const big = JSON.stringify({ userId: HOST, confTitle: 'x'.repeat(1024 * 1024) });
  assertError(t, await post(CREATE, big, 'application/json'), 400, 'paramsError', 'error:body is too large');
  t.equal((await dt(app, 'DELETE', `${info}?unionId=${HOST}`, token, undefined, { 'content-type': 'application/json' })).status, 200, 'a DELETE body is ignored');
});

t.test('throttling: 20 calls per app per API per aligned second of the world clock', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  const token = await tokenOf(app);
  clock.advance(500);
  for (let i = 0; i < 20; i++) t.equal((await dt(app, 'GET', info, token)).status, 200);
  assertError(t, await dt(app, 'GET', info, token), 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', MSG.qps);
  t.equal((await dt(app, 'GET', members, token)).status, 200, 'another API has its own counter');
  t.equal((await dt(app, 'GET', info, await tokenOf(app, READONLY_APP))).status, 200, 'another app has its own counter');
  clock.advance(499);
  assertError(t, await dt(app, 'GET', info, token), 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', MSG.qps);
  clock.advance(1);
  t.equal((await dt(app, 'GET', info, token)).status, 200, 'the next whole second opens a new window');
});

t.test('throttling comes after scope and before the body', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  for (let i = 0; i < 20; i++) await dt(app, 'POST', CREATE, token, '{bad', { 'content-type': 'application/json' });
  assertError(t, await dt(app, 'POST', CREATE, token, '{bad', { 'content-type': 'application/json' }), 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', MSG.qps);
  const readOnly = await tokenOf(app, READONLY_APP);
  for (let i = 0; i < 25; i++) t.equal((await dt(app, 'POST', CREATE, readOnly, {})).status, 403);
  t.equal((await dt(app, 'POST', CREATE, readOnly, {})).body.code, 'Forbidden.AccessDenied.AccessTokenPermissionDenied');
});

t.test('throttling off with rateLimits: false', async (t) => {
  const app = await build(t, { rateLimits: false });
  const token = await tokenOf(app);
  for (let i = 0; i < 25; i++) t.equal((await dt(app, 'GET', info, token)).status, 200);
});

t.test('unexpected exceptions become the route systemError', async (t) => {
  const app = await build(t);
  const op = (id: string) => app.emulator.specs.get('dingtalk')!.operations.find((o) => o.operationId === id);
  const id = 'C917BFED-A33B-4611-9BB1-2EA1EDFBD733';
  t.same(toWire(new Error('boom'), op('queryConferenceInfo'), id), { status: 500, body: { code: 'systemError', requestid: id, message: 'SYSTEM ERROR' } });
  t.same(toWire(new Error('boom'), op('createVideoConference'), id), {
    status: 500,
    body: { code: 'systemError', requestid: id, message: 'systemError:internal error' },
  });
  t.same(toWire('boom', undefined, id), { status: 500, body: { code: 'systemError', requestid: id, message: 'systemError' } });
  t.same(toWire(errors.notImplemented('x'), undefined, id).status, 501);
  const res = await call(app, { method: 'GET', url: '/_emulator/health' });
  t.same(res.body.providers.includes('dingtalk'), true, 'health lists the provider');
  t.ok(app.emulator.mounted.filter((m) => m.provider === 'dingtalk').every((m) => m.implemented), 'every documented operation has a handler');
  t.equal(app.emulator.mounted.filter((m) => m.provider === 'dingtalk').length, 49, 'the 48 operations of conference_1_0 and getAccessToken');
});

t.test('injected faults answer in the DingTalk envelope', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const inject = (operationId: string, action: { status?: number; code?: string }) =>
    app.emulator.faults.add({ match: { provider: 'dingtalk', operationId }, action, times: 1 });
  const create = () => dt(app, 'POST', CREATE, token, { userId: HOST, confTitle: 'x' });
  inject('createVideoConference', { code: 'waterLimitError' });
  assertError(t, await create(), 404, 'waterLimitError', 'waterLimitError:conference quota exceeded');
  inject('createVideoConference', { code: 'permissionError' });
  assertError(t, await create(), 404, 'permissionError', 'permissionError:no permission to create a conference');
  inject('createVideoConference', { status: 500 });
  assertError(t, await create(), 500, 'systemError', 'systemError:injected fault');
  inject('queryConferenceInfo', { code: 'systemError' });
  assertError(t, await dt(app, 'GET', info, token), 500, 'systemError', 'SYSTEM ERROR');
  inject('queryConferenceInfo', { status: 403 });
  assertError(t, await dt(app, 'GET', info, token), 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', MSG.qps);
  inject('queryConferenceInfo', { code: 'roomNotFound' });
  assertError(t, await dt(app, 'GET', info, token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  inject('queryConferenceMembers', { status: 400 });
  assertError(t, await dt(app, 'GET', members, token), 400, 'paramError', 'PARAM ERROR');
  inject('queryConferenceMembers', { code: 'paramError' });
  assertError(t, await dt(app, 'GET', members, token), 400, 'paramError', 'PARAM ERROR');
  inject('getAccessToken', { code: 'invalidClientIdOrSecret' });
  assertError(t, await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' } }), 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
  t.equal((await create()).status, 200, 'faults with times: 1 are spent');
});
