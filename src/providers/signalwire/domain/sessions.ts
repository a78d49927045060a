import { recordingFileSize } from '../present.js';
import type { Member, Recording, Room, RoomEvent, RoomSession, Conference, VideoLog } from '../types.js';
import { MAX_MEMBERS, durationSeconds, type Scope } from './rules.js';

// Every change to a room session, its members and its recordings is one function here, whichever REST call or
// control action causes it: the place realtime events hook into.

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

export function retireHost(s: Scope, hostId: string): void {
  const live = s.store.liveSession(s.world, hostId);
  if (live) endSession(s, live);
  for (const log of s.store.logs.listBy(s.world, 'room_id', hostId)) {
    if (log.discarded_at === null) s.store.logs.update(s.world, { ...log, discarded_at: Math.max(s.now, log.created_at) });
  }
}

/** Deletes a conference with its tokens and streams; its session history stays readable (reference §2.9). Run inside a transaction. */

export function deleteRecording(s: Scope, recording: Recording): void {
  if (recording.status === 'recording' || recording.status === 'paused') {
    const session = s.store.sessions.get(s.world, recording.room_session_id)?.doc;
    if (session) stopRecording(s, session, recording);
  }
  s.store.recordings.delete(s.world, recording.id);
}

/** A create-room-token body after validation (video-api/room-tokens/models/requests.tsp), defaults applied. */
