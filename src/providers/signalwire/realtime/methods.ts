import type { Runtime } from '../../../core/runtime.js';
import { LAYOUTS, leaveMember, startRecording, stopRecording, type Scope } from '../domain/index.js';
import { isLayout, liveOf, memberLive, sessionLive, setRecordingPaused, updateMember, updateRoom, type MemberChanges, type RoomChanges } from '../live.js';
import type { SignalWireStore } from '../store.js';
import type { Member, Recording, RoomSession } from '../types.js';
import type { RelayPrincipal } from './auth.js';
import { VideoState } from './frames.js';

/** A refused call: `in: 'result'` is SignalWire's `{code, message}` inside `result` (a non-2xx code the SDK rejects with), `in: 'error'` a JSON-RPC error. */
export class RelayError extends Error {
  readonly in: 'result' | 'error';
  readonly body: { code: string | number; message: string };

  constructor(where: 'result' | 'error', code: string | number, message: string) {
    super(message);
    this.in = where;
    this.body = { code, message };
  }
}

export const INVALID_PARAMS = (message: string) => new RelayError('error', -32602, `Invalid params: ${message}`);
const NOT_FOUND = (what: string) => new RelayError('result', '404', `${what} not found`);
/** SignalWire's refusal of a permission (`@signalwire/core` `parseRPCResponse.test.ts`). */
export const PERMISSION_DENIED = () => new RelayError('result', '-32001', 'Permission Denied.');

const OK = { code: '200', message: 'OK' } as const;

type Params = Record<string, unknown>;
interface Call {
  principal: RelayPrincipal;
  params: Params;
}
type Method = (call: Call) => Record<string, unknown>;

/**
 * The JSON-RPC methods of `@signalwire/realtime-api`'s video namespace (`Video`, `RoomSession`,
 * `RoomSessionMember`, `RoomSessionRecording`) that the emulator's state can answer. Changes go
 * through the same domain functions as the REST API and the control plane, so they are recorded
 * as the session's events and pushed from there. Playback, streams, positions and promote/demote
 * need media the emulator does not have: they are absent here and answer "Method not found".
 */
export function createVideoMethods(store: SignalWireStore, runtime: Runtime): Map<string, Method> {
  const scope = (p: RelayPrincipal, projectId: string): Scope => ({
    store,
    world: p.world.id,
    projectId,
    now: p.world.now(),
    ids: runtime.ids,
    events: p.world.events,
  });

  const visible = (p: RelayPrincipal, session: RoomSession | undefined) =>
    session !== undefined && (p.conferenceId === undefined || session.room_id === p.conferenceId);

  function session(call: Call, live = false): RoomSession {
    const id = call.params.room_session_id;
    if (typeof id !== 'string' || id === '') throw INVALID_PARAMS('room_session_id is required');
    const found = store.sessions.owned(call.principal.world.id, call.principal.projectId, id.toLowerCase());
    if (!found || !visible(call.principal, found)) throw NOT_FOUND('Room session');
    if (live && found.status !== 'in-progress') throw NOT_FOUND('Room session');
    return found;
  }

  function member(call: Call, s: RoomSession): Member {
    const id = call.params.member_id;
    if (typeof id !== 'string' || id === '') throw INVALID_PARAMS('member_id is required');
    const found = store.members.get(call.principal.world.id, id.toLowerCase())?.doc;
    if (!found || found.room_session_id !== s.id || found.leave_time !== null) throw NOT_FOUND('Member');
    return found;
  }

  function recording(call: Call, s: RoomSession): Recording {
    const id = call.params.recording_id;
    if (typeof id !== 'string' || id === '') throw INVALID_PARAMS('recording_id is required');
    const found = store.recordings.get(call.principal.world.id, id.toLowerCase())?.doc;
    if (!found || found.room_session_id !== s.id) throw NOT_FOUND('Recording');
    return found;
  }

  /** A room token may only do what its scopes allow; project credentials may do everything. */
  const allowed = (p: RelayPrincipal, scope: string) => {
    if (p.scopes !== undefined && !p.scopes.includes(scope)) throw PERMISSION_DENIED();
  };

  const state = (p: RelayPrincipal) => new VideoState(store, p.world);
  const transaction = <T>(fn: () => T): T => store.db.transaction(fn)();

  const number = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw INVALID_PARAMS(`${name} must be a number`);
    return value;
  };
  const meta = (value: unknown): Record<string, unknown> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw INVALID_PARAMS('meta must be an object');
    return value as Record<string, unknown>;
  };
  const keys = (value: unknown): string[] => {
    if (!Array.isArray(value) || value.some((k) => typeof k !== 'string')) throw INVALID_PARAMS('keys must be an array of strings');
    return value as string[];
  };

  const memberCommand =
    (scopeName: string, changes: (call: Call, current: Record<string, unknown>) => MemberChanges): Method =>
    (call) => {
      allowed(call.principal, scopeName);
      const s = session(call, true);
      const m = member(call, s);
      const current = memberLive(liveOf(call.principal.world), m, s) as unknown as Record<string, unknown>;
      const next = changes(call, current);
      transaction(() => updateMember(scope(call.principal, call.principal.projectId), liveOf(call.principal.world), s, m, next));
      return { ...OK };
    };

  const roomCommand =
    (scopeName: string, changes: (call: Call, current: Record<string, unknown>) => RoomChanges): Method =>
    (call) => {
      allowed(call.principal, scopeName);
      const s = session(call, true);
      const current = sessionLive(liveOf(call.principal.world), s) as unknown as Record<string, unknown>;
      const next = changes(call, current);
      transaction(() => updateRoom(scope(call.principal, call.principal.projectId), liveOf(call.principal.world), s, next));
      return { ...OK };
    };

  const methods: [string, Method][] = [
    [
      'video.rooms.get',
      (call) => {
        const p = call.principal;
        const v = state(p);
        const rooms = store.sessions
          .listBy(p.world.id, 'project_id', p.projectId)
          .filter((s) => s.status === 'in-progress' && visible(p, s))
          .map((s) => v.roomSession(s, true));
        return { ...OK, rooms };
      },
    ],
    ['video.room.get', (call) => ({ ...OK, room: state(call.principal).roomSession(session(call), true) })],
    [
      'video.members.get',
      (call) => {
        const s = session(call);
        const v = state(call.principal);
        return { ...OK, members: v.members(s).map((m) => v.member(s, m)) };
      },
    ],
    ['video.list_available_layouts', (call) => (session(call), { ...OK, layouts: [...LAYOUTS] })],

    ['video.member.audio_mute', memberCommand('room.member.audio_mute', () => ({ audio_muted: true }))],
    ['video.member.audio_unmute', memberCommand('room.member.audio_unmute', () => ({ audio_muted: false }))],
    ['video.member.video_mute', memberCommand('room.member.video_mute', () => ({ video_muted: true }))],
    ['video.member.video_unmute', memberCommand('room.member.video_unmute', () => ({ video_muted: false }))],
    ['video.member.deaf', memberCommand('room.member.deaf', () => ({ deaf: true }))],
    ['video.member.undeaf', memberCommand('room.member.undeaf', () => ({ deaf: false }))],
    ['video.member.set_input_volume', memberCommand('room.member.set_input_volume', (c) => ({ input_volume: number(c.params.volume, 'volume') }))],
    ['video.member.set_output_volume', memberCommand('room.member.set_output_volume', (c) => ({ output_volume: number(c.params.volume, 'volume') }))],
    ['video.member.set_input_sensitivity', memberCommand('room.member.set_input_sensitivity', (c) => ({ input_sensitivity: number(c.params.value, 'value') }))],
    ['video.member.raisehand', memberCommand('room.member.raisehand', () => ({ handraised: true }))],
    ['video.member.lowerhand', memberCommand('room.member.lowerhand', () => ({ handraised: false }))],
    ['video.member.set_meta', memberCommand('room.member.set_meta', (c) => ({ meta: meta(c.params.meta) }))],
    [
      'video.member.update_meta',
      memberCommand('room.member.set_meta', (c, current) => ({ meta: { ...(current.meta as object), ...meta(c.params.meta) } })),
    ],
    [
      'video.member.delete_meta',
      memberCommand('room.member.set_meta', (c, current) => {
        const drop = new Set(keys(c.params.keys));
        return { meta: Object.fromEntries(Object.entries(current.meta as object).filter(([k]) => !drop.has(k))) };
      }),
    ],
    [
      'video.member.get_meta',
      (call) => {
        const s = session(call);
        const m = member(call, s);
        return { ...OK, meta: memberLive(liveOf(call.principal.world), m, s).meta };
      },
    ],
    [
      'video.member.remove',
      (call) => {
        allowed(call.principal, 'room.member.remove');
        const s = session(call, true);
        const targets = call.params.member_id === 'all' ? state(call.principal).members(s) : [member(call, s)];
        const sc = scope(call.principal, call.principal.projectId);
        transaction(() => targets.forEach((m) => leaveMember(sc, s, m)));
        return { ...OK };
      },
    ],

    ['video.lock', roomCommand('room.lock', () => ({ locked: true }))],
    ['video.unlock', roomCommand('room.unlock', () => ({ locked: false }))],
    ['video.hide_video_muted', roomCommand('room.hide_video_muted', () => ({ hide_video_muted: true }))],
    ['video.show_video_muted', roomCommand('room.show_video_muted', () => ({ hide_video_muted: false }))],
    [
      'video.set_layout',
      roomCommand('room.set_layout', (c) => {
        if (!isLayout(c.params.name)) throw INVALID_PARAMS(`name must be one of ${LAYOUTS.join(', ')}`);
        return { layout_name: c.params.name };
      }),
    ],
    [
      'video.prioritize_handraise',
      roomCommand('room.prioritize_handraise', (c) => {
        if (typeof c.params.enable !== 'boolean') throw INVALID_PARAMS('enable must be a boolean');
        return { prioritize_handraise: c.params.enable };
      }),
    ],
    ['video.set_meta', roomCommand('room.set_meta', (c) => ({ meta: meta(c.params.meta) }))],
    ['video.update_meta', roomCommand('room.set_meta', (c, current) => ({ meta: { ...(current.meta as object), ...meta(c.params.meta) } }))],
    [
      'video.delete_meta',
      roomCommand('room.set_meta', (c, current) => {
        const drop = new Set(keys(c.params.keys));
        return { meta: Object.fromEntries(Object.entries(current.meta as object).filter(([k]) => !drop.has(k))) };
      }),
    ],
    ['video.get_meta', (call) => ({ ...OK, meta: sessionLive(liveOf(call.principal.world), session(call)).meta })],

    [
      'video.recording.list',
      (call) => {
        const s = session(call);
        const v = state(call.principal);
        return { ...OK, recordings: v.recordings(s).map((r) => v.recording(r)) };
      },
    ],
    [
      'video.recording.start',
      (call) => {
        allowed(call.principal, 'room.recording');
        const s = session(call, true);
        const started = transaction(() => startRecording(scope(call.principal, call.principal.projectId), s));
        return { ...OK, recording: state(call.principal).recording(started) };
      },
    ],
    ...(
      [
        ['video.recording.stop', 'stop'],
        ['video.recording.pause', 'pause'],
        ['video.recording.resume', 'resume'],
      ] as const
    ).map(([name, action]): [string, Method] => [
      name,
      (call) => {
        allowed(call.principal, 'room.recording');
        const s = session(call, true);
        const r = recording(call, s);
        const live = r.status === 'recording' || r.status === 'paused';
        if (!live || (action === 'pause' && r.status === 'paused') || (action === 'resume' && r.status === 'recording')) {
          throw new RelayError('result', '409', `Recording is ${r.status}`);
        }
        const sc = scope(call.principal, call.principal.projectId);
        transaction(() => (action === 'stop' ? stopRecording(sc, s, r) : setRecordingPaused(sc, s, r, action === 'pause')));
        return { ...OK };
      },
    ]),
  ];
  return new Map(methods);
}
