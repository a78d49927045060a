import type { IdSource } from '../../core/ids.js';
import { recordingFileSize } from './present.js';
import type { SignalWireStore } from './store.js';
import type { Conference, ConferenceToken, Member, Recording, Room, RoomEvent, RoomSession, RoomToken, Stream, VideoLog } from './types.js';

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

/** Every permission a room token may grant, in the spec's order (video-api/room-tokens/models/core.tsp `RoomTokenPermission`). */
export const ROOM_TOKEN_PERMISSIONS = [
  'room.member.audio_mute', 'room.member.audio_unmute', 'room.member.video_mute', 'room.member.video_unmute', 'room.member.deaf',
  'room.member.undeaf', 'room.member.set_input_volume', 'room.member.set_output_volume', 'room.member.set_input_sensitivity',
  'room.member.set_position', 'room.member.set_meta', 'room.member.raisehand', 'room.member.lowerhand', 'room.member.remove',
  'room.member.promote', 'room.member.demote', 'room.hide_video_muted', 'room.list_available_layouts', 'room.lock', 'room.playback',
  'room.playback_seek', 'room.prioritize_handraise', 'room.recording', 'room.set_layout', 'room.set_position', 'room.set_meta',
  'room.show_video_muted', 'room.stream', 'room.unlock', 'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute',
  'room.self.video_unmute', 'room.self.deaf', 'room.self.undeaf', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.set_input_sensitivity', 'room.self.set_position', 'room.self.set_meta', 'room.self.raisehand', 'room.self.lowerhand',
  'room.self.screenshare', 'room.self.additional_source',
];
export const JOIN_AS = ['member', 'audience'];
export const MEDIA_ALLOWED = ['all', 'video-only', 'audio-only'];

/**
 * Create defaults of a room (video-api/rooms/models/requests.tsp `RoomRequestProperties`); the keys the
 * request cannot set take the response examples' values. `display_name` defaults to `name`.
 */
export const ROOM_DEFAULTS = {
  description: null,
  max_members: 20,
  quality: '720p',
  fps: 20,
  join_from: null,
  join_until: null,
  remove_at: null,
  remove_after_seconds_elapsed: null,
  layout: 'grid-responsive',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  room_join_video_off: false,
  user_join_video_off: false,
  enable_room_previews: false,
  sync_audio_video: null,
  meta: null,
  prioritize_handraise: false,
} satisfies Partial<Room>;

/** The update body's own defaults, applied to the fields a PUT leaves out (the spec's request models). */
export const ROOM_UPDATE_DEFAULTS = { max_members: 20, quality: '720p', layout: 'grid-responsive', record_on_start: false, enable_room_previews: false };
export const CONFERENCE_UPDATE_DEFAULTS = { quality: '720p', layout: 'grid-responsive', size: 'medium' };

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

type EventRefs = { member?: Member; recording?: Recording };

/** Records an event of the session (reference §4.6). */
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

/** What a room session starts in: a conference (a room with a prebuilt UI) or a room. */
export type SessionHost = { kind: 'conference'; conference: Conference } | { kind: 'room'; room: Room };

/** A new in-progress session, the conference's or room's settings copied at this moment (reference §2.9 Start). */
export function sessionOf(host: SessionHost, id: string, at: number): RoomSession {
  const room = host.kind === 'room' ? host.room : undefined;
  const conference = host.kind === 'conference' ? host.conference : host.room;
  return {
    id,
    room_id: conference.id,
    name: conference.name,
    display_name: conference.display_name,
    max_members: room ? room.max_members : host.kind === 'conference' && host.conference.size !== null ? MAX_MEMBERS[host.conference.size] : null,
    quality: conference.quality,
    fps: room ? room.fps : 20,
    join_from: conference.join_from,
    join_until: conference.join_until,
    remove_at: room ? room.remove_at : null,
    remove_after_seconds_elapsed: room ? room.remove_after_seconds_elapsed : null,
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
    prioritize_handraise: room ? room.prioritize_handraise : false,
    sync_audio_video: room?.sync_audio_video ?? true,
    cost_in_dollars: 0,
    enable_room_previews: conference.enable_room_previews === true,
    locked_cover: '',
  };
}

/** Starts a session: its log, `room.started`, then a recording if `record_on_start` (reference §2.9 Start). */
export function startSession(s: Scope, host: SessionHost): RoomSession {
  const session = sessionOf(host, s.ids.uuid(), s.store.stamp(s.world, s.now));
  s.store.sessions.insert(s.world, s.projectId, session.created_at, session, [session.room_id, session.status]);
  insertLog(s, session, host.kind === 'room' ? 'video_room_session' : 'video_conference_session');
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
  recording.size_in_bytes = recordingFileSize(recording.duration);
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
  for (const log of s.store.logs.listBy(s.world, 'room_session_id', session.id)) {
    s.store.logs.update(s.world, { ...log, status: 'completed', ended_at: session.end_time });
  }
  recordEvent(s, session, 'room.ended');
  return session;
}

/** The log of a session (video-api/logs): one per session, its type telling a room's from a conference's. */
export function insertLog(s: Scope, session: RoomSession, type: VideoLog['type'], at = session.created_at): VideoLog {
  const log: VideoLog = {
    id: s.ids.uuid(),
    room_session_id: session.id,
    room_id: session.room_id ?? '',
    type,
    room_name: session.name,
    status: session.status,
    started_at: session.start_time,
    ended_at: session.end_time,
    created_at: at,
    discarded_at: null,
  };
  s.store.logs.insert(s.world, s.projectId, at, log, [log.room_session_id, log.room_id]);
  return log;
}

/** A conference or room is deleted: its live session ends, and the logs of its sessions become deleted activity. */
function retireHost(s: Scope, hostId: string): void {
  const live = s.store.liveSession(s.world, hostId);
  if (live) endSession(s, live);
  for (const log of s.store.logs.listBy(s.world, 'room_id', hostId)) {
    if (log.discarded_at === null) s.store.logs.update(s.world, { ...log, discarded_at: Math.max(s.now, log.created_at) });
  }
}

/** Deletes a conference with its tokens and streams; its session history stays readable (reference §2.9). Run inside a transaction. */
export function deleteConference(s: Scope, conference: Conference): void {
  retireHost(s, conference.id);
  s.store.tokens.deleteBy(s.world, 'conference_id', conference.id);
  s.store.streams.deleteBy(s.world, 'conference_id', conference.id);
  s.store.conferences.delete(s.world, conference.id);
}

/** A room with every key in emission order: the accepted values over the create defaults. */
export function buildRoom(id: string, name: string, values: Partial<Room>, at: number): Room {
  const room: Room = { id, name, display_name: name, ...ROOM_DEFAULTS, created_at: at, updated_at: at };
  for (const [key, value] of Object.entries(values)) if (key !== 'id' && key !== 'name' && key !== 'created_at' && key !== 'updated_at') (room as unknown as Record<string, unknown>)[key] = value;
  return room;
}

export function createRoom(s: Scope, name: string, values: Partial<Room>): Room {
  const room = buildRoom(s.ids.uuid(), name, values, s.store.stamp(s.world, s.now));
  s.store.rooms.insert(s.world, s.projectId, room.created_at, room, [room.name]);
  return room;
}

/** PUT: the sent fields, the update body's defaults for the omitted ones that have one, the rest kept. */
export function updateRoom(s: Scope, room: Room, values: Partial<Room>): Room {
  const updated: Room = { ...room, ...ROOM_UPDATE_DEFAULTS, ...values, updated_at: Math.max(s.now, room.created_at) };
  s.store.rooms.update(s.world, updated);
  return updated;
}

/** Deletes a room with its streams; its session history stays readable. Run inside a transaction. */
export function deleteRoom(s: Scope, room: Room): void {
  retireHost(s, room.id);
  s.store.streams.deleteBy(s.world, 'conference_id', room.id);
  s.store.rooms.delete(s.world, room.id);
}

/** Deletes a recording; one still running is stopped first (its `recording.ended` stays in the session's events). */
export function deleteRecording(s: Scope, recording: Recording): void {
  if (recording.status === 'recording' || recording.status === 'paused') {
    const session = s.store.sessions.get(s.world, recording.room_session_id)?.doc;
    if (session) stopRecording(s, session, recording);
  }
  s.store.recordings.delete(s.world, recording.id);
}

/** A create-room-token body after validation (video-api/room-tokens/models/requests.tsp), defaults applied. */
export interface RoomTokenInput {
  room_name: string;
  user_name?: string;
  permissions: string[];
  join_from?: number;
  join_until?: number;
  remove_at?: number;
  remove_after_seconds_elapsed?: number;
  join_audio_muted?: boolean;
  join_video_muted?: boolean;
  auto_create_room: boolean;
  enable_room_previews?: boolean;
  room_display_name?: string;
  end_room_session_on_leave?: boolean;
  join_as: string;
  media_allowed?: string;
  room_meta?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  sync_audio_video?: boolean;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Issues a room token: the record the dashboard lists, and the JWT claims. The claims the spec's
 * example token carries keep its names (`iat`, `jti`, `sub` = project, `u` user, `r` room, `s` scopes,
 * `acr` auto-create, `jf`/`ju` join window, `rat` remove-at, `rse` remove-after, in seconds); the
 * other request fields are carried, only when sent, under short names of the same style (decision).
 */
export function issueRoomToken(s: Scope, input: RoomTokenInput): { token: RoomToken; claims: Record<string, unknown> } {
  const at = s.store.stamp(s.world, s.now);
  const permissions = input.join_as === 'audience' ? [] : input.permissions;
  const token: RoomToken = {
    id: s.ids.uuid(),
    room_name: input.room_name,
    user_name: input.user_name ?? null,
    permissions,
    join_as: input.join_as,
    join_from: input.join_from ?? null,
    join_until: input.join_until ?? null,
    created_at: at,
  };
  s.store.roomTokens.insert(s.world, s.projectId, at, token, [token.room_name]);
  const optional: [string, unknown][] = [
    ['jf', input.join_from === undefined ? undefined : seconds(input.join_from)],
    ['ju', input.join_until === undefined ? undefined : seconds(input.join_until)],
    ['rat', input.remove_at === undefined ? undefined : seconds(input.remove_at)],
    ['rse', input.remove_after_seconds_elapsed],
    ['ja', input.join_as],
    ['jam', input.join_audio_muted],
    ['jvm', input.join_video_muted],
    ['erp', input.enable_room_previews],
    ['rdn', input.room_display_name],
    ['ersl', input.end_room_session_on_leave],
    ['ma', input.media_allowed],
    ['rm', input.room_meta],
    ['m', input.meta],
    ['sav', input.sync_audio_video],
  ];
  const claims: Record<string, unknown> = {
    iat: seconds(at),
    jti: token.id,
    sub: s.projectId,
    ...(input.user_name === undefined ? {} : { u: input.user_name }),
    r: input.room_name,
    s: permissions,
    acr: input.auto_create_room,
  };
  for (const [key, value] of optional) if (value !== undefined) claims[key] = value;
  return { token, claims };
}

/** A new RTMP(S) stream of a conference or room (reference §4.8 values). */
export function createStream(s: Scope, hostId: string, url: string): Stream {
  const at = s.store.stamp(s.world, s.now);
  const stream: Stream = { id: s.ids.uuid(), conference_id: hostId, url, stream_type: 'rtmp', fps: 20, created_at: at, updated_at: at };
  s.store.streams.insert(s.world, s.projectId, at, stream, [hostId]);
  return stream;
}
