import type { WorldEvents } from '../../core/events.js';
import type { IdSource } from '../../core/ids.js';
import type { SignalWireStore } from './store.js';
import type { Conference, ConferenceToken, Member, Recording, RoomEvent, RoomSession } from './types.js';

/** Whole seconds between two instants as the client sees them (both truncated to the second). */
export function durationSeconds(from: number, to: number): number {
  return Math.max(0, Math.floor(to / 1000) - Math.floor(from / 1000));
}

/** Moderator token permissions, all 37 in the documented order (reference §4.9). */
export const MODERATOR_SCOPES = [
  'room.hide_video_muted', 'room.show_video_muted', 'room.list_available_layouts', 'room.playback', 'room.recording',
  'room.set_layout', 'room.set_position', 'room.set_meta', 'room.stream', 'room.stream.start',
  'room.member.audio_mute', 'room.member.audio_unmute', 'room.member.deaf', 'room.member.demote', 'room.member.promote',
  'room.member.undeaf', 'room.member.remove', 'room.member.set_input_sensitivity', 'room.member.set_input_volume',
  'room.member.set_output_volume', 'room.member.video_mute', 'room.member.video_unmute', 'room.member.set_position', 'room.member.set_meta',
  'room.self.additional_source', 'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.deaf', 'room.self.undeaf',
  'room.self.screenshare', 'room.self.set_input_sensitivity', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.video_mute', 'room.self.video_unmute', 'room.self.set_position', 'room.self.set_meta',
];

/** Guest token permissions: the 11 default `room.self.*` ones (reference §4.9). */
export const GUEST_SCOPES = [
  'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute',
  'room.self.deaf', 'room.self.undeaf', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.set_input_sensitivity', 'room.self.screenshare', 'room.self.additional_source',
];

export const QUALITIES = ['720p', '1080p'];
export const SIZES = ['small', 'medium', 'large'];
export const LAYOUTS = [
  'grid-responsive', 'grid-responsive-mobile', 'highlight-1-responsive', '1x1', '2x1', '2x2', '5up', '3x3', '4x4', '5x5', '6x6', '8x8', '10x10',
];
const MAX_MEMBERS: Record<string, number> = { small: 10, medium: 50, large: 300 };

/** Create defaults of every optional conference field (reference §4.1). */
export const CONFERENCE_DEFAULTS = {
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
} satisfies Partial<Conference>;

export const tokenValue = (ids: IdSource) => `vpt_${ids.hex(32)}`;

/** A slug from `display_name` (reference §2.3): lowercased, `[^A-Za-z0-9_-]` → `-`, ≤ 100, then `-2`, `-3`, … while taken. */
export function slugFor(displayName: string, taken: (name: string) => boolean): string {
  const base = Array.from(displayName.toLowerCase(), (c) => (/^[A-Za-z0-9_-]$/.test(c) ? c : '-')).slice(0, 100);
  let name = base.join('');
  for (let n = 2; taken(name); n++) {
    const suffix = `-${n}`;
    name = base.slice(0, 100 - suffix.length).join('') + suffix;
  }
  return name;
}

/** Everything a lifecycle step needs: where it writes, for which project, and at which instant. */
export interface Scope {
  store: SignalWireStore;
  world: string;
  projectId: string;
  now: number;
  ids: IdSource;
  /** The world's domain events: every recorded event is told there too (the Relay pushes, shared/DESIGN.md "Realtime"). */
  events?: WorldEvents;
}

/** Inserts a conference and its Moderator and Guest tokens, in that order (reference §2.4). Run inside a transaction. */
export function insertConference(s: Scope, conference: Conference, tokens: ConferenceToken[]): void {
  s.store.conferences.insert(s.world, s.projectId, conference.created_at, conference, [conference.name]);
  for (const token of tokens) s.store.tokens.insert(s.world, s.projectId, s.store.stamp(s.world, s.now), token, [conference.id]);
}

export function newTokens(ids: IdSource): ConferenceToken[] {
  return [
    { id: ids.uuid(), name: 'Moderator', token: tokenValue(ids), scopes: MODERATOR_SCOPES },
    { id: ids.uuid(), name: 'Guest', token: tokenValue(ids), scopes: GUEST_SCOPES },
  ];
}

/** `push`: what the realtime listeners need beyond the stored event (the member fields that changed). */
type EventRefs = { member?: Member; recording?: Recording; push?: Record<string, unknown> };

/** Records an event of the session (reference §4.6) and tells the world's listeners, from the same record. */
export function recordEvent(s: Scope, session: RoomSession, name: string, refs: EventRefs = {}, payload?: Record<string, unknown>, id?: string, at?: number): RoomEvent {
  const createdAt = at ?? s.store.stamp(s.world, s.now);
  const event: RoomEvent = {
    id: id ?? s.ids.uuid(),
    project_id: s.projectId,
    room_id: session.room_id ?? '',
    room_session_id: session.id,
    ...(refs.recording ? { room_recording_id: refs.recording.id } : {}),
    ...(refs.member ? { room_participant_id: refs.member.id } : {}),
    level: 'info',
    name,
    payload: payload ?? (refs.member ? { member_id: refs.member.id, name: refs.member.name } : refs.recording ? { recording_id: refs.recording.id } : {}),
    created_at: createdAt,
  };
  s.store.events.insert(s.world, s.projectId, createdAt, event, [session.id]);
  if (s.events?.listening) {
    s.events.emit({
      provider: 'signalwire',
      type: name,
      at: createdAt,
      data: { projectId: s.projectId, event, session: { ...session }, member: refs.member && { ...refs.member }, recording: refs.recording && { ...refs.recording }, ...refs.push },
    });
  }
  return event;
}

/** A conference with every key in emission order (reference §4.1): the accepted values over the create defaults. */
export function buildConference(id: string, name: string, values: Partial<Conference>, at: number): Conference {
  const { display_name = null, ...rest } = values;
  return { id, name, display_name, ...CONFERENCE_DEFAULTS, ...withoutName(rest), created_at: at, updated_at: at };
}

function withoutName(values: Partial<Conference>): Partial<Conference> {
  const { name: _name, id: _id, created_at: _c, updated_at: _u, ...rest } = values;
  return rest;
}

/** A new in-progress session of the conference, its settings copied at this moment (reference §2.9 Start). */
export function sessionOf(conference: Conference, id: string, at: number): RoomSession {
  return {
    id,
    room_id: conference.id,
    name: conference.name,
    display_name: conference.display_name,
    max_members: conference.size === null ? null : MAX_MEMBERS[conference.size],
    quality: conference.quality,
    fps: 20,
    join_from: conference.join_from,
    join_until: conference.join_until,
    remove_at: null,
    remove_after_seconds_elapsed: null,
    layout: conference.layout,
    record_on_start: conference.record_on_start,
    tone_on_entry_and_exit: conference.tone_on_entry_and_exit,
    room_join_video_off: conference.room_join_video_off,
    user_join_video_off: conference.user_join_video_off,
    locked: false,
    start_time: at,
    end_time: null,
    duration: null,
    status: 'in-progress',
    created_at: at,
    updated_at: at,
    prioritize_handraise: false,
    sync_audio_video: true,
    cost_in_dollars: 0,
    enable_room_previews: conference.enable_room_previews === true,
    locked_cover: '',
  };
}

/** Starts a session: `room.started`, then a recording if `record_on_start` (reference §2.9 Start). */
export function startSession(s: Scope, conference: Conference): RoomSession {
  const session = sessionOf(conference, s.ids.uuid(), s.store.stamp(s.world, s.now));
  s.store.sessions.insert(s.world, s.projectId, session.created_at, session, [session.room_id, session.status]);
  recordEvent(s, session, 'room.started');
  if (session.record_on_start) startRecording(s, session);
  return session;
}

export function joinMember(s: Scope, session: RoomSession, name: string): Member {
  const at = s.store.stamp(s.world, s.now);
  const member: Member = { id: s.ids.uuid(), room_session_id: session.id, name, join_time: at, leave_time: null, duration: null, cost_in_dollars: 0 };
  s.store.members.insert(s.world, s.projectId, at, member, [session.id]);
  recordEvent(s, session, 'member.joined', { member });
  return member;
}

export function leaveMember(s: Scope, session: RoomSession, member: Member): Member {
  const joined = member.join_time ?? s.now;
  member.leave_time = Math.max(s.now, joined);
  member.duration = durationSeconds(joined, member.leave_time);
  s.store.members.update(s.world, member);
  recordEvent(s, session, 'member.left', { member });
  return member;
}

export function startRecording(s: Scope, session: RoomSession): Recording {
  const at = s.store.stamp(s.world, s.now);
  const recording: Recording = {
    id: s.ids.uuid(),
    room_session_id: session.id,
    status: 'recording',
    started_at: at,
    finished_at: null,
    duration: null,
    size_in_bytes: null,
    format: 'video/mp4',
    cost_in_dollars: 0,
    uri: null,
    created_at: at,
    updated_at: at,
  };
  s.store.recordings.insert(s.world, s.projectId, at, recording, [session.id]);
  recordEvent(s, session, 'recording.started', { recording });
  return recording;
}

export function stopRecording(s: Scope, session: RoomSession, recording: Recording): Recording {
  const started = recording.started_at ?? recording.created_at;
  recording.status = 'completed';
  recording.finished_at = Math.max(s.now, started);
  recording.duration = durationSeconds(started, recording.finished_at);
  recording.updated_at = Math.max(s.now, recording.created_at);
  s.store.recordings.update(s.world, recording);
  recordEvent(s, session, 'recording.ended', { recording });
  return recording;
}

/** Ends a live session: members leave, recordings complete, then the session (reference §2.9 End). */
export function endSession(s: Scope, session: RoomSession): RoomSession {
  for (const member of s.store.members.listBy(s.world, 'room_session_id', session.id)) {
    if (member.leave_time === null) leaveMember(s, session, member);
  }
  for (const recording of s.store.recordings.listBy(s.world, 'room_session_id', session.id)) {
    if (recording.status === 'recording' || recording.status === 'paused') stopRecording(s, session, recording);
  }
  const started = session.start_time ?? session.created_at;
  session.status = 'completed';
  session.end_time = Math.max(s.now, started);
  session.duration = durationSeconds(started, session.end_time);
  session.updated_at = Math.max(s.now, session.created_at);
  s.store.sessions.update(s.world, session, [session.status]);
  recordEvent(s, session, 'room.ended');
  return session;
}
