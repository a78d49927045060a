import t from 'tap';
import { SignalWire } from '@signalwire/realtime-api';
import { build } from '../helper.js';

/** Default fixture credentials (fixtures/signalwire.json). */
const PROJECT = '72a7ce5a-0281-4be1-a238-49fc41fafb42';
const TOKEN = 'PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5';
const DESIGN_REVIEW = '8e7d6c5b-4a39-4f2e-8d1c-0b9a8f7e6d5c';

/** Resolves with the first value `register` hands its callback. */
function next<T>(register: (fn: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register(resolve));
}

t.test('@signalwire/realtime-api hears rooms, members and recordings the control plane drives', async (t) => {
  const app = await build(t);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const host = address.replace('http://', 'ws://');
  const client = await SignalWire({ project: PROJECT, token: TOKEN, host, logLevel: 'silent' });
  t.teardown(() => client.disconnect());

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${address}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  let onStarted!: (room: any) => void;
  let onEnded!: (room: any) => void;
  const started = next<any>((fn) => (onStarted = fn));
  const ended = next<any>((fn) => (onEnded = fn));
  await client.video.listen({ onRoomStarted: (room) => onStarted(room), onRoomEnded: (room) => onEnded(room) });

  const session = await control('POST', `/signalwire/conferences/${DESIGN_REVIEW}/room_sessions`);
  t.equal(session.status, 201);
  const room = await started;
  t.equal(room.id, session.body.id);
  t.equal(room.roomId, DESIGN_REVIEW);
  t.equal(room.name, 'design-review');
  t.equal(room.recording, false);

  let onJoined!: (member: any) => void;
  const joined = next<any>((fn) => (onJoined = fn));
  let onRecStarted!: (recording: any) => void;
  let onRecEnded!: (recording: any) => void;
  const recStarted = next<any>((fn) => (onRecStarted = fn));
  const recEnded = next<any>((fn) => (onRecEnded = fn));
  await room.listen({
    onMemberJoined: (member: any) => onJoined(member),
    onRecordingStarted: (recording: any) => onRecStarted(recording),
    onRecordingEnded: (recording: any) => onRecEnded(recording),
  });

  const member = await control('POST', `/signalwire/room_sessions/${room.id}/members`, { name: 'Ada' });
  const m = await joined;
  t.equal(m.id, member.body.id);
  t.equal(m.name, 'Ada');
  t.equal(m.roomSessionId, room.id);
  t.equal(m.audioMuted, false);

  const recording = await control('POST', `/signalwire/room_sessions/${room.id}/recordings`);
  const r1 = await recStarted;
  t.equal(r1.id, recording.body.id);
  t.equal(r1.state, 'recording');
  await control('POST', `/signalwire/recordings/${recording.body.id}/stop`);
  const r2 = await recEnded;
  t.equal(r2.id, recording.body.id);
  t.equal(r2.state, 'completed');

  // The SDK acks every event (event_acks): the push log shows it.
  const acked = await control('GET', `/pushes/wait?provider=signalwire&event=video.member.joined&callId=${room.id}&state=acked&timeoutMs=3000`);
  t.equal(acked.status, 200);
  t.equal(JSON.parse(acked.body.push.frame).params.params.member.name, 'Ada');

  // Member and room methods of the SDK, and what the control plane drives (talking).
  let onUpdated!: (member: any) => void;
  let onMuted!: (member: any) => void;
  let onTalking!: (member: any) => void;
  let onLeft!: (member: any) => void;
  let onRoomUpdated!: (room: any) => void;
  const updated = next<any>((fn) => (onUpdated = fn));
  const muted = next<any>((fn) => (onMuted = fn));
  const talking = next<any>((fn) => (onTalking = fn));
  const left = next<any>((fn) => (onLeft = fn));
  const roomUpdated = next<any>((fn) => (onRoomUpdated = fn));
  await room.listen({
    onMemberUpdated: (member: any) => onUpdated(member),
    onMemberAudioMuted: (member: any) => onMuted(member),
    onMemberTalkingStarted: (member: any) => onTalking(member),
    onMemberLeft: (member: any) => onLeft(member),
    onRoomUpdated: (r: any) => onRoomUpdated(r),
  });
  await room.audioMute({ memberId: m.id });
  t.equal((await updated).audioMuted, true);
  t.equal((await muted).id, m.id);
  const { members } = await room.getMembers();
  t.same(members.map((x: any) => [x.name, x.audioMuted]), [['Ada', true]]);
  await control('POST', `/signalwire/room_sessions/${room.id}/members/${m.id}/state`, { talking: true });
  t.equal((await talking).id, m.id);
  await room.lock();
  t.equal((await roomUpdated).locked, true);
  const { roomSessions } = await client.video.getRoomSessions();
  t.ok(roomSessions.some((s: any) => s.id === room.id));
  t.equal((await client.video.getRoomSessionById(room.id)).roomSession.locked, true);
  await room.removeMember({ memberId: m.id });
  t.equal((await left).id, m.id);
  await t.rejects(room.play({ url: 'https://example.com/clip.mp4' }), { code: -32601, message: 'Method not found' });

  await control('POST', `/signalwire/room_sessions/${room.id}/end`);
  const end = await ended;
  t.equal(end.id, room.id);

  const auth = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;
  const events = await (await fetch(`${address}/api/video/room_sessions/${room.id}/events`, { headers: { authorization: auth } })).json();
  t.same(
    events.data.map((e: { name: string }) => e.name),
    // design-review records on start: its own recording starts with the session and ends with it.
    [
      'room.started', 'recording.started', 'member.joined', 'recording.started', 'recording.ended',
      'member.updated', 'member.talking', 'room.updated', 'member.left', 'recording.ended', 'room.ended',
    ],
  );
});
