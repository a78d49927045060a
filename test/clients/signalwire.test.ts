import t from 'tap';
import { build } from '../helper.js';

/** Default fixture credentials (fixtures/signalwire.json). */
const PROJECT = '72a7ce5a-0281-4be1-a238-49fc41fafb42';
const TOKEN = 'PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5';

t.test('a plain fetch client walks the SignalWire Video API', async (t) => {
  const app = await build(t);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const authorization = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(path.startsWith('http') ? path : `${address}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text) };
  };

  // create
  let res = await api('POST', '/api/video/conferences', { display_name: 'Client Walk', layout: '2x2' });
  t.same([res.status, res.type, res.body.name, res.body.layout], [200, 'application/json; charset=utf-8', 'client-walk', '2x2']);
  const id = res.body.id as string;
  await api('POST', '/api/video/conferences', { display_name: 'Client Walk' });

  // get, with and without the active session
  res = await api('GET', `/api/video/conferences/${id}`);
  t.equal(res.status, 200);
  t.notOk('active_session' in res.body);
  res = await api('GET', `/api/video/conferences/${id}?include_active_session=true`);
  t.notOk('active_session' in res.body, 'no live session: no active_session key');

  // list across three pages by following links.next
  const seen: string[] = [];
  let next: string | undefined = '/api/video/conferences?page_size=2';
  let pages = 0;
  while (next) {
    res = await api('GET', next);
    t.equal(res.status, 200);
    pages++;
    seen.push(...res.body.data.map((c: { name: string }) => c.name));
    next = res.body.links.next;
    if (next) t.ok(next.startsWith(`${address}/api/video/conferences?page_number=${pages}&page_size=2&page_token=PA`), 'absolute link from the Host header');
  }
  t.equal(pages, 3);
  t.same(seen, ['weekly-sync', 'all-hands', 'design-review', 'client-walk', 'client-walk-2']);

  // update (PUT with the spec's body: display_name required; layout left out takes its default)
  res = await api('PUT', `/api/video/conferences/${id}`, { display_name: 'Client Walk (updated)' });
  t.same([res.status, res.body.display_name, res.body.layout], [200, 'Client Walk (updated)', 'grid-responsive']);
  res = await api('PUT', `/api/video/conferences/${id}`, { meta: { source: 'fetch' } });
  t.same([res.status, res.body.errors[0].attribute, res.body.errors[0].message], [422, 'display_name', "can't be blank"]);

  // list and reset tokens
  res = await api('GET', `/api/video/conferences/${id}/conference_tokens`);
  t.same(res.body.data.map((tk: { name: string }) => tk.name), ['Moderator', 'Guest']);
  const moderator = res.body.data[0];
  const reset = await fetch(`${address}/api/video/conference_tokens/${moderator.id}/reset`, { method: 'POST', headers: { authorization } });
  const resetBody = await reset.json();
  t.same([reset.status, resetBody.id, resetBody.name], [200, moderator.id, 'Moderator']);
  t.not(resetBody.token, moderator.token);

  // start a session through the control API
  const started = await fetch(`${address}/_emulator/signalwire/conferences/${id}/room_sessions`, { method: 'POST' });
  const session = await started.json();
  t.same([started.status, session.status, session.room_id], [201, 'in-progress', id]);

  res = await api('GET', `/api/video/conferences/${id}?include_active_session=true`);
  t.same([res.body.active_session.id, res.body.active_session.status], [session.id, 'in-progress']);

  // end it
  const ended = await fetch(`${address}/_emulator/signalwire/room_sessions/${session.id}/end`, { method: 'POST' });
  t.equal((await ended.json()).status, 'completed');
  res = await api('GET', `/api/video/conferences/${id}?include_active_session=true`);
  t.notOk('active_session' in res.body, 'no live session: no active_session key');

  // delete, then 404
  res = await api('DELETE', `/api/video/conferences/${id}`);
  t.same([res.status, res.type, res.body], [204, null, undefined]);
  res = await api('GET', `/api/video/conferences/${id}`);
  t.same([res.status, res.body], [404, { error: 'Not Found' }]);
});

// `@signalwire/web-api` ships no REST client (its build exports only `validateRequest`; the room helpers in its
// src/ are marked "NOT USED" and are not built), so the rooms walk follows SignalWire's own REST examples with
// fetch: `curl -L -X POST 'https://<space>.signalwire.com/api/video/rooms' -u '<project>:<token>' -d '{…}'`.
t.test('a plain fetch client: room, room token (decoded), a session with a recording, and its download', async (t) => {
  const { decodeJwt, decodeProtectedHeader } = await import('jose');
  const app = await build(t);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const authorization = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(path.startsWith('http') ? path : `${address}${path}`, {
      method,
      headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  let res = await api('POST', '/api/video/rooms', { name: 'my_room', display_name: "My Room's Name", max_members: 20, record_on_start: true });
  t.same([res.status, res.body.name, res.body.display_name, res.body.max_members], [200, 'my_room', "My Room's Name", 20]);
  const room = res.body;
  res = await api('GET', '/api/video/rooms/my_room');
  t.same([res.status, res.body.id], [200, room.id]);

  res = await api('POST', '/api/video/room_tokens', {
    room_name: 'my_room',
    user_name: 'John Smith',
    permissions: ['room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute'],
    join_until: '2026-02-01T01:00:00Z',
  });
  t.equal(res.status, 200);
  t.same(decodeProtectedHeader(res.body.token), { typ: 'VRT', alg: 'HS512' });
  const claims = decodeJwt(res.body.token);
  t.same([claims.r, claims.u, claims.s, claims.sub, claims.ju], [
    'my_room',
    'John Smith',
    ['room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute'],
    PROJECT,
    Date.parse('2026-02-01T01:00:00Z') / 1000,
  ], 'room name, user name, permissions, project and expiry from the request');

  const started = await fetch(`${address}/_emulator/signalwire/rooms/${room.id}/room_sessions`, { method: 'POST' });
  const session = await started.json();
  app.emulator.worlds.default.clock.advance(12_000);
  await fetch(`${address}/_emulator/signalwire/room_sessions/${session.id}/end`, { method: 'POST' });

  res = await api('GET', `/api/video/room_sessions/${session.id}/recordings`);
  const [recording] = res.body.data;
  t.same([recording.status, recording.duration], ['completed', 12]);
  res = await api('GET', `/api/video/room_recordings/${recording.id}`);
  t.ok(res.body.uri.startsWith(`${address}/media/signalwire/`), 'the uri points at the emulator');
  const download = await fetch(res.body.uri);
  const bytes = Buffer.from(await download.arrayBuffer());
  t.same([download.status, download.headers.get('content-type'), bytes.length], [200, 'video/mp4', recording.size_in_bytes]);

  res = await api('GET', '/api/video/logs');
  t.same(res.body.data.at(-1).type, 'video_room_session');
  res = await api('DELETE', `/api/video/rooms/${room.id}`);
  t.equal(res.status, 204);
});
