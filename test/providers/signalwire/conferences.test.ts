import t from 'tap';
import { build, call, T0 } from '../../helper.js';
import {
  ALL_HANDS,
  AUTH,
  BAD_REQUEST,
  JSON_UTF8,
  LIVE_SESSION,
  NOT_FOUND,
  OTHER_AUTH,
  PARTNER_DEMO,
  WEEKLY_MODERATOR,
  WEEKLY_SYNC,
  entry,
  unprocessable,
} from './fixtures.js';

const NOW = T0.replace('.000Z', 'Z');

/** A conference as the API shows it: every key, in the documented order (reference §4.1). */
const conference = (fields: Record<string, unknown>) => ({
  id: fields.id,
  name: fields.name,
  display_name: fields.display_name,
  description: null,
  join_from: null,
  join_until: null,
  quality: '720p',
  layout: 'grid-responsive',
  size: 'medium',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  user_join_video_off: false,
  room_join_video_off: false,
  enable_chat: true,
  enable_room_previews: false,
  dark_primary: '#044EF4',
  dark_background: '#FFFFFF',
  dark_foreground: '#1D2127',
  dark_success: '#17BB58',
  dark_negative: '#F42C50',
  light_primary: '#044EF4',
  light_background: '#FFFFFF',
  light_foreground: '#1D2127',
  light_success: '#17BB58',
  light_negative: '#F42C50',
  meta: null,
  created_at: NOW,
  updated_at: NOW,
  ...fields,
});

const WEEKLY = conference({
  id: WEEKLY_SYNC,
  name: 'weekly-sync',
  display_name: 'Weekly Sync',
  description: 'Weekly sync of the platform team',
  join_from: '2026-01-05T10:00:00Z',
  join_until: '2026-12-31T11:00:00Z',
  meta: { team: 'platform' },
  created_at: '2026-01-05T09:00:00Z',
  updated_at: '2026-01-05T09:00:00Z',
});

t.test('get returns every key in order, with the documented headers', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH });
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify(WEEKLY));
  t.equal(res.headers['content-type'], JSON_UTF8);
  t.equal(res.headers['x-ratelimit-limit'], undefined, 'GET is not counted');

  const upper = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC.toUpperCase()}`, headers: AUTH });
  t.equal(upper.status, 200, 'ids compare case-insensitively');
  t.equal(upper.body.id, WEEKLY_SYNC);
});

t.test('include_active_session', async (t) => {
  const app = await build(t);
  const get = (id: string, query: string) => call(app, { method: 'GET', url: `/api/video/conferences/${id}${query}`, headers: AUTH });

  let res = await get(WEEKLY_SYNC, '?include_active_session=false');
  t.notOk('active_session' in res.body, 'false leaves the key out');
  res = await get(WEEKLY_SYNC, '?include_active_session=true');
  t.equal(res.text, JSON.stringify(WEEKLY), 'no live session: no active_session key (the spec\'s model has no null)');
  res = await get(ALL_HANDS, '?include_active_session=true');
  t.same(res.body.active_session, {
    id: LIVE_SESSION,
    room_id: ALL_HANDS,
    name: 'all-hands',
    display_name: 'All Hands',
    layout: 'grid-responsive',
    max_members: 300,
    fps: 20,
    quality: '720p',
    start_time: '2026-01-31T23:30:00Z',
    status: 'in-progress',
    record_on_start: false,
    enable_room_previews: false,
    audio_video_sync: true,
  });
  t.equal(
    JSON.stringify(Object.keys(res.body.active_session)),
    JSON.stringify(['id', 'room_id', 'name', 'display_name', 'layout', 'max_members', 'fps', 'quality', 'start_time', 'status', 'record_on_start', 'enable_room_previews', 'audio_video_sync']),
    'null keys are left out, the rest in the documented order',
  );

  for (const bad of ['yes', '1', 'TRUE']) {
    res = await get(WEEKLY_SYNC, `?include_active_session=${bad}`);
    t.same([res.status, res.body], [422, unprocessable(entry('include_active_session', 'is invalid'))], bad);
  }
  res = await get('00000000-0000-4000-8000-000000000000', '?include_active_session=maybe');
  t.same([res.status, res.body], [404, NOT_FOUND], '404 (resource) comes before 422');
});

t.test('get: unknown, non-UUID and other-project ids are 404', async (t) => {
  const app = await build(t);
  for (const id of ['00000000-0000-4000-8000-000000000000', 'weekly-sync', '123', PARTNER_DEMO]) {
    const res = await call(app, { method: 'GET', url: `/api/video/conferences/${id}`, headers: AUTH });
    t.same([res.status, res.body, res.headers['content-type']], [404, NOT_FOUND, JSON_UTF8], id);
  }
  const res = await call(app, { method: 'GET', url: `/api/video/conferences/${PARTNER_DEMO}`, headers: OTHER_AUTH });
  t.equal(res.status, 200, 'the other project sees its own conference');
});

t.test('create: defaults, 200, tokens, rate-limit headers', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'Team Standup' } });
  t.equal(res.status, 200, 'create answers 200, not 201');
  t.equal(res.text, JSON.stringify(conference({ id: res.body.id, name: 'team-standup', display_name: 'Team Standup' })));
  t.match(res.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(res.headers['x-ratelimit-limit'], '13800');
  t.equal(res.headers['x-ratelimit-remaining'], '13799');

  const tokens = await call(app, { method: 'GET', url: `/api/video/conferences/${res.body.id}/conference_tokens`, headers: AUTH });
  t.same(tokens.body.data.map((tk: { name: string }) => tk.name), ['Moderator', 'Guest']);
  t.equal(tokens.body.data[0].scopes.length, 37);
  t.equal(tokens.body.data[1].scopes.length, 11);
  for (const tk of tokens.body.data) t.match(tk.token, /^vpt_[0-9a-f]{32}$/);
});

t.test('create: every field of the spec\'s model; read-only, unknown and unmodelled keys ignored', async (t) => {
  const app = await build(t);
  const payload = {
    id: 'ignored',
    created_at: '2000-01-01T00:00:00Z',
    active_session: { id: 'x' },
    unknown: 1,
    name: 'Board_Meeting-1',
    display_name: 'Board Meeting',
    description: 'Quarterly board meeting',
    join_from: '2026-03-01T10:00:00.750+02:00',
    join_until: '2026-03-02',
    quality: '1080p',
    layout: '2x2',
    size: 'small',
    record_on_start: true,
    tone_on_entry_and_exit: false,
    user_join_video_off: true,
    room_join_video_off: true,
    enable_chat: false,
    enable_room_previews: true,
    dark_primary: '#abcdef',
    light_negative: '#000000',
    meta: { nested: { a: [1, 2] } },
  };
  const res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload });
  t.equal(res.status, 200);
  t.equal(
    res.text,
    JSON.stringify(
      conference({
        id: res.body.id,
        name: 'Board_Meeting-1',
        display_name: 'Board Meeting',
        description: 'Quarterly board meeting',
        join_from: '2026-03-01T08:00:00Z',
        join_until: '2026-03-02T00:00:00Z',
        quality: '1080p',
        layout: '2x2',
        size: 'small',
        record_on_start: true,
        enable_chat: false,
        enable_room_previews: true,
        dark_primary: '#abcdef',
        light_negative: '#000000',
      }),
    ),
  );
  t.not(res.body.id, 'ignored');
});

t.test('create: slug generation and the -2 suffix', async (t) => {
  const app = await build(t);
  const create = (payload: unknown) => call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: payload as object });
  let res = await create({ display_name: "My Conference's Name" });
  t.equal(res.body.name, 'my-conference-s-name');
  res = await create({ display_name: "My Conference's Name", name: null });
  t.equal(res.body.name, 'my-conference-s-name-2', 'null name also generates');
  res = await create({ display_name: 'my conference s name' });
  t.equal(res.body.name, 'my-conference-s-name-3');
  res = await create({ display_name: '  Ünïcode  Room ' });
  t.equal(res.body.name, '---n-code--room-', 'every character outside [A-Za-z0-9_-] becomes -, nothing collapsed or trimmed');
  res = await create({ display_name: 'Weekly Sync' });
  t.equal(res.body.name, 'weekly-sync-2', 'the fixture name is taken');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: OTHER_AUTH, payload: { display_name: 'Weekly Sync' } });
  t.equal(res.body.name, 'weekly-sync', 'names are unique per project');

  const long = 'A'.repeat(150);
  res = await create({ display_name: long });
  t.equal(res.body.name, 'a'.repeat(100), 'cut to 100 characters');
  res = await create({ display_name: long });
  t.equal(res.body.name, `${'a'.repeat(98)}-2`, 'the base is shortened to keep the suffix within 100');
});

t.test('create: value_not_unique, case-sensitive', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { name: 'weekly-sync', display_name: 'Another' } });
  t.same([res.status, res.body], [422, unprocessable(entry('name', 'This value must be unique', 'value_not_unique'))]);
  t.equal(res.headers['x-ratelimit-remaining'], '13799', 'a 422 still counts');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { name: 'Weekly-Sync', display_name: 'Another' } });
  t.equal(res.status, 200);
});

t.test('create: 422 rules, one entry per field in field order', async (t) => {
  const app = await build(t);
  const create = async (payload: unknown) => {
    const res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: payload as object });
    t.equal(res.status, 422, JSON.stringify(payload).slice(0, 80));
    return res.body;
  };
  const blank = entry('display_name', "can't be blank");
  t.same(await create({}), unprocessable(blank));
  t.same(await create({ display_name: null }), unprocessable(blank));
  t.same(await create({ display_name: '' }), unprocessable(blank));
  t.same(await create({ display_name: ' \t ' }), unprocessable(blank));
  t.same(await create({ display_name: 5 }), unprocessable(entry('display_name', 'is invalid')));
  t.same(await create({ display_name: 'é'.repeat(201) }), unprocessable(entry('display_name', 'is too long (maximum is 200 characters)')));
  t.same(await create({ display_name: 'x', name: 'has space' }), unprocessable(entry('name', 'is invalid')));
  t.same(await create({ display_name: 'x', name: '' }), unprocessable(entry('name', 'is invalid')));
  t.same(await create({ display_name: 'x', name: 42 }), unprocessable(entry('name', 'is invalid')));
  t.same(await create({ display_name: 'x', name: 'a'.repeat(101) }), unprocessable(entry('name', 'is too long (maximum is 100 characters)')));
  t.same(await create({ display_name: 'x', description: 'd'.repeat(3001) }), unprocessable(entry('description', 'is too long (maximum is 3000 characters)')));
  t.same(await create({ display_name: 'x', description: 1 }), unprocessable(entry('description', 'is invalid')));
  t.same(await create({ display_name: 'x', join_from: 'tomorrow' }), unprocessable(entry('join_from', 'is invalid')));
  t.same(await create({ display_name: 'x', join_until: '2026-02-30' }), unprocessable(entry('join_until', 'is invalid')));
  t.same(await create({ display_name: 'x', join_until: 1700000000 }), unprocessable(entry('join_until', 'is invalid')));
  t.same(await create({ display_name: 'x', quality: '4k' }), unprocessable(entry('quality', 'is not included in the list')));
  t.same(await create({ display_name: 'x', quality: null }), unprocessable(entry('quality', 'is not included in the list')));
  t.same(await create({ display_name: 'x', quality: 720 }), unprocessable(entry('quality', 'is invalid')));
  t.same(await create({ display_name: 'x', layout: 'grid' }), unprocessable(entry('layout', 'is not included in the list')));
  t.same(await create({ display_name: 'x', size: null }), unprocessable(entry('size', 'is not included in the list')));
  t.same(await create({ display_name: 'x', record_on_start: 'true' }), unprocessable(entry('record_on_start', 'is invalid')));
  t.same(await create({ display_name: 'x', enable_room_previews: null }), unprocessable(entry('enable_room_previews', 'is invalid')));
  t.same(await create({ display_name: 'x', dark_primary: '#12345' }), unprocessable(entry('dark_primary', 'is invalid')));
  t.same(await create({ display_name: 'x', light_background: null }), unprocessable(entry('light_background', 'is invalid')));

  t.same(
    await create({ meta: 1, light_negative: 'red', size: 'huge', join_from: 'x', name: 'weekly-sync', enable_chat: 0, quality: '4k', dark_primary: '#FFF' }),
    unprocessable(
      entry('name', 'This value must be unique', 'value_not_unique'),
      entry('display_name', "can't be blank"),
      entry('join_from', 'is invalid'),
      entry('quality', 'is not included in the list'),
      entry('size', 'is not included in the list'),
      entry('enable_chat', 'is invalid'),
      entry('dark_primary', 'is invalid'),
      entry('light_negative', 'is invalid'),
    ),
    'several entries follow the field order of the Conference table, not the body order',
  );
  const list = await call(app, { method: 'GET', url: '/api/video/conferences', headers: AUTH });
  t.equal(list.body.data.length, 3, 'nothing was created');
  const ignored = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'x', meta: [1], tone_on_entry_and_exit: 'no' } });
  t.same([ignored.status, ignored.body.meta, ignored.body.tone_on_entry_and_exit], [200, null, true], 'meta and the joining switches are not in the create model: ignored');
});

t.test('create: 400 for malformed JSON, non-object JSON and non-JSON bodies', async (t) => {
  const app = await build(t);
  const post = (payload: string, contentType?: string) =>
    call(app, { method: 'POST', url: '/api/video/conferences', headers: { ...AUTH, ...(contentType ? { 'content-type': contentType } : {}) }, payload });
  for (const [payload, type] of [
    ['{"display_name":', 'application/json'],
    ['[{"display_name":"x"}]', 'application/json'],
    ['"text"', 'application/json'],
    ['null', 'application/json'],
    ['42', 'application/json; charset=utf-8'],
    ['display_name=x', 'application/x-www-form-urlencoded'],
    ['display_name: x', 'text/plain'],
  ]) {
    const res = await post(payload, type);
    t.same([res.status, res.body, res.headers['content-type']], [400, BAD_REQUEST, JSON_UTF8], `${type} ${payload}`);
    t.equal(res.headers['x-ratelimit-remaining'] !== undefined, true, 'a 400 is counted (429 comes before 400)');
  }
  let res = await post('', 'application/json');
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', "can't be blank"))], 'an empty body is {}');
  res = await call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', "can't be blank"))], 'no body is {}');
  res = await post('{"display_name":"Vendor JSON"}', 'application/vnd.api+json');
  t.equal(res.status, 200, 'a +json media type is JSON');
  res = await post('{"display_name":"No type"}');
  t.equal(res.status, 200, 'a body without Content-Type is read as JSON');
});

t.test('update: the spec\'s body (display_name required, defaults for quality/layout/size), 422 and 400', async (t) => {
  const app = await build(t);
  app.emulator.worlds.default.clock.advance(90_500);
  const put = (payload: unknown, id = WEEKLY_SYNC) =>
    call(app, { method: 'PUT', url: `/api/video/conferences/${id}`, headers: AUTH, payload: payload as object });

  let res = await put({ display_name: 'Weekly Sync', meta: { team: 'other' }, name: 'renamed' });
  t.equal(res.status, 200);
  t.equal(res.text, JSON.stringify({ ...WEEKLY, updated_at: '2026-02-01T00:01:30Z' }), 'name and meta are not in the model: ignored');
  t.equal(res.headers['x-ratelimit-remaining'], '13799');

  res = await put({ display_name: 'Weekly Sync v2', size: 'large', quality: '1080p', layout: '2x2', join_from: null, tone_on_entry_and_exit: false, id: 'x', created_at: 'x' });
  t.equal(res.status, 200, 'read-only keys are ignored');
  t.same([res.body.name, res.body.display_name, res.body.size, res.body.quality, res.body.join_from, res.body.layout, res.body.tone_on_entry_and_exit], [
    'weekly-sync',
    'Weekly Sync v2',
    'large',
    '1080p',
    null,
    '2x2',
    false,
  ]);
  t.equal(res.body.created_at, '2026-01-05T09:00:00Z');
  t.notOk('active_session' in res.body);

  res = await put({ display_name: 'Weekly Sync v3' });
  t.same([res.status, res.body.size, res.body.quality, res.body.layout, res.body.tone_on_entry_and_exit, res.body.join_until], [200, 'medium', '720p', 'grid-responsive', false, '2026-12-31T11:00:00Z'],
    'quality, layout and size left out take the update body\'s defaults; other fields keep their values');

  res = await put({});
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', "can't be blank"))], 'display_name is required');
  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH });
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', "can't be blank"))], 'no body is {}');
  res = await put({ display_name: 'x'.repeat(201) });
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', 'is too long (maximum is 200 characters)'))]);
  res = await put({ display_name: ' ', layout: 'grid', tone_on_entry_and_exit: null });
  t.same([res.status, res.body], [
    422,
    unprocessable(entry('display_name', "can't be blank"), entry('layout', 'is not included in the list'), entry('tone_on_entry_and_exit', 'is invalid')),
  ]);
  res = await put({ display_name: null });
  t.same([res.status, res.body], [422, unprocessable(entry('display_name', "can't be blank"))], 'display_name must not be null');

  res = await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{' });
  t.same([res.status, res.body], [400, BAD_REQUEST]);
  res = await call(app, { method: 'PUT', url: '/api/video/conferences/00000000-0000-4000-8000-000000000000', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{' });
  t.same([res.status, res.body], [400, BAD_REQUEST], '400 comes before 404 (resource)');
  res = await put({ display_name: 'x' }, '00000000-0000-4000-8000-000000000000');
  t.same([res.status, res.body], [404, NOT_FOUND], '404 (resource) comes before 422');
  t.equal(res.headers['x-ratelimit-limit'], '13800', 'a PUT 404 is counted');
  res = await put({ display_name: 'x' }, PARTNER_DEMO);
  t.same([res.status, res.body], [404, NOT_FOUND]);
});

t.test('delete: 204 without body, tokens gone, live session ended, repeat is 404', async (t) => {
  const app = await build(t);
  app.emulator.worlds.default.clock.advance(60_000);
  const tokens = await call(app, { method: 'GET', url: `/api/video/conferences/${ALL_HANDS}/conference_tokens`, headers: AUTH });
  const tokenIds = tokens.body.data.map((tk: { id: string }) => tk.id);

  let res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${ALL_HANDS}`, headers: AUTH });
  t.equal(res.status, 204);
  t.equal(res.text, '');
  t.equal(res.headers['content-type'], undefined);
  t.equal(res.headers['x-ratelimit-limit'], undefined, 'DELETE is not counted');

  res = await call(app, { method: 'GET', url: `/api/video/conferences/${ALL_HANDS}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND]);
  for (const id of tokenIds) {
    res = await call(app, { method: 'GET', url: `/api/video/conference_tokens/${id}`, headers: AUTH });
    t.same([res.status, res.body], [404, NOT_FOUND], 'tokens of a deleted conference are 404');
  }
  res = await call(app, { method: 'GET', url: `/api/video/conferences/${ALL_HANDS}/conference_tokens`, headers: AUTH });
  t.equal(res.status, 404);

  res = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}`, headers: AUTH });
  t.equal(res.status, 200, 'the session history stays readable');
  t.same([res.body.status, res.body.room_id, res.body.end_time, res.body.duration], ['completed', ALL_HANDS, '2026-02-01T00:01:00Z', 1860]);

  res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${ALL_HANDS}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], 'a repeated delete is 404');
  res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${PARTNER_DEMO}`, headers: AUTH });
  t.same([res.status, res.body], [404, NOT_FOUND], "another project's conference is 404");
  res = await call(app, { method: 'GET', url: `/api/video/conferences/${PARTNER_DEMO}`, headers: OTHER_AUTH });
  t.equal(res.status, 200);
});

t.test('fixture tokens keep their documented values', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: `/api/video/conference_tokens/${WEEKLY_MODERATOR.id}`, headers: AUTH });
  t.equal(res.body.token, WEEKLY_MODERATOR.token);
});
