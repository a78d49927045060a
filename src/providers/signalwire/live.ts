import type { World } from '../../core/worlds.js';
import { LAYOUTS, recordEvent, type Scope } from './domain/index.js';
import type { Member, Recording, RoomSession } from './types.js';

/**
 * What a room session and its members have that no REST resource shows and no real media stands
 * behind (mute, volumes, talking, raised hands, the session's meta): kept in the world's memory,
 * dropped when the world resets. The Relay WebSocket and the control plane change it; every change
 * is recorded as an event of the session (REST `room_sessions/{id}/events`) and pushed from there.
 */
export interface MemberLive {
  type: 'member' | 'screen' | 'device';
  parent_id: string;
  requested_position: string;
  visible: boolean;
  audio_muted: boolean;
  video_muted: boolean;
  deaf: boolean;
  input_volume: number;
  output_volume: number;
  input_sensitivity: number;
  meta: Record<string, unknown>;
  handraised: boolean;
  talking: boolean;
}

export interface SessionLive {
  hide_video_muted: boolean;
  meta: Record<string, unknown>;
}

export interface LiveState {
  members: Map<string, MemberLive>;
  sessions: Map<string, SessionLive>;
}

/** The member fields `member.updated` may carry, as `@signalwire/core` lists them (`INTERNAL_MEMBER_UPDATABLE_PROPS`, plus `handraised` and `meta`). */
export const MEMBER_UPDATABLE = ['audio_muted', 'video_muted', 'deaf', 'visible', 'input_volume', 'output_volume', 'input_sensitivity', 'handraised', 'meta'] as const;
export type MemberChanges = Partial<Pick<MemberLive, (typeof MEMBER_UPDATABLE)[number]>>;

export const liveOf = (world: World): LiveState => world.local('signalwire:live', () => ({ members: new Map(), sessions: new Map() }));

export function memberLive(live: LiveState, member: Member, session: RoomSession): MemberLive {
  let state = live.members.get(member.id);
  if (!state) {
    // Values of a member as SignalWire's own frames show one joining (@signalwire/realtime-api RoomSessionMember.test.ts).
    state = {
      type: 'member',
      parent_id: '',
      requested_position: 'auto',
      visible: false,
      audio_muted: false,
      video_muted: session.room_join_video_off || session.user_join_video_off,
      deaf: false,
      input_volume: 0,
      output_volume: 0,
      input_sensitivity: 44,
      meta: {},
      handraised: false,
      talking: false,
    };
    live.members.set(member.id, state);
  }
  return state;
}

export function sessionLive(live: LiveState, session: RoomSession): SessionLive {
  let state = live.sessions.get(session.id);
  if (!state) {
    state = { hide_video_muted: false, meta: {} };
    live.sessions.set(session.id, state);
  }
  return state;
}

/** The member's fields that differ from `changes`, applied; `member.updated` recorded when any did (none: nothing happens). */
export function updateMember(s: Scope, live: LiveState, session: RoomSession, member: Member, changes: MemberChanges): string[] {
  const state = memberLive(live, member, session) as unknown as Record<string, unknown>;
  const updated: string[] = [];
  for (const key of MEMBER_UPDATABLE) {
    const value = changes[key];
    if (value === undefined || JSON.stringify(state[key]) === JSON.stringify(value)) continue;
    state[key] = value;
    updated.push(key);
  }
  if (updated.length > 0) recordEvent(s, session, 'member.updated', { member, push: { updated } });
  return updated;
}

export function setTalking(s: Scope, live: LiveState, session: RoomSession, member: Member, talking: boolean): boolean {
  const state = memberLive(live, member, session);
  if (state.talking === talking) return false;
  state.talking = talking;
  recordEvent(s, session, 'member.talking', { member, push: { talking } });
  return true;
}

/** The session fields `room.updated` may carry: `locked`, `layout_name` and `prioritize_handraise` are stored (REST shows them), the rest live in memory. */
export interface RoomChanges {
  locked?: boolean;
  layout_name?: string;
  prioritize_handraise?: boolean;
  hide_video_muted?: boolean;
  meta?: Record<string, unknown>;
}

export function updateRoom(s: Scope, live: LiveState, session: RoomSession, changes: RoomChanges): string[] {
  const state = sessionLive(live, session);
  const updated: string[] = [];
  const stored = { locked: session.locked, layout_name: session.layout, prioritize_handraise: session.prioritize_handraise };
  if (changes.locked !== undefined && changes.locked !== stored.locked) {
    session.locked = changes.locked;
    updated.push('locked');
  }
  if (changes.layout_name !== undefined && changes.layout_name !== stored.layout_name) {
    session.layout = changes.layout_name;
    updated.push('layout_name');
  }
  if (changes.prioritize_handraise !== undefined && changes.prioritize_handraise !== stored.prioritize_handraise) {
    session.prioritize_handraise = changes.prioritize_handraise;
    updated.push('prioritize_handraise');
  }
  if (updated.length > 0) {
    session.updated_at = Math.max(s.now, session.created_at);
    s.store.sessions.update(s.world, session, [session.status]);
  }
  if (changes.hide_video_muted !== undefined && changes.hide_video_muted !== state.hide_video_muted) {
    state.hide_video_muted = changes.hide_video_muted;
    updated.push('hide_video_muted');
  }
  if (changes.meta !== undefined && JSON.stringify(changes.meta) !== JSON.stringify(state.meta)) {
    state.meta = changes.meta;
    updated.push('meta');
  }
  if (updated.length > 0) recordEvent(s, session, 'room.updated', { push: { updated } });
  return updated;
}

export const isLayout = (name: unknown): name is string => typeof name === 'string' && LAYOUTS.includes(name);

/** Pauses or resumes a live recording: `recording.updated`. */
export function setRecordingPaused(s: Scope, session: RoomSession, recording: Recording, paused: boolean): Recording {
  recording.status = paused ? 'paused' : 'recording';
  recording.updated_at = Math.max(s.now, recording.created_at);
  s.store.recordings.update(s.world, recording);
  recordEvent(s, session, 'recording.updated', { recording });
  return recording;
}
