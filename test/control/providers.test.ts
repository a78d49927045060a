import { readFileSync } from 'node:fs';
import t from 'tap';
import { build, call, T0, type Reply } from '../helper.js';
import { INFO_CALL, JOHN } from '../providers/rocketchat/fixtures.js';
import { AUTH, LIVE_SESSION, PROJECT, TOKEN, WEEKLY_MODERATOR, WEEKLY_SYNC, basic } from '../providers/signalwire/fixtures.js';
import { APP, HOST, MSG, STARTED, ZHANG, assertError, dt, tokenOf } from '../providers/dingtalk/fixtures.js';

// Every control-plane feature against all three providers: worlds, isolation, faults, journal, reset.

type App = Awaited<ReturnType<typeof build>>;
type Creds = { appKey: string; appSecret: string };
interface World {
  id: string;
  sw: Record<string, string>;
  swProjectId: string;
  swToken: string;
  dt: Creds;
}

const SW_JSON = 'application/json; charset=utf-8';
const DT_JSON = 'application/json;charset=utf-8';
const SW_LIMIT = 13_800;
const fixture = (slug: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${slug}.json`, import.meta.url), 'utf8'));

const createWorld = (app: App, payload: object = {}) => call(app, { method: 'POST', url: '/_emulator/worlds', payload });
const addFault = (app: App, payload: object) => call(app, { method: 'POST', url: '/_emulator/faults', payload });
const count = async (app: App, query: string): Promise<number> => (await call(app, { method: 'GET', url: `/_emulator/requests/count?${query}` })).body.count;

/** A world made from the default fixtures, with its first SignalWire project and first DingTalk app. */
async function newWorld(app: App, name?: string): Promise<World> {
  const res = await createWorld(app, name === undefined ? {} : { name });
  if (res.status !== 201) throw new Error(`world: ${res.status} ${res.text}`);
  const { projectId, token } = res.body.credentials.signalwire.projects[0];
  return { id: res.body.id, sw: basic(projectId, token), swProjectId: projectId, swToken: token, dt: res.body.credentials.dingtalk.apps[0] };
}

const sw = (app: App, method: string, url: string, headers: Record<string, string>, payload?: object) =>
  call(app, { method: method as 'GET', url: `/api/video${url}`, headers, ...(payload === undefined ? {} : { payload }) });
const inWorld = (world: World | string) => ({ 'x-emulator-world': typeof world === 'string' ? world : world.id });
const info = (app: App, token: string, id = STARTED) => dt(app, 'GET', `/v1.0/conference/videoConferences/${id}`, token);

t.test('a new world gets fresh SignalWire and DingTalk credentials that pick it, with no other change to the client', async (t) => {
  const app = await build(t);
  const res = await createWorld(app, { name: 'fresh' });
  t.equal(res.status, 201);
  const other = await createWorld(app);
  const { signalwire, dingtalk, rocketchat } = res.body.credentials;

  const projects = signalwire.projects as { projectId: string; token: string; apiTokens: { name: string; token: string; scopes: string[] }[] }[];
  t.equal(projects.length, 2, 'both fixture projects');
  for (const p of projects) {
    t.match(p.projectId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    t.match(p.token, /^PT[0-9a-f]{48}$/);
  }
  t.same(projects[0].apiTokens.map((a) => [a.name, a.scopes]), [
    ['Video API', ['video']],
    ['Messaging only', ['messaging', 'voice']],
  ]);
  t.equal(projects[0].token, projects[0].apiTokens[0].token, 'token is the first API token with the Video scope');
  const apps = dingtalk.apps as Creds[];
  t.equal(apps.length, 3, 'all three fixture apps');
  for (const a of apps) {
    t.match(a.appKey, /^ding[0-9a-f]{16}$/);
    t.match(a.appSecret, /^[A-Za-z0-9_-]{64}$/);
  }
  const theirs = other.body.credentials;
  const secrets = (c: typeof theirs) => [
    ...c.signalwire.projects.flatMap((p: (typeof projects)[number]) => [p.projectId, ...p.apiTokens.map((a) => a.token)]),
    ...c.dingtalk.apps.flatMap((a: Creds) => [a.appKey, a.appSecret]),
    ...c.rocketchat.users.map((u: { authToken: string }) => u.authToken),
  ];
  const mine = secrets(res.body.credentials);
  const defaults = [PROJECT, TOKEN, '9d4f2b6e-31c8-4a57-8e0d-5b7c1a2f3e49', APP.appKey, APP.appSecret, JOHN['x-auth-token']];
  t.equal(new Set([...mine, ...secrets(theirs), ...defaults]).size, mine.length * 2 + defaults.length, 'unique vs the default world and vs another new world');
  t.equal(rocketchat.users.length, 4);

  // SignalWire: Basic auth with the new project picks the world.
  const auth = basic(projects[0].projectId, projects[0].token);
  let got = await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, auth);
  t.same([got.status, got.body.name, got.body.display_name], [200, 'weekly-sync', 'Weekly Sync'], 'the fixture conference, in the new world');
  const created = await sw(app, 'POST', '/conferences', auth, { name: 'fresh-only', display_name: 'Fresh only' });
  t.equal(created.status, 200);
  got = await sw(app, 'GET', `/conferences/${created.body.id}`, auth);
  t.same([got.status, got.body.name], [200, 'fresh-only']);
  got = await sw(app, 'GET', `/conferences/${created.body.id}`, AUTH);
  t.same([got.status, got.headers['content-type'], got.text], [404, SW_JSON, '{"error":"Not Found"}'], "the default world's credentials do not see it");
  const list = async (h: Record<string, string>) => (await sw(app, 'GET', '/conferences', h)).body.data.map((c: { name: string }) => c.name);
  // Oldest first (reference §2.7).
  t.same(await list(auth), ['weekly-sync', 'all-hands', 'design-review', 'fresh-only']);
  t.same(await list(AUTH), ['weekly-sync', 'all-hands', 'design-review']);
  got = await sw(app, 'GET', '/conferences', basic(PROJECT, projects[0].token));
  t.same([got.status, got.body], [401, { error: 'Unauthorized' }], 'a new token with the default project id mixes nothing');
  got = await sw(app, 'GET', '/conferences', basic(projects[0].projectId, TOKEN));
  t.equal(got.status, 401);

  // DingTalk: a token from the new app key and secret picks the world.
  const tokenRes = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: apps[0] });
  t.equal(tokenRes.status, 200);
  t.match(tokenRes.body, { accessToken: /^[0-9a-f]{32}$/, expireIn: 7200 });
  const token = tokenRes.body.accessToken as string;
  const defaultToken = await tokenOf(app);
  t.not(token, defaultToken);
  let q = await info(app, token);
  t.same([q.status, q.body.confInfo.title, q.body.confInfo.status], [200, '周会', 2], 'the fixture conference, in the new world');
  const conf = await dt(app, 'POST', '/v1.0/conference/videoConferences', token, { userId: HOST, confTitle: 'Fresh only' });
  t.equal(conf.status, 200);
  q = await info(app, token, conf.body.conferenceId);
  t.same([q.status, q.body.confInfo.title], [200, 'Fresh only']);
  // Reference §2.4: an unknown conferenceId is roomNotFound (noPermission is for another org of the same world).
  assertError(t, await info(app, defaultToken, conf.body.conferenceId), 404, 'roomNotFound', 'ROOM NOT FOUND');
  const mixed = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: apps[0].appKey, appSecret: APP.appSecret } });
  assertError(t, mixed, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
  const defaultKey = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: APP.appKey, appSecret: apps[0].appSecret } });
  t.equal(defaultKey.status, 400);
});

t.test("two worlds used concurrently never see each other's SignalWire or DingTalk data, nor rate-limit counters", async (t) => {
  const app = await build(t);
  const [a, b] = await Promise.all([newWorld(app, 'a'), newWorld(app, 'b')]);

  const signalwire = async (w: World, posts: number) => {
    const remaining: (string | number | string[] | undefined)[] = [];
    const ids: string[] = [];
    for (let i = 0; i < posts; i++) {
      const res = await sw(app, 'POST', '/conferences', w.sw, { name: `team-${i}`, display_name: `Team ${i} of ${w.id}` });
      if (res.status !== 200) throw new Error(res.text);
      remaining.push(res.headers['x-ratelimit-remaining']);
      ids.push(res.body.id);
    }
    const member = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/members`, headers: inWorld(w), payload: { name: `Carol of ${w.id}` } });
    if (member.status !== 201) throw new Error(member.text);
    return { remaining, ids, memberId: member.body.id as string };
  };
  const dingtalk = async (w: World, calls: number) => {
    const token = await tokenOf(app, w.dt);
    const statuses: number[] = [];
    for (let i = 0; i < calls; i++) statuses.push((await info(app, token)).status);
    const joined = await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join`, headers: inWorld(w) });
    if (joined.status !== 200) throw new Error(joined.text);
    return { token, statuses };
  };

  const [swA, swB, dtA, dtB] = await Promise.all([signalwire(a, 3), signalwire(b, 1), dingtalk(a, 21), dingtalk(b, 20)]);
  t.same(swA.remaining, ['13799', '13798', '13797'], 'world a spends its own SignalWire limit');
  t.same(swB.remaining, ['13799'], "world b's counter is its own");
  t.same(dtA.statuses, [...Array(20).fill(200), 403], 'DingTalk: 20 calls per second per app per API, the 21st refused');
  t.same(dtB.statuses, Array(20).fill(200), "world b's calls were not counted in world a");

  const throttled = await info(app, dtA.token);
  assertError(t, throttled, 403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', MSG.qps);
  t.equal((await info(app, dtB.token)).status, 403, 'b now used up its own 20 in this second');
  t.equal((await info(app, await tokenOf(app))).status, 200, 'the default world is untouched');
  await call(app, { method: 'POST', url: `/_emulator/worlds/${a.id}/clock`, payload: { advanceMs: 1000 } });
  t.equal((await info(app, dtA.token)).status, 200, "the next second of a's clock opens a new window");
  t.equal((await info(app, dtB.token)).status, 403, "b's clock did not move");

  // SignalWire conferences: same names in both worlds, each sees only its own.
  for (const [mine, theirs, auth] of [
    [swA, swB, a.sw],
    [swB, swA, b.sw],
  ] as const) {
    for (const id of theirs.ids) t.equal((await sw(app, 'GET', `/conferences/${id}`, auth)).status, 404);
    for (const id of mine.ids) t.equal((await sw(app, 'GET', `/conferences/${id}`, auth)).status, 200);
  }
  const names = async (auth: Record<string, string>) => (await sw(app, 'GET', '/conferences', auth)).body.data.map((c: { display_name: string }) => c.display_name);
  t.same((await names(a.sw)).slice(2), ['Design Review', `Team 0 of ${a.id}`, `Team 1 of ${a.id}`, `Team 2 of ${a.id}`]);
  t.same((await names(b.sw)).slice(2), ['Design Review', `Team 0 of ${b.id}`]);
  t.equal((await names(AUTH)).length, 3);

  // Room-session members.
  const members = async (auth: Record<string, string>) =>
    (await sw(app, 'GET', `/room_sessions/${LIVE_SESSION}/members`, auth)).body.data.map((m: { name: string }) => m.name).sort();
  t.same(await members(a.sw), ['Alice', 'Bob', `Carol of ${a.id}`]);
  t.same(await members(b.sw), ['Alice', 'Bob', `Carol of ${b.id}`]);
  t.same(await members(AUTH), ['Alice', 'Bob']);

  // DingTalk conferences and members.
  await call(app, { method: 'POST', url: `/_emulator/worlds/${b.id}/clock`, payload: { advanceMs: 1000 } });
  const created = await dt(app, 'POST', '/v1.0/conference/videoConferences', dtA.token, { userId: HOST, confTitle: 'Only in a' });
  t.equal(created.status, 200);
  assertError(t, await info(app, dtB.token, created.body.conferenceId), 404, 'roomNotFound', 'ROOM NOT FOUND');
  const zhang = async (token: string) => {
    const res = await dt(app, 'GET', `/v1.0/conference/videoConferences/${STARTED}/members`, token);
    return res.body.memberModels.find((m: { unionId: string }) => m.unionId === ZHANG).attendStatus;
  };
  t.same([await zhang(dtA.token), await zhang(dtB.token), await zhang(await tokenOf(app))], [3, 3, 2], 'joined in a and b, still called in the default world');
  const left = await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/leave`, headers: inWorld(a) });
  t.equal(left.status, 200);
  t.same([await zhang(dtA.token), await zhang(dtB.token)], [6, 3], 'leaving in a leaves b alone');
});

t.test("faults are rendered in each provider's format; a world-scoped fault hits only its world", async (t) => {
  const app = await build(t);
  const w = await newWorld(app);
  const token = await tokenOf(app);

  // Rocket.Chat
  await addFault(app, { match: { provider: 'rocketchat', operationId: 'get-api-v1-video-conference.info' }, action: { status: 405 }, times: 1 });
  let res = await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.same([res.status, res.headers['content-type'], res.headers.allow, res.text], [405, 'application/json', 'GET, OPTIONS', '{"status":"error","message":"API endpoint does not exist"}']);

  // DingTalk: the route's systemError, in the envelope.
  const fault = await addFault(app, { match: { provider: 'dingtalk', operationId: 'queryConferenceInfo' }, action: { code: 'systemError' }, times: 1 });
  t.equal(fault.status, 201);
  res = await info(app, token);
  assertError(t, res, 500, 'systemError', 'SYSTEM ERROR');
  t.same(Object.keys(res.body), ['code', 'requestid', 'message']);
  t.equal(res.headers['content-type'], DT_JSON);
  t.equal(res.headers['x-acs-request-id'], res.body.requestid);
  t.equal((await info(app, token)).status, 200, 'spent after one hit');

  // SignalWire: the generic body for a status.
  for (const [status, text] of [
    [500, '{"error":"Internal Server Error"}'],
    [404, '{"error":"Not Found"}'],
    [
      422,
      '{"errors":[{"type":"validation_error","code":"invalid_parameter","message":"is invalid","attribute":"include_active_session","url":"https://developer.signalwire.com/rest/overview/error-codes/#invalid_parameter"}]}',
    ],
  ] as const) {
    await addFault(app, { match: { provider: 'signalwire', operationId: 'get_video_conference' }, action: { status }, times: 1 });
    res = await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, AUTH);
    t.same([res.status, res.headers['content-type'], res.text], [status, SW_JSON, text]);
  }
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, AUTH)).status, 200);

  // World-scoped: only requests whose credential picks that world.
  const swFault = await addFault(app, { match: { world: w.id, provider: 'signalwire' }, action: { status: 500 } });
  const dtFault = await addFault(app, { match: { world: w.id, provider: 'dingtalk', operationId: 'queryConferenceInfo' }, action: { code: 'roomNotFound' } });
  const wToken = await tokenOf(app, w.dt);
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, w.sw)).status, 500);
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, AUTH)).status, 200, 'the default world is not hit');
  assertError(t, await info(app, wToken), 404, 'roomNotFound', 'ROOM NOT FOUND');
  t.equal((await info(app, token)).status, 200, 'the default world is not hit');
  const listed = (await call(app, { method: 'GET', url: '/_emulator/faults' })).body.faults;
  t.same(
    listed.map((f: { id: string; hits: number }) => [f.id, f.hits]),
    [
      [swFault.body.id, 1],
      [dtFault.body.id, 1],
    ],
  );
  await call(app, { method: 'DELETE', url: '/_emulator/faults' });
});

t.test('delayMs on a DingTalk route, drop on a SignalWire route', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  await addFault(app, { match: { provider: 'dingtalk', operationId: 'queryConferenceInfo' }, action: { delayMs: 80 }, times: 1 });
  const started = performance.now();
  const res = await info(app, token);
  t.same([res.status, res.body.confInfo.conferenceId], [200, STARTED], 'the real response, delayed');
  t.ok(performance.now() - started >= 70, 'delayed by the requested time');

  await addFault(app, { match: { provider: 'signalwire', operationId: 'get_video_conference' }, action: { drop: true }, times: 1 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}/api/video/conferences/${WEEKLY_SYNC}`;
  await t.rejects(fetch(url, { headers: AUTH }), { message: 'fetch failed' });
  const after = await fetch(url, { headers: AUTH });
  t.equal(after.status, 200, 'the next request is served');
  const [served, dropped] = (await call(app, { method: 'GET', url: '/_emulator/requests?provider=signalwire' })).body.requests;
  t.same([dropped.status, dropped.operationId, served.status], [0, 'get_video_conference', 200]);
});

t.test('the journal redacts SignalWire and DingTalk secrets, counts per provider, and separates worlds', async (t) => {
  const app = await build(t);
  const w = await newWorld(app);
  await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, AUTH);
  await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}/conference_tokens`, AUTH);
  const reset = await sw(app, 'POST', `/conference_tokens/${WEEKLY_MODERATOR.id}/reset`, AUTH);
  t.equal(reset.status, 200);
  const token = await tokenOf(app);
  await info(app, token);

  const journal = (await call(app, { method: 'GET', url: '/_emulator/requests?world=default' })).body.requests;
  const [query, tokenRequest, resetEntry, listEntry, getEntry] = journal;
  t.same(
    journal.map((e: { provider: string; operationId: string; status: number }) => [e.provider, e.operationId, e.status]),
    [
      ['dingtalk', 'queryConferenceInfo', 200],
      ['dingtalk', 'getAccessToken', 200],
      ['signalwire', 'reset_conference_token', 200],
      ['signalwire', 'list_conference_tokens', 200],
      ['signalwire', 'get_video_conference', 200],
    ],
  );
  t.equal(getEntry.headers.authorization, '[redacted]', 'SignalWire Basic credentials');
  t.same(
    listEntry.responseBody.data.map((d: { name: string; token: string }) => [d.name, d.token]),
    [
      ['Moderator', '[redacted]'],
      ['Guest', '[redacted]'],
    ],
    'conference-token values in responses',
  );
  t.equal(resetEntry.responseBody.token, '[redacted]');
  t.equal(resetEntry.responseBody.id, WEEKLY_MODERATOR.id);
  t.same(tokenRequest.body, { appKey: APP.appKey, appSecret: '[redacted]' }, 'DingTalk appSecret in the token request');
  t.same(tokenRequest.responseBody, { accessToken: '[redacted]', expireIn: 7200 }, 'and the accessToken in its response');
  t.equal(query.headers['x-acs-dingtalk-access-token'], '[redacted]');
  t.equal(query.responseBody.confInfo.conferenceId, STARTED);
  const text = JSON.stringify(journal);
  for (const secret of [TOKEN, AUTH.authorization.slice(6), APP.appSecret, token, WEEKLY_MODERATOR.token, reset.body.token]) t.notMatch(text, secret);

  // Per provider and operation, then per world.
  const wToken = await tokenOf(app, w.dt);
  await info(app, wToken);
  await info(app, wToken);
  await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, w.sw);
  await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
  t.equal(await count(app, 'provider=signalwire'), 4);
  t.equal(await count(app, 'provider=signalwire&operationId=get_video_conference'), 2);
  t.equal(await count(app, 'provider=dingtalk&operationId=queryConferenceInfo'), 3);
  t.equal(await count(app, 'provider=dingtalk&operationId=getAccessToken'), 2);
  t.equal(await count(app, 'provider=rocketchat'), 1);
  t.equal(await count(app, 'provider=signalwire&operationId=queryConferenceInfo'), 0, 'operation ids are per provider');
  t.equal(await count(app, `world=${w.id}&provider=signalwire`), 1);
  t.equal(await count(app, `world=${w.id}&provider=dingtalk`), 3, "the token request for the world's app belongs to that world");
  t.equal(await count(app, 'world=default&provider=dingtalk'), 2);
  t.equal(await count(app, 'world=default&provider=signalwire'), 3);
  const mine = (await call(app, { method: 'GET', url: `/_emulator/requests?world=${w.id}` })).body.requests;
  t.same(
    mine.map((e: { world: string; operationId: string }) => [e.world, e.operationId]),
    [
      [w.id, 'get_video_conference'],
      [w.id, 'queryConferenceInfo'],
      [w.id, 'queryConferenceInfo'],
      [w.id, 'getAccessToken'],
    ],
  );
  t.notMatch(JSON.stringify(mine), w.dt.appSecret);
  t.notMatch(JSON.stringify(mine), wToken);
  t.notMatch(JSON.stringify(mine), w.swToken);

  const wrong = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: w.dt.appKey, appSecret: 'wrong' } });
  t.equal(wrong.status, 400);
  t.equal(await count(app, `world=${w.id}&operationId=getAccessToken&status=400`), 1, 'a refused token request is journaled in the world its app key names');
  t.equal(await count(app, 'world=default&operationId=getAccessToken&status=400'), 0);
});

t.test("reset restores one world's SignalWire and DingTalk data; DingTalk tokens issued before it stop working", async (t) => {
  const app = await build(t);
  const w = await newWorld(app);
  const defaultToken = await tokenOf(app);
  const before = await tokenOf(app, w.dt);

  t.equal((await sw(app, 'DELETE', `/conferences/${WEEKLY_SYNC}`, w.sw)).status, 204);
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, w.sw)).status, 404);
  let res = await sw(app, 'POST', '/conferences', w.sw, { name: 'scratch', display_name: 'Scratch' });
  t.equal(res.headers['x-ratelimit-remaining'], String(SW_LIMIT - 1));
  const scratch = res.body.id as string;
  res = await call(app, { method: 'POST', url: `/_emulator/signalwire/room_sessions/${LIVE_SESSION}/members`, headers: inWorld(w), payload: { name: 'Carol' } });
  t.equal(res.status, 201);
  res = await dt(app, 'DELETE', `/v1.0/conference/videoConferences/${STARTED}?unionId=${HOST}`, before);
  t.same([res.status, res.body], [200, { code: 200, cause: 'success' }]);
  t.equal((await info(app, before)).body.confInfo.status, 1);
  await call(app, { method: 'POST', url: `/_emulator/worlds/${w.id}/clock`, payload: { advanceMs: 60_000 } });

  res = await call(app, { method: 'POST', url: `/_emulator/worlds/${w.id}/reset` });
  t.same([res.status, res.text], [204, '']);

  res = await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, w.sw);
  t.same([res.status, res.body.name], [200, 'weekly-sync'], 'the deleted conference is back, with the same credentials');
  t.equal((await sw(app, 'GET', `/conferences/${scratch}`, w.sw)).status, 404, 'the created one is gone');
  const members = (await sw(app, 'GET', `/room_sessions/${LIVE_SESSION}/members`, w.sw)).body.data.map((m: { name: string }) => m.name);
  t.same(members.sort(), ['Alice', 'Bob']);
  res = await sw(app, 'POST', '/conferences', w.sw, { name: 'scratch', display_name: 'Scratch' });
  t.equal(res.headers['x-ratelimit-remaining'], String(SW_LIMIT - 1), 'the rate-limit counter starts again');

  // The token rows and the raw tokens kept in memory both go with the reset (src/providers/dingtalk/handlers/token.ts).
  assertError(t, await info(app, before), 400, 'InvalidAuthentication', MSG.invalidToken);
  const after = await tokenOf(app, w.dt);
  t.not(after, before, 'a new token is issued');
  res = await info(app, after);
  t.same([res.status, res.body.confInfo.status], [200, 2], 'the closed conference is started again');
  t.equal((await call(app, { method: 'GET', url: `/_emulator/worlds/${w.id}/clock` })).body.now, new Date(Date.parse(T0) + 60_000).toISOString(), 'the clock keeps its setting');
  t.equal((await info(app, defaultToken)).status, 200, "the default world's token survives another world's reset");

  // The whole-emulator reset restores every world.
  await sw(app, 'DELETE', `/conferences/${WEEKLY_SYNC}`, w.sw);
  await sw(app, 'DELETE', `/conferences/${WEEKLY_SYNC}`, AUTH);
  t.equal((await call(app, { method: 'POST', url: '/_emulator/reset' })).status, 204);
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, w.sw)).status, 200);
  t.equal((await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, AUTH)).status, 200);
  assertError(t, await info(app, defaultToken), 400, 'InvalidAuthentication', MSG.invalidToken);
});

const problemPaths = (res: Reply) => (res.body.errors as { path: string; message: string }[]).map((e) => e.path);

t.test('inline SignalWire and DingTalk fixtures: the default files validate, invalid ones name every bad path and load nothing', async (t) => {
  const app = await build(t);
  const full = await createWorld(app, { fixtures: { rocketchat: fixture('rocketchat'), signalwire: fixture('signalwire'), dingtalk: fixture('dingtalk') } });
  t.equal(full.status, 201, 'the default fixture files pass fixtures/schema.json');
  t.equal(full.body.credentials.signalwire.projects.length, 2);
  t.equal(full.body.credentials.dingtalk.apps.length, 3);

  // One project reused by a minimal inline world: its own conferences and rate-limit counter.
  const solo = await createWorld(app, {
    fixtures: {
      signalwire: { projects: [{ id: PROJECT, api_tokens: [{ token: TOKEN }], conferences: [{ id: WEEKLY_SYNC, name: 'solo', display_name: 'Solo' }] }] },
      dingtalk: { apps: [{ appKey: APP.appKey, appSecret: APP.appSecret, org: 'o', scopes: ['VideoConference.Conference.Read'] }], users: [{ unionId: 'u', nick: 'U', org: 'o' }] },
    },
  });
  t.equal(solo.status, 201);
  const p = solo.body.credentials.signalwire.projects[0];
  t.not(p.projectId, PROJECT, 'inline credentials are replaced by fresh ones too');
  t.same(p.apiTokens, [{ name: 'API token', token: p.token, scopes: ['video'] }], 'name and scopes take their defaults');
  const soloAuth = basic(p.projectId, p.token);
  const conf = await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}`, soloAuth);
  t.same([conf.status, conf.body.name, conf.body.quality, conf.body.created_at], [200, 'solo', '720p', '2026-02-01T00:00:00Z']);
  const tokens = await sw(app, 'GET', `/conferences/${WEEKLY_SYNC}/conference_tokens`, soloAuth);
  t.same(tokens.body.data.map((d: { name: string }) => d.name), ['Moderator', 'Guest'], 'omitted conference tokens are generated');
  const post = await sw(app, 'POST', '/conferences', soloAuth, { display_name: 'x' });
  const defaultPost = await sw(app, 'POST', '/conferences', AUTH, { display_name: 'x' });
  t.same([post.headers['x-ratelimit-remaining'], defaultPost.headers['x-ratelimit-remaining']], [String(SW_LIMIT - 1), String(SW_LIMIT - 1)]);
  const soloToken = await tokenOf(app, solo.body.credentials.dingtalk.apps[0]);
  assertError(t, await info(app, soloToken), 404, 'roomNotFound', 'ROOM NOT FOUND');

  const before = (await call(app, { method: 'GET', url: '/_emulator/worlds' })).body.worlds.length;
  const bad = await createWorld(app, {
    fixtures: {
      rocketchat: { users: [{ _id: 'fine', username: 'fine' }] },
      signalwire: {
        projects: [
          {
            id: 'not-a-uuid',
            api_tokens: [{ token: '' }],
            conferences: [
              {
                id: WEEKLY_SYNC,
                name: 'has spaces',
                display_name: '   ',
                quality: '4k',
                colour: '#fff',
                join_from: 'tomorrow',
                conference_tokens: [
                  { id: WEEKLY_MODERATOR.id, name: 'Guest', token: 'x' },
                  { id: 'nope', name: 'Guest', token: 'y' },
                ],
                room_sessions: [{ id: LIVE_SESSION, events: [{ id: LIVE_SESSION, name: 'member.joined', created_at: '2026-01-01T00:00:00Z' }] }],
              },
            ],
          },
        ],
        extra: true,
      },
      dingtalk: {
        apps: [{ appKey: 'k', appSecret: 's', scopes: ['VideoConference.Conference.Admin'] }],
        users: [{ unionId: 'u', org: 'o' }],
        conferences: [{ conferenceId: 'ABC', title: 't', creatorId: 'u', startTime: -1, roomCode: '0123', status: 3, members: [{ unionId: 'u', attendStatus: 7, camera: 1 }] }],
      },
    },
  });
  t.equal(bad.status, 400);
  t.equal(bad.headers['content-type'], 'application/problem+json');
  t.equal(bad.body.detail, 'Invalid fixtures');
  const paths = problemPaths(bad);
  for (const path of [
    'fixtures/signalwire',
    'fixtures/signalwire/projects/0/id',
    'fixtures/signalwire/projects/0/api_tokens/0/token',
    'fixtures/signalwire/projects/0/conferences/0',
    'fixtures/signalwire/projects/0/conferences/0/name',
    'fixtures/signalwire/projects/0/conferences/0/display_name',
    'fixtures/signalwire/projects/0/conferences/0/quality',
    'fixtures/signalwire/projects/0/conferences/0/join_from',
    'fixtures/signalwire/projects/0/conferences/0/conference_tokens/0/name',
    'fixtures/signalwire/projects/0/conferences/0/conference_tokens/1/id',
    'fixtures/signalwire/projects/0/conferences/0/room_sessions/0',
    'fixtures/signalwire/projects/0/conferences/0/room_sessions/0/events/0',
    'fixtures/dingtalk/apps/0',
    'fixtures/dingtalk/apps/0/scopes/0',
    'fixtures/dingtalk/users/0',
    'fixtures/dingtalk/conferences/0/conferenceId',
    'fixtures/dingtalk/conferences/0/startTime',
    'fixtures/dingtalk/conferences/0/roomCode',
    'fixtures/dingtalk/conferences/0/status',
    'fixtures/dingtalk/conferences/0/members/0',
    'fixtures/dingtalk/conferences/0/members/0/attendStatus',
  ]) {
    t.ok(paths.includes(path), `names ${path}`);
  }
  t.notOk(paths.some((path) => path.startsWith('fixtures/rocketchat')), 'a valid section is not blamed');
  const messages = Object.fromEntries((bad.body.errors as { path: string; message: string }[]).map((e) => [e.path, e.message]));
  t.equal(messages['fixtures/signalwire'], "must NOT have additional property 'extra'");
  t.equal(messages['fixtures/signalwire/projects/0/conferences/0'], "must NOT have additional property 'colour'");
  t.equal(messages['fixtures/dingtalk/conferences/0/members/0'], "must NOT have additional property 'camera'");
  t.equal(messages['fixtures/signalwire/projects/0/conferences/0/room_sessions/0'], "must have required property 'start_time'");
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds' })).body.worlds.length, before, 'nothing half-loaded');

  // Valid against the schema, refused by the loader: the transaction leaves nothing behind.
  const rows = () => app.emulator.db.prepare("SELECT (SELECT COUNT(*) FROM dingtalk_apps) + (SELECT COUNT(*) FROM signalwire_projects) AS n").get() as { n: number };
  const rowsBefore = rows().n;
  const unloadable = await createWorld(app, {
    fixtures: {
      signalwire: { projects: [{ id: PROJECT, api_tokens: [{ token: TOKEN }] }] },
      dingtalk: {
        apps: [{ appKey: 'k', appSecret: 's', org: 'o' }],
        conferences: [{ conferenceId: STARTED, title: 't', creatorId: 'nobody', startTime: 0, roomCode: '12345678901' }],
      },
    },
  });
  t.same([unloadable.status, unloadable.body.detail], [400, `The fixtures could not be loaded: dingtalk fixtures: conference ${STARTED} has an unknown creator nobody`]);
  t.equal(rows().n, rowsBefore, 'no SignalWire project or DingTalk app of the failed world remains');
  t.equal((await call(app, { method: 'GET', url: '/_emulator/worlds' })).body.worlds.length, before);
});
