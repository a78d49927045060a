import t from 'tap';
import { build, call } from '../../helper.js';
import { INVALID_PARAMS, JANE, JOHN, NOT_LOGGED_IN, OUTSIDER, PRIVATE_ROOM, UI_TEST, invalid } from './fixtures.js';

const LIST_EXAMPLE = {
  data: [
    {
      _id: '69786d0ac8b05330207814bd',
      type: 'videoconference',
      users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', avatarETag: null, ts: '2026-01-27T07:45:14.977Z' }],
      messages: { started: '8AqsmsMXDePKfDbHv' },
      status: 1,
      anonymousUsers: 0,
      createdAt: '2026-01-27T07:45:14.533Z',
      providerName: 'googlemeet',
      ringing: true,
      title: 'ui-test',
      rid: '674eca3e43725ce31dd9a2e8',
      createdBy: { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' },
      _updatedAt: '2026-01-27T07:45:14.977Z',
      url: 'http://g.co/meet/RocketChat_69786d0ac8b05330207814bd',
    },
    {
      _id: '6772586c8dd061cca4edc998',
      type: 'videoconference',
      users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', ts: '2024-12-30T08:23:11.13Z' }],
      messages: { started: 'sTDmP2WSH6Rwt89iw' },
      status: 2,
      anonymousUsers: 0,
      createdAt: '2024-12-30T08:23:08.655Z',
      providerName: 'jitsi',
      title: 'ui-test',
      rid: '674eca3e43725ce31dd9a2e8',
      createdBy: { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' },
      _updatedAt: '2024-12-31T09:00:00.025Z',
      url: 'https://meet.jit.si/RocketChat6772586c8dd061cca4edc998',
      endedAt: '2024-12-31T09:00:00.025Z',
    },
  ],
  offset: 0,
  count: 2,
  total: 2,
  success: true,
};

type App = Awaited<ReturnType<typeof build>>;
const list = (app: App, query: string, headers: Record<string, string> = JOHN) =>
  call(app, { method: 'GET', url: `/api/v1/video-conference.list?${query}`, headers });

t.test('list returns the documented example, newest first', async (t) => {
  const app = await build(t);
  const res = await list(app, `roomId=${UI_TEST}`);
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify(LIST_EXAMPLE));
});

t.test('pagination', async (t) => {
  const app = await build(t, { rateLimits: false });
  const clock = app.emulator.worlds.default.clock;
  const ids: string[] = [];
  for (let i = 0; i < 120; i++) {
    clock.advance(1000);
    const res = await call(app, { method: 'POST', url: '/api/v1/video-conference.start', headers: JANE, payload: { roomId: 'GENERAL' } });
    ids.unshift(res.body.data.callId);
  }
  const page = async (query: string) => {
    const res = await list(app, `roomId=GENERAL${query}`);
    t.equal(res.status, 200, query);
    return { ids: res.body.data.map((c: { _id: string }) => c._id), offset: res.body.offset, count: res.body.count, total: res.body.total };
  };
  t.same(await page(''), { ids: ids.slice(0, 50), offset: 0, count: 50, total: 120 }, 'count defaults to 50');
  t.same(await page('&offset=110&count=20'), { ids: ids.slice(110), offset: 110, count: 10, total: 120 });
  t.same(await page('&count=500'), { ids: ids.slice(0, 100), offset: 0, count: 100, total: 120 }, 'count is clamped to 100');
  t.same(await page('&count=0'), { ids, offset: 0, count: 120, total: 120 }, 'count=0 returns everything');
  t.same(await page('&count=-3'), { ids: ids.slice(0, 3), offset: 0, count: 3, total: 120 }, 'a negative count returns |count|');
  t.same(await page('&offset=500'), { ids: [], offset: 500, count: 0, total: 120 });

  const priv = await list(app, 'roomId=65f0a1b2c3d4e5f6a7b8c9d0', JANE);
  t.same([priv.body.data.map((c: { _id: string }) => c._id), priv.body.count, priv.body.total], [['65f0a1b2c3d4e5f6a7b8c9e1'], 1, 1]);
  const dm = await list(app, 'roomId=CkCPNctrgCDfmWLqCfRv4qm8ycWHXSA7af');
  t.equal(dm.text, '{"data":[],"offset":0,"count":0,"total":0,"success":true}', 'an empty room');
});

t.test('list errors', async (t) => {
  const app = await build(t, { rateLimits: false });
  let res = await list(app, '');
  t.same([res.status, res.body], [400, invalid("must have required property 'roomId'")]);
  for (const bad of ['count=abc', 'count=NaN', 'count=1_0', 'count=1&count=2', 'offset=x']) {
    res = await list(app, `roomId=${UI_TEST}&${bad}`);
    t.same([res.status, res.body], [400, invalid('must be number')], bad);
  }
  res = await list(app, `roomId=${UI_TEST}&_=123`);
  t.same([res.status, res.body], [400, invalid('must NOT have additional properties')]);
  res = await list(app, `roomId=a&roomId=b`);
  t.same([res.status, res.body], [400, invalid('must be string')]);
  res = await list(app, `roomId=${PRIVATE_ROOM}`, OUTSIDER);
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
  res = await list(app, 'roomId=missing');
  t.same([res.status, res.body], [400, INVALID_PARAMS]);
});

t.test('providers and capabilities', async (t) => {
  const app = await build(t);
  const providers = await call(app, { method: 'GET', url: '/api/v1/video-conference.providers?anything=1', headers: JOHN });
  t.equal(providers.status, 200);
  t.equal(providers.text, '{"data":[{"key":"jitsi","label":"Jitsi"},{"key":"googlemeet","label":"GoogleMeet"}],"success":true}');
  const caps = await call(app, { method: 'GET', url: '/api/v1/video-conference.capabilities', headers: JOHN });
  t.equal(caps.text, '{"providerName":"googlemeet","capabilities":{"mic":false,"cam":false,"title":false},"success":true}');
  const anon = await call(app, { method: 'GET', url: '/api/v1/video-conference.providers' });
  t.same([anon.status, anon.body], [401, NOT_LOGGED_IN]);
});
