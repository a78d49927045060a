import t from 'tap';
import { build, call } from '../../helper.js';
import {
  AUTH,
  DESIGN_REVIEW,
  GUEST_SCOPES,
  NOT_FOUND,
  ORIGIN,
  OTHER_AUTH,
  PARTNER_GUEST,
  STREAM,
  WEEKLY_GUEST,
  WEEKLY_MODERATOR,
  WEEKLY_SYNC,
  entry,
  unprocessable,
} from './fixtures.js';

t.test('conference tokens: list (Moderator then Guest), get, 404s', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}/conference_tokens`, headers: AUTH });
  t.equal(res.status, 200);
  const base = `${ORIGIN}/api/video/conferences/${WEEKLY_SYNC}/conference_tokens`;
  t.same(res.body.links, { self: `${base}?page_number=0&page_size=50`, first: `${base}?page_number=0&page_size=50` });
  t.same(res.body.data.map((tk: { id: string; name: string; token: string }) => [tk.id, tk.name, tk.token]), [
    [WEEKLY_MODERATOR.id, 'Moderator', WEEKLY_MODERATOR.token],
    [WEEKLY_GUEST.id, 'Guest', WEEKLY_GUEST.token],
  ]);
  t.equal(res.body.data[0].scopes[0], 'room.hide_video_muted');
  t.equal(res.body.data[0].scopes[36], 'room.self.set_meta');

  res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}/conference_tokens?page_size=1`, headers: AUTH });
  t.same([res.body.data[0].name, res.body.links.next], ['Moderator', `${base}?page_number=1&page_size=1&page_token=PA${WEEKLY_MODERATOR.id}`]);

  res = await call(app, { method: 'GET', url: `/api/video/conference_tokens/${WEEKLY_GUEST.id}`, headers: AUTH });
  t.equal(res.text, JSON.stringify({ id: WEEKLY_GUEST.id, name: 'Guest', token: WEEKLY_GUEST.token, scopes: GUEST_SCOPES }));

  for (const id of [PARTNER_GUEST, 'vpt_0f3a9b27c5e84d1698a2b7c4e6f10d53', '00000000-0000-4000-8000-000000000000']) {
    res = await call(app, { method: 'GET', url: `/api/video/conference_tokens/${id}`, headers: AUTH });
    t.same([res.status, res.body], [404, NOT_FOUND], id);
  }
  res = await call(app, { method: 'GET', url: '/api/video/conferences/not-a-uuid/conference_tokens', headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);
  res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}/conference_tokens?page_size=0`, headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('page_size', 'must be greater than or equal to 1'))]);
});

t.test('reset keeps id, name and scopes and issues a new value; any body is ignored', async (t) => {
  const app = await build(t);
  const reset = (payload?: string, headers: Record<string, string> = {}) =>
    call(app, { method: 'POST', url: `/api/video/conference_tokens/${WEEKLY_GUEST.id}/reset`, headers: { ...AUTH, ...headers }, payload });

  let res = await reset();
  t.equal(res.status, 200);
  t.same([res.body.id, res.body.name, res.body.scopes], [WEEKLY_GUEST.id, 'Guest', GUEST_SCOPES]);
  t.match(res.body.token, /^vpt_[0-9a-f]{32}$/);
  t.not(res.body.token, WEEKLY_GUEST.token);
  t.equal(res.headers['x-ratelimit-remaining'], '13799');
  const first = res.body.token;

  res = await call(app, { method: 'GET', url: `/api/video/conference_tokens/${WEEKLY_GUEST.id}`, headers: AUTH });
  t.equal(res.body.token, first, 'the old value is gone');

  res = await reset('{not json', { 'content-type': 'application/json' });
  t.equal(res.status, 200, 'a malformed body is ignored');
  t.not(res.body.token, first);
  res = await reset('hello', { 'content-type': 'text/plain' });
  t.equal(res.status, 200, 'a non-JSON body is ignored');

  res = await call(app, { method: 'POST', url: `/api/video/conference_tokens/${PARTNER_GUEST}/reset`, headers: AUTH });
  t.same([res.status, res.body, res.headers['x-ratelimit-limit']], [404, NOT_FOUND, '13800'], "another project's token: 404, still counted");
  res = await call(app, { method: 'POST', url: `/api/video/conference_tokens/${PARTNER_GUEST}/reset`, headers: OTHER_AUTH });
  t.equal(res.status, 200);
});

t.test('streams: list, create, get, update, delete', async (t) => {
  const app = await build(t);
  const clock = app.emulator.worlds.default.clock;
  let res = await call(app, { method: 'GET', url: `/api/video/conferences/${DESIGN_REVIEW}/streams`, headers: AUTH });
  const fixture = { id: STREAM, url: 'rtmp://live.example.com/app/stream-key', stream_type: 'rtmp', width: 1920, height: 1080, fps: 20, created_at: '2026-01-07T09:10:00Z', updated_at: '2026-01-07T09:10:00Z' };
  t.equal(JSON.stringify(res.body.data), JSON.stringify([fixture]), '1080p conference: 1920x1080');

  res = await call(app, { method: 'POST', url: `/api/video/conferences/${WEEKLY_SYNC}/streams`, headers: AUTH, payload: { url: 'rtmps://live.example.com:443/app/key', extra: 1 } });
  t.equal(res.status, 200, 'create answers 200');
  const created = res.body;
  t.same(created, { id: created.id, url: 'rtmps://live.example.com:443/app/key', stream_type: 'rtmp', width: 1280, height: 720, fps: 20, created_at: '2026-02-01T00:00:00Z', updated_at: '2026-02-01T00:00:00Z' });
  t.equal(res.headers['x-ratelimit-remaining'], '13799');

  for (const [payload, message] of [
    [{}, "can't be blank"],
    [{ url: null }, "can't be blank"],
    [{ url: '  ' }, "can't be blank"],
    [{ url: 5 }, 'is invalid'],
    [{ url: 'http://live.example.com/app' }, 'is invalid'],
    [{ url: 'rtmp://' }, 'is invalid'],
    [{ url: 'rtmp://host/with space' }, 'is invalid'],
  ] as const) {
    res = await call(app, { method: 'POST', url: `/api/video/conferences/${WEEKLY_SYNC}/streams`, headers: AUTH, payload });
    t.same([res.status, res.body], [422, unprocessable(entry('url', message))], JSON.stringify(payload));
  }
  res = await call(app, { method: 'POST', url: '/api/video/conferences/00000000-0000-4000-8000-000000000000/streams', headers: AUTH, payload: {} });
  t.same([res.status, res.body], [404, NOT_FOUND]);

  clock.advance(2_000);
  res = await call(app, { method: 'PUT', url: `/api/video/streams/${created.id}`, headers: AUTH, payload: { url: 'rtmp://other.example.com/live' } });
  t.same([res.status, res.body.url, res.body.updated_at, res.body.created_at], [200, 'rtmp://other.example.com/live', '2026-02-01T00:00:02Z', '2026-02-01T00:00:00Z']);
  res = await call(app, { method: 'PUT', url: `/api/video/streams/${created.id}`, headers: AUTH, payload: {} });
  t.same([res.status, res.body], [422, unprocessable(entry('url', "can't be blank"))], 'url is required on PUT');

  res = await call(app, { method: 'GET', url: `/api/video/streams/${created.id}`, headers: AUTH });
  t.equal(res.body.url, 'rtmp://other.example.com/live');
  res = await call(app, { method: 'GET', url: `/api/video/streams/${created.id}`, headers: OTHER_AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);

  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH, payload: { display_name: 'Weekly Sync', quality: '1080p' } });
  res = await call(app, { method: 'GET', url: `/api/video/streams/${created.id}`, headers: AUTH });
  t.same([res.body.width, res.body.height], [1920, 1080], 'size follows the conference quality');

  res = await call(app, { method: 'DELETE', url: `/api/video/streams/${created.id}`, headers: AUTH });
  t.same([res.status, res.text, res.headers['content-type']], [204, '', undefined]);
  res = await call(app, { method: 'GET', url: `/api/video/streams/${created.id}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);
  res = await call(app, { method: 'DELETE', url: `/api/video/streams/${created.id}`, headers: AUTH });
  t.equal(res.status, 404);

  res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${DESIGN_REVIEW}`, headers: AUTH });
  res = await call(app, { method: 'GET', url: `/api/video/streams/${STREAM}`, headers: AUTH });
  t.equal(res.status, 404, "a deleted conference's streams are gone");
});
