import t from 'tap';
import { build, call, T0_MS } from '../helper.js';
import { INFO_CALL, JOHN } from '../providers/rocketchat/fixtures.js';

type App = Awaited<ReturnType<typeof build>>;
const addFault = (app: App, payload: object) => call(app, { method: 'POST', url: '/_emulator/faults', payload });
const info = (app: App) => call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });

t.test('a catalogue code is rendered in the provider format, for the given number of times', async (t) => {
  const app = await build(t);
  const res = await addFault(app, { match: { provider: 'rocketchat', operationId: 'get-api-v1-video-conference.info' }, action: { code: 'error-too-many-requests' }, times: 1 });
  t.equal(res.status, 201);
  t.match(res.body.id, /^[0-9a-f-]{36}$/);
  const faulted = await info(app);
  t.same([faulted.status, faulted.body], [
    429,
    { success: false, error: 'Error, too many requests. Please slow down. You must wait 3 seconds before trying this endpoint again. [error-too-many-requests]' },
  ]);
  t.same([faulted.headers['x-ratelimit-limit'], faulted.headers['x-ratelimit-remaining'], faulted.headers['x-ratelimit-reset']], ['15', '0', String(T0_MS + 3000)]);
  t.equal(faulted.headers['content-type'], 'application/json');
  t.equal((await info(app)).status, 200, 'spent after one hit');
  t.same((await call(app, { method: 'GET', url: '/_emulator/faults' })).body, { faults: [] });
  const journal = (await call(app, { method: 'GET', url: '/_emulator/requests' })).body.requests;
  t.same([journal[1].status, journal[1].fault], [429, res.body.id], 'the journal names the fault');
});

t.test('status-only faults, matching rules, probability, delete', async (t) => {
  const app = await build(t, { rateLimits: false });
  const f = await addFault(app, { match: { method: 'get', path: '/api/v1/video-conference.info' }, action: { status: 401 } });
  let res = await info(app);
  t.same([res.status, res.body], [401, { success: false, error: 'You must be logged in to do this.' }]);
  res = await call(app, { method: 'GET', url: '/api/v1/me', headers: JOHN });
  t.equal(res.status, 200, 'other paths are untouched');
  const listed = (await call(app, { method: 'GET', url: '/_emulator/faults' })).body.faults;
  t.same(listed, [{ id: f.body.id, match: { method: 'get', path: '/api/v1/video-conference.info' }, action: { status: 401 }, hits: 1 }]);
  t.equal((await call(app, { method: 'DELETE', url: `/_emulator/faults/${f.body.id}` })).status, 204);
  t.equal((await info(app)).status, 200);
  t.equal((await call(app, { method: 'DELETE', url: `/_emulator/faults/${f.body.id}` })).status, 404);

  await addFault(app, { match: { world: 'elsewhere' }, action: { status: 401 } });
  await addFault(app, { match: { provider: 'rocketchat' }, action: { status: 429 }, probability: 0 });
  t.equal((await info(app)).status, 200, 'another world and probability 0 never apply');
  await addFault(app, { match: { provider: 'rocketchat', operationId: 'get-api-v1-video-conference.info' }, action: { code: 'invalid-params', status: 400 }, probability: 1 });
  res = await info(app);
  t.same([res.status, res.body], [400, { success: false, error: 'invalid-params' }]);
  t.equal((await call(app, { method: 'DELETE', url: '/_emulator/faults' })).status, 204);
  t.equal((await info(app)).status, 200);
  const unauth = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}` });
  t.equal(unauth.status, 401);
});

t.test('delay and drop', async (t) => {
  const app = await build(t);
  await addFault(app, { match: { operationId: 'get-api-v1-video-conference.info' }, action: { delayMs: 120 }, times: 1 });
  const started = performance.now();
  const res = await info(app);
  t.equal(res.status, 200, 'the real response, delayed');
  t.ok(performance.now() - started >= 110, 'delayed by the requested time');

  await addFault(app, { match: { operationId: 'get-api-v1-video-conference.info' }, action: { drop: true }, times: 1 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  await t.rejects(fetch(`http://127.0.0.1:${port}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN }), { message: 'fetch failed' });
  const after = await fetch(`http://127.0.0.1:${port}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN });
  t.equal(after.status, 200, 'the next request is served');
  const dropped = (await call(app, { method: 'GET', url: '/_emulator/requests?limit=2' })).body.requests[1];
  t.same([dropped.status, dropped.operationId], [0, 'get-api-v1-video-conference.info']);
});

t.test('invalid faults', async (t) => {
  const app = await build(t);
  const cases: [object, string | undefined, { path: string; message: string }[] | undefined][] = [
    [{ action: { code: 'x' } }, 'A fault code needs match.provider', [{ path: 'body/match/provider', message: 'is required with action.code' }]],
    [{ match: { provider: 'zoom' }, action: { status: 500 } }, 'Unknown provider zoom', undefined],
    [{ match: { provider: 'rocketchat' }, action: { status: 500 } }, 'Status 500 is not documented for post-api-v1-video-conference.start, post-api-v1-video-conference.join, post-api-v1-video-conference.cancel, get-api-v1-video-conference.info, get-api-v1-video-conference.list and 7 more', [{ path: 'body/action/status', message: 'must answer a status every matched operation documents: 401, 405' }]],
    [{ match: { provider: 'rocketchat', operationId: 'get-api-v1-me' }, action: { status: 400 } }, 'Status 400 is not documented for get-api-v1-me', [{ path: 'body/action/status', message: 'must answer a status every matched operation documents: 401, 405, 429' }]],
    [{ match: { provider: 'rocketchat', operationId: 'get-api-v1-me' }, action: { code: 'invalid-params' } }, 'Error code invalid-params (status 400) is not documented for get-api-v1-me', [{ path: 'body/action/code', message: 'must answer a status every matched operation documents: 401, 405, 429' }]],
    [{ match: { provider: 'rocketchat' }, action: { code: 'unauthorized', status: 429 } }, 'Error code unauthorized answers 403, not 429', [{ path: 'body/action/status', message: 'must be 403 with code unauthorized, or left out' }]],
    [{ match: { provider: 'signalwire', operationId: 'get_video_conference' }, action: { status: 429 } }, 'Status 429 is not documented for get_video_conference', [{ path: 'body/action/status', message: 'must answer a status every matched operation documents: 401, 404, 422, 500' }]],
    [{ match: { provider: 'dingtalk', operationId: 'getAccessToken' }, action: { status: 403 } }, 'Status 403 is not documented for getAccessToken', [{ path: 'body/action/status', message: 'must answer a status every matched operation documents: 400, 500' }]],
    [{ match: { operationId: 'nope' }, action: { status: 500 } }, 'No documented operation matches this fault', [{ path: 'body/match', message: 'must match at least one operation of a provider' }]],
    [{ match: { world: 'default' }, action: { status: 400 } }, undefined, [{ path: 'body/action/status', message: 'no error status is documented by every matched operation; narrow match (operationId)' }]],
    [{ match: { provider: 'rocketchat' }, action: { code: 'nope' } }, 'Unknown rocketchat error code nope', undefined],
    [{ match: {}, action: {} }, 'Invalid body', [{ path: 'body/action', message: 'must NOT have fewer than 1 properties' }]],
    [{ action: { status: 200 } }, 'Invalid body', [{ path: 'body/action/status', message: 'must be >= 400' }]],
  ];
  for (const [payload, detail, errors] of cases) {
    const res = await addFault(app, payload);
    t.equal(res.status, 400, JSON.stringify(payload));
    if (detail !== undefined) t.equal(res.body.detail, detail);
    if (errors) t.same(res.body.errors, errors);
  }
  t.same((await call(app, { method: 'GET', url: '/_emulator/faults' })).body, { faults: [] }, 'none was created');
});
