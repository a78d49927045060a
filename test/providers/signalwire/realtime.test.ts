import { once } from 'node:events';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { mountWebSockets } from '../../../src/core/websocket.js';
import { SignalWireStore } from '../../../src/providers/signalwire/store.js';
import { build, call, T0_MS } from '../../helper.js';
import { RelayClient } from './relay-client.js';

/** Default fixture credentials and records (fixtures/signalwire.json). */
const PROJECT = '72a7ce5a-0281-4be1-a238-49fc41fafb42';
const TOKEN = 'PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5';
const ALL_HANDS = '5b1e9f7a-4c3d-4e2b-9a8f-7d6c5b4a3e21';
const LIVE_SESSION = 'e4f1c2d3-8a7b-4c6d-9e5f-1a2b3c4d5e6f';
const ALICE = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const BOB = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const DESIGN_REVIEW = '8e7d6c5b-4a39-4f2e-8d1c-0b9a8f7e6d5c';
const DESIGN_GUEST = 'vpt_b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1';
const DESIGN_MODERATOR = 'vpt_5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b';
const ALL_HANDS_MODERATOR = 'vpt_3e8a1f5c7b9d2e4f6a8c0b1d3f5e7a9c';
const BASIC = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;

async function relay(t: Test, options: Parameters<typeof build>[1] = {}) {
  const app = await build(t, options);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('http://', 'ws://');
  const open = () => RelayClient.open(t, url);
  const connected = async (extra: Record<string, unknown> = {}) => {
    const client = await open();
    const res = await client.connect({ project: PROJECT, token: TOKEN }, extra);
    t.ok(res.result, 'connected');
    await client.next((f) => f.method === 'signalwire.ping');
    return client;
  };
  const control = (method: 'POST' | 'GET', url: string, payload?: object, world?: string) =>
    call(app, { method, url: `/_emulator${url}`, payload, headers: world ? { 'x-emulator-world': world } : {} });
  return { app, url, open, connected, control };
}

const MEMBER_DEFAULTS = {
  type: 'member',
  parent_id: '',
  requested_position: 'auto',
  visible: false,
  audio_muted: false,
  video_muted: false,
  deaf: false,
  input_volume: 0,
  output_volume: 0,
  input_sensitivity: 44,
  meta: {},
  handraised: false,
  talking: false,
};

t.test('signalwire.connect with the project and an API token: identity, authorization, protocol, then a server ping', async (t) => {
  const { open } = await relay(t);
  const client = await open();
  const res = await client.connect({ project: PROJECT, token: TOKEN });
  t.match(res, {
    jsonrpc: '2.0',
    id: 'req-1',
    result: {
      identity: new RegExp(`^[0-9a-f-]{36}@${PROJECT}\\.emulator$`),
      authorization: { project: PROJECT, expires_at: null, scopes: ['video'], signature: /^[0-9a-f]{64}$/ },
      protocol: /^signalwire_[0-9a-f]{64}_[0-9a-f-]{36}_72a7ce5a-0281-4be1-a238-49fc41fafb42$/,
    },
  });
  t.equal(res.result.protocol.split('_')[1], res.result.authorization.signature, 'the SDK checks the protocol against the signature on reconnect');
  const ping = await client.next((f) => f.method === 'signalwire.ping');
  t.match(ping, { jsonrpc: '2.0', id: /^[0-9a-f-]{36}$/, params: { timestamp: T0_MS / 1000 } });
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: ping.id, result: { timestamp: ping.params.timestamp } }));

  // A reconnect that sends back its protocol resumes it, with the same signature; another project's protocol is not resumed.
  const again = await client.connect({ project: PROJECT, token: TOKEN }, { protocol: res.result.protocol });
  t.equal(again.result.protocol, res.result.protocol);
  t.equal(again.result.authorization.signature, res.result.authorization.signature);
  const foreign = `signalwire_${'ab'.repeat(32)}_x_0d4c8f3e-2a1b-4e5f-9c8d-7b6a5f4e3d2c`;
  const third = await client.connect({ project: PROJECT, token: TOKEN }, { protocol: foreign });
  t.not(third.result.protocol, foreign);
  t.equal(third.result.protocol.split('_')[1], third.result.authorization.signature);
});

t.test('bad credentials are refused the way SignalWire refuses them, and nothing else works before a connect', async (t) => {
  const { open } = await relay(t);
  const client = await open();
  const refused = { code: -32002, message: 'Authentication service failed with status ProtocolError, 401 Unauthorized: {}' };
  for (const authentication of [
    { project: PROJECT, token: 'PTwrong' },
    { project: PROJECT, token: 'PTb8c1e0f6a3d94e27c5b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6' },
    { project: 'not-a-uuid', token: TOKEN },
    { project: PROJECT },
    { jwt_token: 'vpt_00000000000000000000000000000000' },
    'nothing',
  ]) {
    const res = await client.request('signalwire.connect', { authentication });
    t.same(res, { jsonrpc: '2.0', id: res.id, error: refused }, JSON.stringify(authentication));
  }
  const early = { code: -32002, message: 'Unauthorized: signalwire.connect first' };
  t.same((await client.request('signalwire.subscribe', { event_channel: 'video.rooms', events: ['video.room.started'] })).error, early);
  t.same((await client.request('video.rooms.get', {})).error, early);
  t.same((await client.request('signalwire.ping', { timestamp: 12.5 })).result, { timestamp: 12.5 }, 'ping needs no connect');
  t.same((await client.request('signalwire.ping')).result, { timestamp: T0_MS / 1000 });
});

t.test('JSON-RPC errors: bad JSON, invalid requests, unknown and unemulated methods, bad params', async (t) => {
  const { connected, app } = await relay(t);
  const client = await connected();
  client.sendRaw('{not json');
  t.same(await client.next((f) => f.error?.code === -32700), { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  const invalid = { code: -32600, message: 'Invalid Request' };
  client.sendRaw('[1,2]');
  t.same(await client.next((f) => f.error?.code === -32600), { jsonrpc: '2.0', id: null, error: invalid });
  client.sendRaw(JSON.stringify({ jsonrpc: '1.0', id: 'a', method: 'signalwire.ping' }));
  t.same(await client.next((f) => f.id === 'a'), { jsonrpc: '2.0', id: 'a', error: invalid });
  client.sendRaw(JSON.stringify({ jsonrpc: '1.0', method: 'signalwire.ping' }));
  t.same(await client.next((f) => f.error?.code === -32600), { jsonrpc: '2.0', id: null, error: invalid }, 'not JSON-RPC 2.0, no id');
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 'c' }));
  t.same(await client.next((f) => f.id === 'c'), { jsonrpc: '2.0', id: 'c', error: invalid }, 'neither a request nor a response');
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', method: 'signalwire.ping' }));
  t.same(await client.next((f) => f.error?.code === -32600), { jsonrpc: '2.0', id: null, error: invalid }, 'a notification is not served');
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 'b', method: 'video.rooms.get', params: [1] }));
  t.same(await client.next((f) => f.id === 'b'), { jsonrpc: '2.0', id: 'b', error: invalid });
  client.ws.send(Buffer.from('{}'), { binary: true });
  t.same(await client.next((f) => f.error?.code === -32700), { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, 'binary frames are not JSON text');

  const notFound = { code: -32601, message: 'Method not found' };
  t.same((await client.request('video.nothing', {})).error, notFound);
  t.same((await client.request('video.playback.start', { room_session_id: LIVE_SESSION, url: 'https://example.com/a.mp4' })).error, notFound);
  t.same((await client.request('signalwire.receive', { contexts: ['office'] })).error, notFound);

  t.same((await client.request('video.room.get', {})).error, { code: -32602, message: 'Invalid params: room_session_id is required' });
  t.same((await client.request('signalwire.subscribe', { events: ['video.room.started'] })).error, { code: -32602, message: 'Invalid params: event_channel is required' });
  t.same((await client.request('signalwire.subscribe', { event_channel: 'video.rooms', events: [] })).error, {
    code: -32602,
    message: 'Invalid params: events must be a non-empty array of strings',
  });
  t.same((await client.request('signalwire.unsubscribe', {})).error, { code: -32602, message: 'Invalid params: event_channel is required' });
  // The emulator's own failure is JSON-RPC's internal error; the socket stays usable.
  const db = app.emulator.db;
  const transaction = db.transaction;
  db.transaction = (() => {
    throw new Error('disk I/O error');
  }) as unknown as typeof db.transaction;
  t.same((await client.request('video.lock', { room_session_id: LIVE_SESSION })).error, { code: -32603, message: 'Internal error' });
  db.transaction = transaction;
  // A stray response (an ack of nothing) is ignored.
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 'nothing-sent', result: {} }));
  t.same((await client.request('signalwire.ping', { timestamp: 1 })).result, { timestamp: 1 });
});

t.test('video.listen pushes room.started and room.ended with the exact payload; the REST events list has the same events', async (t) => {
  const { connected, control, app } = await relay(t);
  const client = await connected({ event_acks: true });
  const sub = await client.request('signalwire.subscribe', { get_initial_state: true, event_channel: 'video.rooms', events: ['video.room.started', 'video.room.ended'] });
  t.same(sub.result, { code: '200', message: 'Subscribed' });

  const started = await control('POST', `/signalwire/conferences/${DESIGN_REVIEW}/room_sessions`);
  const id = started.body.id as string;
  const frame = await client.event('video.room.started');
  const roomSession = {
    id,
    room_id: DESIGN_REVIEW,
    event_channel: `room.${id}`,
    name: 'design-review',
    display_name: 'Design Review',
    recording: false,
    hide_video_muted: false,
    layout_name: 'highlight-1-responsive',
    locked: false,
    meta: {},
    streaming: false,
    prioritize_handraise: false,
  };
  t.same(frame, {
    jsonrpc: '2.0',
    id: frame.id,
    method: 'signalwire.event',
    params: {
      event_type: 'video.room.started',
      event_channel: `video.rooms.${PROJECT}`,
      timestamp: (T0_MS + 1) / 1000,
      params: {
        room_id: DESIGN_REVIEW,
        room_session_id: id,
        room: { room_id: DESIGN_REVIEW, event_channel: `room.${id}`, name: 'design-review', recording: false, hide_video_muted: false, prioritize_handraise: false, room_session_id: id },
        room_session: roomSession,
      },
    },
  });
  client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: frame.id, result: {} }));
  t.equal(client.frames.filter((f) => f.method === 'signalwire.event').length, 0, 'recording.started is not subscribed on video.rooms');

  await app.emulator.worlds.default.clock.advance(90_000);
  await control('POST', `/signalwire/room_sessions/${id}/end`);
  const ended = await client.event('video.room.ended');
  t.same(ended.params.params.room_session, { ...roomSession, recording: false });
  t.equal(ended.params.timestamp, (T0_MS + 90_001) / 1000, 'after the recording it stops');

  const rest = await call(app, { method: 'GET', url: `/api/video/room_sessions/${id}/events`, headers: { authorization: BASIC } });
  const names = rest.body.data.map((e: { name: string }) => e.name);
  t.same(names, ['room.started', 'recording.started', 'recording.ended', 'room.ended']);
  t.equal(Date.parse(rest.body.data[0].created_at) / 1000, Math.floor(frame.params.timestamp));
  t.equal(Date.parse(rest.body.data[3].created_at) / 1000, Math.floor(ended.params.timestamp));
});

t.test("a room session's channel: initial state, member and recording events, and the video methods that change them", async (t) => {
  const { connected, control, app } = await relay(t);
  const client = await connected({ event_acks: true });
  const channel = `room.${LIVE_SESSION}`;
  const events = ['video.member.joined', 'video.member.left', 'video.member.updated', 'video.member.talking', 'video.room.updated', 'video.recording.started', 'video.recording.updated', 'video.recording.ended'];
  t.same((await client.request('signalwire.subscribe', { get_initial_state: true, event_channel: channel, events })).result, { code: '200', message: 'Subscribed' });
  const subscribed = await client.event('video.room.subscribed');
  const member = (id: string, name: string, extra = {}) => ({ id, room_id: ALL_HANDS, room_session_id: LIVE_SESSION, name, ...MEMBER_DEFAULTS, ...extra });
  const roomSession = {
    id: LIVE_SESSION,
    room_id: ALL_HANDS,
    event_channel: channel,
    name: 'all-hands',
    display_name: 'All Hands',
    recording: false,
    hide_video_muted: false,
    layout_name: 'grid-responsive',
    locked: false,
    meta: {},
    streaming: false,
    prioritize_handraise: false,
  };
  t.same(subscribed.params, {
    event_type: 'video.room.subscribed',
    event_channel: channel,
    timestamp: T0_MS / 1000,
    params: {
      room_id: ALL_HANDS,
      room_session_id: LIVE_SESSION,
      room: {
        room_id: ALL_HANDS,
        event_channel: channel,
        name: 'all-hands',
        recording: false,
        hide_video_muted: false,
        prioritize_handraise: false,
        members: [member(ALICE, 'Alice'), member(BOB, 'Bob')],
        room_session_id: LIVE_SESSION,
      },
      room_session: { ...roomSession, members: [member(ALICE, 'Alice'), member(BOB, 'Bob')], recordings: [] },
    },
  });

  const carol = (await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Carol' })).body.id as string;
  const joined = await client.event('video.member.joined');
  t.same(joined.params.params, { room_id: ALL_HANDS, room_session_id: LIVE_SESSION, member: member(carol, 'Carol') });
  t.equal(joined.params.event_channel, channel);

  const ok = { code: '200', message: 'OK' };
  const ids = { room_session_id: LIVE_SESSION, member_id: carol };
  t.same((await client.request('video.member.audio_mute', ids)).result, ok);
  t.same((await client.event('video.member.updated')).params.params, {
    room_id: ALL_HANDS,
    room_session_id: LIVE_SESSION,
    member: { id: carol, room_id: ALL_HANDS, room_session_id: LIVE_SESSION, updated: ['audio_muted'], audio_muted: true },
  });
  t.same((await client.request('video.member.audio_mute', ids)).result, ok, 'no change: no event');
  for (const [method, params, updated] of [
    ['video.member.video_mute', {}, { video_muted: true }],
    ['video.member.deaf', {}, { deaf: true }],
    ['video.member.undeaf', {}, { deaf: false }],
    ['video.member.video_unmute', {}, { video_muted: false }],
    ['video.member.audio_unmute', {}, { audio_muted: false }],
    ['video.member.set_input_volume', { volume: -12 }, { input_volume: -12 }],
    ['video.member.set_output_volume', { volume: 6 }, { output_volume: 6 }],
    ['video.member.set_input_sensitivity', { value: 30 }, { input_sensitivity: 30 }],
    ['video.member.raisehand', {}, { handraised: true }],
    ['video.member.lowerhand', {}, { handraised: false }],
    ['video.member.set_meta', { meta: { seat: 1, role: 'host' } }, { meta: { seat: 1, role: 'host' } }],
    ['video.member.update_meta', { meta: { seat: 2 } }, { meta: { seat: 2, role: 'host' } }],
    ['video.member.delete_meta', { keys: ['role'] }, { meta: { seat: 2 } }],
  ] as const) {
    t.same((await client.request(method, { ...ids, ...params })).result, ok, method);
    const frame = await client.event('video.member.updated');
    t.same(frame.params.params.member, { id: carol, room_id: ALL_HANDS, room_session_id: LIVE_SESSION, updated: Object.keys(updated), ...updated }, method);
  }
  t.same((await client.request('video.member.get_meta', ids)).result, { ...ok, meta: { seat: 2 } });
  t.same((await client.request('video.member.set_input_volume', { ...ids, volume: 'loud' })).error, { code: -32602, message: 'Invalid params: volume must be a number' });
  t.same((await client.request('video.member.set_meta', { ...ids, meta: [1] })).error, { code: -32602, message: 'Invalid params: meta must be an object' });
  t.same((await client.request('video.member.delete_meta', { ...ids, keys: [1] })).error, { code: -32602, message: 'Invalid params: keys must be an array of strings' });
  t.same((await client.request('video.member.audio_mute', { room_session_id: LIVE_SESSION })).error, { code: -32602, message: 'Invalid params: member_id is required' });
  t.same((await client.request('video.member.audio_mute', { room_session_id: LIVE_SESSION, member_id: '00000000-0000-4000-8000-000000000000' })).result, { code: '404', message: 'Member not found' });

  // The control plane drives what only media would: talking.
  let res = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${carol}/state`, { talking: true, visible: true });
  t.same(res.body, member(carol, 'Carol', { visible: true, input_volume: -12, output_volume: 6, input_sensitivity: 30, meta: { seat: 2 }, talking: true }));
  t.same((await client.event('video.member.updated')).params.params.member.updated, ['visible']);
  t.same((await client.event('video.member.talking')).params.params, {
    room_id: ALL_HANDS,
    room_session_id: LIVE_SESSION,
    member: { id: carol, room_id: ALL_HANDS, room_session_id: LIVE_SESSION, talking: true },
  });
  res = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${carol}/state`, { talking: true });
  t.equal(res.status, 200);
  res = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/nobody/state`, { talking: true });
  t.equal(res.status, 404);
  res = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${carol}/state`, { talking: 'yes' });
  t.equal(res.status, 400);

  const members = (await client.request('video.members.get', { room_session_id: LIVE_SESSION })).result;
  t.same(members, { ...ok, members: [member(ALICE, 'Alice'), member(BOB, 'Bob'), member(carol, 'Carol', { visible: true, input_volume: -12, output_volume: 6, input_sensitivity: 30, meta: { seat: 2 }, talking: true })] });

  // Room settings.
  t.same((await client.request('video.lock', { room_session_id: LIVE_SESSION })).result, ok);
  let updated = await client.event('video.room.updated');
  t.same(updated.params.params.room_session, { ...roomSession, locked: true, updated: ['locked'] });
  t.same((await client.request('video.set_layout', { room_session_id: LIVE_SESSION, name: 'nope' })).error.code, -32602);
  t.same((await client.request('video.set_layout', { room_session_id: LIVE_SESSION, name: '2x2' })).result, ok);
  t.same((await client.event('video.room.updated')).params.params.room_session.updated, ['layout_name']);
  const rest = await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}`, headers: { authorization: BASIC } });
  t.same([rest.body.locked, rest.body.layout], [true, '2x2'], 'stored: the REST API shows it');
  for (const [method, params, key] of [
    ['video.unlock', {}, 'locked'],
    ['video.hide_video_muted', {}, 'hide_video_muted'],
    ['video.show_video_muted', {}, 'hide_video_muted'],
    ['video.prioritize_handraise', { enable: true }, 'prioritize_handraise'],
    ['video.set_meta', { meta: { topic: 'q3', x: 1 } }, 'meta'],
    ['video.update_meta', { meta: { x: 2 } }, 'meta'],
    ['video.delete_meta', { keys: ['topic'] }, 'meta'],
  ] as const) {
    t.same((await client.request(method, { room_session_id: LIVE_SESSION, ...params })).result, ok, method);
    t.same((await client.event('video.room.updated')).params.params.room_session.updated, [key], method);
  }
  t.same((await client.request('video.prioritize_handraise', { room_session_id: LIVE_SESSION, enable: 'yes' })).error.code, -32602);
  t.same((await client.request('video.get_meta', { room_session_id: LIVE_SESSION })).result, { ...ok, meta: { x: 2 } });
  t.same((await client.request('video.list_available_layouts', { room_session_id: LIVE_SESSION })).result.layouts.slice(0, 3), ['grid-responsive', 'grid-responsive-mobile', 'highlight-1-responsive']);
  res = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/state`, { locked: true, hide_video_muted: true });
  t.equal(res.body.locked, true);
  updated = await client.event('video.room.updated');
  t.same(updated.params.params.room_session.updated, ['locked', 'hide_video_muted']);

  // Recordings.
  const started = (await client.request('video.recording.start', { room_session_id: LIVE_SESSION })).result;
  const recordingId = started.recording.id as string;
  t.same(started, { ...ok, recording: { id: recordingId, state: 'recording', duration: 0, started_at: started.recording.started_at, ended_at: null } });
  t.same((await client.event('video.recording.started')).params.params, { room_id: ALL_HANDS, room_session_id: LIVE_SESSION, recording: started.recording });
  const rec = { room_session_id: LIVE_SESSION, recording_id: recordingId };
  await app.emulator.worlds.default.clock.advance(5000);
  t.same((await client.request('video.recording.pause', rec)).result, ok);
  t.match((await client.event('video.recording.updated')).params.params.recording, { id: recordingId, state: 'paused', duration: 5 });
  t.same((await client.request('video.recording.pause', rec)).result, { code: '409', message: 'Recording is paused' });
  t.same((await client.request('video.recording.resume', rec)).result, ok);
  t.match((await client.event('video.recording.updated')).params.params.recording, { state: 'recording' });
  t.same((await client.request('video.recording.resume', rec)).result, { code: '409', message: 'Recording is recording' });
  t.same((await client.request('video.recording.stop', rec)).result, ok);
  const stopped = (await client.event('video.recording.ended')).params.params.recording;
  t.same(stopped, { id: recordingId, state: 'completed', duration: 5, started_at: started.recording.started_at, ended_at: stopped.ended_at });
  t.same((await client.request('video.recording.stop', rec)).result, { code: '409', message: 'Recording is completed' });
  t.same((await client.request('video.recording.stop', { room_session_id: LIVE_SESSION, recording_id: 'nope' })).result, { code: '404', message: 'Recording not found' });
  t.same((await client.request('video.recording.stop', { room_session_id: LIVE_SESSION })).error.code, -32602);
  t.same((await client.request('video.recording.list', { room_session_id: LIVE_SESSION })).result, { ...ok, recordings: [stopped] });

  // Sessions.
  const rooms = (await client.request('video.rooms.get', {})).result;
  t.same(rooms.rooms.map((r: { id: string }) => r.id), [LIVE_SESSION]);
  t.equal(rooms.rooms[0].members.length, 3);
  t.same((await client.request('video.room.get', { room_session_id: LIVE_SESSION })).result.room.id, LIVE_SESSION);
  t.same((await client.request('video.room.get', { room_session_id: '00000000-0000-4000-8000-000000000000' })).result, { code: '404', message: 'Room session not found' });

  t.same((await client.request('video.member.remove', ids)).result, ok);
  t.same((await client.event('video.member.left')).params.params.member.id, carol);
  t.same((await client.request('video.member.remove', { room_session_id: LIVE_SESSION, member_id: 'all' })).result, ok);
  t.same([(await client.event('video.member.left')).params.params.member.id, (await client.event('video.member.left')).params.params.member.id], [ALICE, BOB]);

  // One log: the session's REST events, after the fixtures' own, are what was pushed, in order.
  const names = (await call(app, { method: 'GET', url: `/api/video/room_sessions/${LIVE_SESSION}/events?page_size=100`, headers: { authorization: BASIC } })).body.data.map(
    (e: { name: string }) => e.name,
  );
  const pushed = app.emulator.pushes.query({ provider: 'signalwire', callId: LIVE_SESSION }).reverse().filter((p) => p.event !== 'video.room.subscribed');
  t.same(names.slice(3), pushed.map((p) => p.event.slice('video.'.length)));

  // Ended: methods that change it answer 404; unsubscribe stops the pushes.
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/end`);
  t.same((await client.request('video.lock', { room_session_id: LIVE_SESSION })).result, { code: '404', message: 'Room session not found' });
  t.same((await client.request('signalwire.unsubscribe', { event_channel: channel })).result, { code: '200', message: 'Unsubscribed' });
});

t.test("another project's channels and sessions are refused; its events never reach this project", async (t) => {
  const { open, control } = await relay(t);
  const SESSION = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
  const fixtures = {
    signalwire: {
      projects: [
        {
          id: '11111111-1111-4111-8111-111111111111',
          api_tokens: [{ token: 'PTone' }],
          conferences: [
            {
              id: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182',
              name: 'first',
              display_name: 'First',
              conference_tokens: [
                { id: '3c4d5e6f-7081-4a92-8c3d-4e5f60718293', name: 'Moderator', token: 'vpt_11111111111111111111111111111111' },
                { id: '4d5e6f70-8192-4ba3-9d4e-5f60718293a4', name: 'Guest', token: 'vpt_22222222222222222222222222222222' },
              ],
              room_sessions: [{ id: SESSION, start_time: '2026-01-31T23:00:00Z' }],
            },
          ],
        },
        { id: '22222222-2222-4222-8222-222222222222', api_tokens: [{ token: 'PTtwo' }] },
      ],
    },
  };
  const world = await control('POST', '/worlds', { name: 'two projects', fixtures });
  t.equal(world.status, 201);
  const [first, second] = world.body.credentials.signalwire.projects as { projectId: string; token: string }[];
  const owner = await open();
  t.ok((await owner.connect({ project: first.projectId, token: first.token })).result);
  const stranger = await open();
  t.ok((await stranger.connect({ project: second.projectId, token: second.token })).result);

  const denied = { code: '-32001', message: 'Permission Denied.' };
  t.same((await stranger.request('signalwire.subscribe', { event_channel: `room.${SESSION}`, events: ['video.member.joined'] })).result, denied);
  t.same((await stranger.request('signalwire.subscribe', { event_channel: 'video.elsewhere', events: ['video.member.joined'] })).result, denied);
  t.same((await stranger.request('video.room.get', { room_session_id: SESSION })).result, { code: '404', message: 'Room session not found' });
  t.same((await stranger.request('video.rooms.get', {})).result, { code: '200', message: 'OK', rooms: [] });
  t.same((await owner.request('video.rooms.get', {})).result.rooms.map((r: { id: string }) => r.id), [SESSION]);

  for (const c of [owner, stranger]) t.equal((await c.request('signalwire.subscribe', { event_channel: 'video.rooms', events: ['video.room.ended'] })).result.code, '200');
  await control('POST', `/signalwire/room_sessions/${SESSION}/end`, undefined, world.body.id);
  t.equal((await owner.event('video.room.ended')).params.params.room_session_id, SESSION);
  // The default world's own copy of the fixtures is another world: its events stay there too.
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/end`);
  await owner.request('signalwire.ping', { timestamp: 1 });
  await stranger.request('signalwire.ping', { timestamp: 1 });
  t.equal(stranger.frames.filter((f) => f.method === 'signalwire.event').length, 0, 'nothing reached the other project');
  t.equal(owner.frames.filter((f) => f.method === 'signalwire.event').length, 0, 'nothing from another world');
});

t.test('a conference token as jwt_token: a video authorization for its conference, and its scopes', async (t) => {
  const { open, control } = await relay(t);
  const guest = await open();
  const res = await guest.connect({ jwt_token: DESIGN_GUEST });
  t.same(res.result.authorization, {
    type: 'video',
    project: PROJECT,
    project_id: PROJECT,
    scopes: ['video'],
    scope_id: '5f7b9d1e-3a4c-4b6d-8e8f-0a2b4c6d8e0f',
    resource: res.result.authorization.resource,
    join_as: 'member',
    user_name: 'Guest',
    room: {
      name: 'design-review',
      display_name: 'Design Review',
      scopes: [
        'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute', 'room.self.deaf', 'room.self.undeaf',
        'room.self.set_input_volume', 'room.self.set_output_volume', 'room.self.set_input_sensitivity', 'room.self.screenshare', 'room.self.additional_source',
      ],
      meta: {},
    },
    signature: res.result.authorization.signature,
    media_allowed: 'all',
    audio_allowed: 'both',
    video_allowed: 'both',
    meta: {},
  });
  const denied = { code: '-32001', message: 'Permission Denied.' };
  t.same((await guest.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.joined'] })).result, denied, 'another conference');
  t.same((await guest.request('video.rooms.get', {})).result.rooms, [], "another conference's live session is not listed");
  await guest.request('signalwire.subscribe', { event_channel: 'video.rooms', events: ['video.room.started'] });

  const started = await control('POST', `/signalwire/conferences/${DESIGN_REVIEW}/room_sessions`);
  const session = started.body.id as string;
  t.equal((await guest.event('video.room.started')).params.params.room_session_id, session);
  const member = (await control('POST', `/signalwire/room_sessions/${session}/members`, { name: 'Dee' })).body.id as string;
  t.same((await guest.request('video.member.audio_mute', { room_session_id: session, member_id: member })).result, denied, 'a guest may not mute others');
  t.same((await guest.request('video.members.get', { room_session_id: session })).result.members.length, 1);

  const moderator = await open();
  t.ok((await moderator.connect({ jwt_token: DESIGN_MODERATOR })).result);
  t.same((await moderator.request('video.member.audio_mute', { room_session_id: session, member_id: member })).result, { code: '200', message: 'OK' });
  t.same((await moderator.request('video.lock', { room_session_id: session })).result, denied, 'no room.lock in the Moderator scopes');
  t.same((await moderator.request('video.recording.list', { room_session_id: LIVE_SESSION })).result, { code: '404', message: 'Room session not found' });
  const allHands = await open();
  t.ok((await allHands.connect({ jwt_token: ALL_HANDS_MODERATOR })).result);
  await allHands.request('signalwire.subscribe', { event_channel: 'video.rooms', events: ['video.room.ended'] });
  await control('POST', `/signalwire/room_sessions/${session}/end`);
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/end`);
  t.equal((await allHands.event('video.room.ended')).params.params.room_session_id, LIVE_SESSION, "only its own conference's sessions");
});

t.test('the push log: each pushed event with its state; acks, drops and delays; a test waits for "E for S delivered and acked"', async (t) => {
  const { connected, control, app } = await relay(t);
  const acking = await connected({ event_acks: true });
  const silent = await connected();
  for (const c of [acking, silent]) await c.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.joined', 'video.member.left'] });

  const waiting = control('GET', `/pushes/wait?provider=signalwire&event=video.member.joined&callId=${LIVE_SESSION}&state=acked&timeoutMs=3000`);
  const carol = (await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Carol' })).body.id as string;
  const frame = await acking.event('video.member.joined');
  acking.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: frame.id, result: {} }));
  const acked = await waiting;
  t.equal(acked.status, 200);
  t.match(acked.body.push, { world: 'default', provider: 'signalwire', subject: PROJECT, channel: `room.${LIVE_SESSION}`, event: 'video.member.joined', callId: LIVE_SESSION, state: 'acked', frame: JSON.stringify(frame) });
  await silent.event('video.member.joined');
  const all = app.emulator.pushes.query({ event: 'video.member.joined' });
  t.same(all.map((p) => p.state).sort(), ['acked', 'sent'], 'a client without event_acks is never waited on');
  t.not(all[0].connection, all[1].connection);

  // A drop fault: the frame never leaves; a delay: it leaves later.
  t.equal((await control('POST', '/pushes/faults', { match: { provider: 'signalwire', event: 'video.member.left' }, action: { drop: true }, times: 2 })).status, 201);
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${carol}/leave`);
  t.same(app.emulator.pushes.query({ event: 'video.member.left' }).map((p) => p.state), ['dropped', 'dropped']);
  await control('POST', '/pushes/faults', { match: { provider: 'signalwire', event: 'video.member.joined' }, action: { delayMs: 200 }, times: 1 });
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Dan' });
  const states = app.emulator.pushes.query({ event: 'video.member.joined', limit: 2 }).map((p) => p.state);
  t.same(states.sort(), ['delayed', 'sent']);
  const late = await acking.event('video.member.joined');
  t.equal(late.params.params.member.name, 'Dan');
  acking.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: late.id, result: {} }));
  const dan = await control('GET', `/pushes/wait?event=video.member.joined&state=acked&after=${acked.body.push.id}&timeoutMs=3000`);
  t.equal(JSON.parse(dan.body.push.frame).params.params.member.name, 'Dan');
  t.equal(acking.frames.filter((f) => f.method === 'signalwire.event').length, 0, 'the dropped member.left never came');
});

t.test('a client that never acks costs bounded memory: the oldest unacked events are forgotten', async (t) => {
  const { connected, control, app } = await relay(t, { pushLogSize: 2000 });
  const client = await connected({ event_acks: true });
  await client.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.updated'] });
  const frames: Record<string, any>[] = [];
  for (let i = 0; i < 1030; i++) {
    await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${ALICE}/state`, { input_volume: i + 1 });
    frames.push(await client.event('video.member.updated'));
  }
  const ack = async (frame: Record<string, any>) => {
    client.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: frame.id, result: {} }));
    await client.request('signalwire.ping', { timestamp: 1 });
  };
  await ack(frames[0]);
  await ack(frames[1029]);
  const byFrame = new Map(app.emulator.pushes.query({ event: 'video.member.updated' }).map((p) => [JSON.parse(p.frame).id, p.state]));
  t.equal(byFrame.get(frames[0].id), 'sent', 'forgotten: its ack changes nothing');
  t.equal(byFrame.get(frames[1029].id), 'acked');
});

t.test('a client that stops reading is disconnected, and a closed socket stops listening to its world', async (t) => {
  const { connected, control, app } = await relay(t);
  const world = app.emulator.worlds.default;
  for (let i = 0; i < 300; i++) await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: `Member ${i} ${'x'.repeat(200)}` });
  const client = await connected();
  t.equal(world.events.listening, true);
  const closed = once(client.ws, 'close');
  (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  for (let i = 0; i < 150; i++) client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: `big-${i}`, method: 'video.room.get', params: { room_session_id: LIVE_SESSION } }));
  while (world.events.listening) await new Promise((r) => setTimeout(r, 20));
  t.pass('the server closed it');
  (client.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  await closed;
});

t.test('many sockets opening and closing leave nothing behind', async (t) => {
  const { open, control, app } = await relay(t);
  const world = app.emulator.worlds.default;
  for (let round = 0; round < 3; round++) {
    const clients = await Promise.all(Array.from({ length: 40 }, () => open()));
    await Promise.all(clients.map((c) => c.connect({ project: PROJECT, token: TOKEN })));
    await Promise.all(clients.map((c) => c.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.joined'] })));
    t.equal(world.events.listening, true);
    await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: `Round ${round}` });
    const joined = await Promise.all(clients.map((c) => c.event('video.member.joined')));
    t.ok(joined.every((f) => f.params.params.member.name === `Round ${round}`));
    await Promise.all(clients.map((c) => (c.ws.close(), once(c.ws, 'close'))));
    while (world.events.listening) await new Promise((r) => setTimeout(r, 10));
  }
  t.equal(world.events.listening, false, 'no listener left: REST pays nothing again');
  t.equal(app.emulator.pushes.count({ event: 'video.member.joined' }), 120);
});

t.test('signalwire.disconnect from the client closes the socket; closing the app closes every socket', async (t) => {
  const { connected, app } = await relay(t);
  const a = await connected();
  const closedA = once(a.ws, 'close');
  t.same((await a.request('signalwire.disconnect', {})).result, {});
  t.equal((await closedA)[0], 1000);
  const b = await connected();
  const closedB = once(b.ws, 'close');
  await app.close();
  await closedB;
  t.pass('closed');
});

t.test('only the events SignalWire pushes, only as subscribed: custom events, unknown names, unsubscribing some events', async (t) => {
  const { connected, control, app } = await relay(t);
  const client = await connected();
  const channel = `room.${LIVE_SESSION}`;
  t.same((await client.request('signalwire.subscribe', { event_channel: channel, events: ['video.layout.changed', 'video.nothing'] })).result, { code: '200', message: 'Subscribed' });
  await client.request('signalwire.subscribe', { event_channel: channel, events: ['video.member.joined', 'video.member.left', 'video.room.updated'] });
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/events`, { name: 'layout.changed', payload: { layout: '2x2' } });
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/events`, { name: 'member.joined' });
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/events`, { name: 'member.updated' });
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/events`, { name: 'room.updated' });
  t.same((await client.event('video.room.updated')).params.params.room_session.updated, [], 'a recorded room.updated that names no field');
  app.emulator.worlds.default.events.emit({ provider: 'rocketchat', type: 'room.updated', at: 0, data: {} });
  t.same((await client.request('signalwire.unsubscribe', { event_channel: channel, events: ['video.member.joined'] })).result, { code: '200', message: 'Unsubscribed' });
  t.same((await client.request('signalwire.unsubscribe', { event_channel: 'room.unknown' })).result, { code: '200', message: 'Unsubscribed' });
  const carol = (await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Carol' })).body.id;
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${carol}/leave`);
  const left = await client.event('video.member.left');
  t.equal(left.params.params.member.id, carol);
  t.same(client.frames.filter((f) => f.method === 'signalwire.event'), [], 'no layout.changed, no member.joined without a member, nothing from another provider, no unsubscribed join');
  t.same(
    app.emulator.pushes.query({ provider: 'signalwire' }).map((p) => p.event),
    ['video.member.left', 'video.room.updated'],
  );
});

t.test('a REST call that ends a session (deleting its conference) pushes what it records', async (t) => {
  const { connected, control, app } = await relay(t);
  const client = await connected();
  await client.request('signalwire.subscribe', { event_channel: 'video.rooms', events: ['video.room.ended'] });
  await client.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.left'] });
  const res = await call(app, { method: 'DELETE', url: `/api/video/conferences/${ALL_HANDS}`, headers: { authorization: BASIC } });
  t.equal(res.status, 204);
  t.same([(await client.event('video.member.left')).params.params.member.name, (await client.event('video.member.left')).params.params.member.name], ['Alice', 'Bob']);
  t.equal((await client.event('video.room.ended')).params.params.room_session_id, LIVE_SESSION);

  // The control actions refuse what is over.
  let r = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members/${ALICE}/state`, { talking: true });
  t.same([r.status, r.body.detail], [409, `Room session ${LIVE_SESSION} has ended`]);
  r = await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/state`, { locked: true });
  t.same([r.status, r.body.detail], [409, `Room session ${LIVE_SESSION} has ended`]);
  const session = (await control('POST', `/signalwire/conferences/${DESIGN_REVIEW}/room_sessions`)).body.id as string;
  const dee = (await control('POST', `/signalwire/room_sessions/${session}/members`, { name: 'Dee' })).body.id as string;
  await control('POST', `/signalwire/room_sessions/${session}/members/${dee}/leave`);
  r = await control('POST', `/signalwire/room_sessions/${session}/members/${dee}/state`, { audio_muted: true });
  t.same([r.status, r.body.detail], [409, `Member ${dee} has left`]);
  r = await control('POST', `/signalwire/room_sessions/${session}/members/${ALICE}/state`, { audio_muted: true });
  t.same([r.status, r.body.detail], [404, `No member ${ALICE} in room session ${session}`]);
});

t.test('a socket that closes while its jwt_token is being checked is not left listening', async (t) => {
  const auth = await import('../../../src/providers/signalwire/realtime/auth.js');
  const { createRelay } = await t.mockImport<typeof import('../../../src/providers/signalwire/realtime/index.js')>('../../../src/providers/signalwire/realtime/index.js', {
    '../../../src/providers/signalwire/realtime/auth.js': {
      ...auth,
      // A resolver that takes its time, as one verifying a signed JWT does.
      conferenceTokenResolver: (...args: Parameters<typeof auth.conferenceTokenResolver>) => {
        const resolve = auth.conferenceTokenResolver(...args);
        return async (token: string, signature: string) => {
          await new Promise((r) => setTimeout(r, 100));
          return resolve(token, signature);
        };
      },
    },
  });
  const app = await build(t);
  const server = Fastify();
  mountWebSockets(server, [createRelay(new SignalWireStore(app.emulator.db), app.emulator)]);
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => server.close());
  const url = address.replace('http://', 'ws://');
  const slow = await RelayClient.open(t, url);
  const request = { jsonrpc: '2.0', id: 'c1', method: 'signalwire.connect', params: { authentication: { jwt_token: DESIGN_GUEST } } };
  slow.ws.send(JSON.stringify(request), () => slow.ws.terminate());
  await once(slow.ws, 'close');
  await new Promise((r) => setTimeout(r, 250));
  t.equal(app.emulator.worlds.default.events.listening, false);

  const patient = await RelayClient.open(t, url);
  const start = performance.now();
  t.equal((await patient.connect({ jwt_token: DESIGN_GUEST })).result.authorization.user_name, 'Guest');
  t.ok(performance.now() - start >= 90, 'the slow resolver was used');
  t.equal(app.emulator.worlds.default.events.listening, true);
});

t.test('a client that reconnects with its protocol gets its subscriptions back; the oldest closed sessions are forgotten', async (t) => {
  const { open, connected, control } = await relay(t);
  const first = await connected();
  const protocol = (await first.connect({ project: PROJECT, token: TOKEN })).result.protocol as string;
  await first.request('signalwire.subscribe', { event_channel: `room.${LIVE_SESSION}`, events: ['video.member.joined'] });
  first.ws.close();
  await once(first.ws, 'close');

  const again = await open();
  t.equal((await again.connect({ project: PROJECT, token: TOKEN }, { protocol })).result.protocol, protocol);
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Back' });
  t.equal((await again.event('video.member.joined')).params.params.member.name, 'Back', 'no new subscribe needed');
  again.ws.close();
  await once(again.ws, 'close');

  // 256 sessions closing after it push it out.
  for (let batch = 0; batch < 2; batch++) {
    const clients = await Promise.all(Array.from({ length: 128 }, () => open()));
    await Promise.all(clients.map((c) => c.connect({ project: PROJECT, token: TOKEN })));
    await Promise.all(clients.map((c) => (c.ws.close(), once(c.ws, 'close'))));
  }
  const late = await open();
  t.equal((await late.connect({ project: PROJECT, token: TOKEN }, { protocol })).result.protocol, protocol);
  await control('POST', `/signalwire/room_sessions/${LIVE_SESSION}/members`, { name: 'Forgotten' });
  await late.request('signalwire.ping', { timestamp: 1 });
  t.equal(late.frames.filter((f) => f.method === 'signalwire.event').length, 0, 'its subscriptions were forgotten');
});
