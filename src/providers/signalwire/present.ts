import type { Conference, ConferenceToken, Member, Recording, Room, RoomEvent, RoomSession, Stream, VideoLog } from './types.js';

/** RFC 3339 UTC without milliseconds; stored milliseconds are truncated (reference §2.10). */
export function rfc3339(ms: number): string {
  return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().replace('.000Z', 'Z');
}

const TIME_KEYS = new Set([
  'created_at', 'updated_at', 'join_from', 'join_until', 'remove_at', 'start_time', 'end_time', 'join_time', 'leave_time', 'started_at', 'finished_at', 'ended_at',
  'discarded_at',
]);

/** A stored document as the API shows it: keys in stored (emission) order, timestamps as RFC 3339. */
function wire(doc: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) out[key] = TIME_KEYS.has(key) && typeof value === 'number' ? rfc3339(value) : value;
  return out;
}

/** `<protocol>://<Host>` of the request: links and preview URLs are absolute (reference §2.7, §2.9). */
export type Origin = string;

function previewUrl(session: RoomSession, origin: Origin): string | null {
  return session.status === 'in-progress' && session.enable_room_previews ? `${origin}/api/video/room_sessions/${session.id}/preview` : null;
}

/** `Video.Conference` (§4.1); `active_session` only when asked for (`undefined` leaves it out). */
export function presentConference(conference: Conference, activeSession?: Record<string, unknown> | null): Record<string, unknown> {
  const out = wire(conference);
  if (activeSession !== undefined) out.active_session = activeSession;
  return out;
}

/** `Video.RoomSession` (list form, §4.4) or the summary form of retrieve. */
export function presentSession(session: RoomSession, origin: Origin, form: 'full' | 'summary' = 'full'): Record<string, unknown> {
  const { cost_in_dollars, enable_room_previews, locked_cover, prioritize_handraise, sync_audio_video, ...head } = session;
  const out = { ...wire(head), preview_url: previewUrl(session, origin), prioritize_handraise, sync_audio_video };
  return form === 'summary' ? out : { ...out, cost_in_dollars, enable_room_previews, locked_cover };
}

const ACTIVE_KEYS = [
  'id', 'room_id', 'name', 'display_name', 'join_from', 'join_until', 'remove_at', 'remove_after_seconds_elapsed', 'layout', 'max_members',
  'fps', 'quality', 'start_time', 'end_time', 'duration', 'status', 'record_on_start', 'enable_room_previews', 'preview_url', 'audio_video_sync',
];

/** `Video.ActiveSession` (§4.2): the live session's values, null ones left out. */
export function presentActiveSession(session: RoomSession, origin: Origin): Record<string, unknown> {
  const source: Record<string, unknown> = { ...presentSession(session, origin), audio_video_sync: session.sync_audio_video };
  const out: Record<string, unknown> = {};
  for (const key of ACTIVE_KEYS) if (source[key] !== null && source[key] !== undefined) out[key] = source[key];
  return out;
}

export const presentToken = (token: ConferenceToken) => ({ id: token.id, name: token.name, token: token.token, scopes: token.scopes });
export const presentMember = (member: Member) => wire(member);
export const presentEvent = (event: RoomEvent) => wire(event);
/** `Video.RoomRecording`; `uri` is the temporary media link of a completed recording (`link` builds it). */
export function presentRecording(recording: Recording, link?: (recording: Recording) => string | null): Record<string, unknown> {
  const out = wire(recording);
  if (link) out.uri = link(recording);
  return out;
}

/** `Video.RoomResponse`; `active_session` only when asked for and live (the spec's model has no null). */
export function presentRoom(room: Room, activeSession?: Record<string, unknown>): Record<string, unknown> {
  const { created_at, updated_at, ...head } = room;
  const out = wire(head);
  if (activeSession) out.active_session = activeSession;
  out.created_at = rfc3339(created_at);
  out.updated_at = rfc3339(updated_at);
  return out;
}

/** `Video.Log`, or `Video.DiscardedLog` once its room or conference is deleted. */
export function presentLog(log: VideoLog, origin: Origin): Record<string, unknown> {
  if (log.discarded_at !== null) return { id: log.id, discarded_at: rfc3339(log.discarded_at), created_at: rfc3339(log.created_at) };
  return {
    id: log.id,
    source: 'realtime_api',
    type: log.type,
    url: `${origin}/api/video/room_sessions/${log.room_session_id}`,
    room_name: log.room_name,
    status: log.status,
    locked: false,
    started_at: log.started_at === null ? null : rfc3339(log.started_at),
    ended_at: log.ended_at === null ? null : rfc3339(log.ended_at),
    charge: 0,
    created_at: rfc3339(log.created_at),
    charge_details: [],
  };
}

/**
 * The file a completed recording downloads as: an ISO BMFF `ftyp` box, then a `free` box of 16 bytes
 * per recorded second (no media stands behind a recording; its size follows from its duration).
 */
export function recordingFile(duration: number): Buffer {
  const file = Buffer.alloc(recordingFileSize(duration));
  file.writeUInt32BE(20, 0);
  file.write('ftypisom', 4, 'latin1');
  file.writeUInt32BE(0x200, 12);
  file.write('isom', 16, 'latin1');
  file.writeUInt32BE(file.length - 20, 20);
  file.write('free', 24, 'latin1');
  return file;
}

export const recordingFileSize = (duration: number) => 28 + 16 * duration;

/** `Video.Stream` (§4.8): width and height follow the conference's quality. */
export function presentStream(stream: Stream, quality: string): Record<string, unknown> {
  const [width, height] = quality === '1080p' ? [1920, 1080] : [1280, 720];
  return { id: stream.id, url: stream.url, stream_type: stream.stream_type, width, height, fps: stream.fps, created_at: rfc3339(stream.created_at), updated_at: rfc3339(stream.updated_at) };
}
