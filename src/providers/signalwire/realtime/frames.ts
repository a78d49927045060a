import type { World } from '../../../core/worlds.js';
import { durationSeconds } from '../domain/index.js';
import { liveOf, memberLive, sessionLive } from '../live.js';
import type { SignalWireStore } from '../store.js';
import type { Member, Recording, RoomSession } from '../types.js';

/**
 * The Relay payloads of SignalWire's video events, in the shapes `@signalwire/core` types them
 * (`types/videoRoomSession.ts`, `videoMember.ts`, `videoRecording.ts`); timestamps in epoch seconds.
 */

/** The event channel a room session's own events go to; `signalwire.subscribe` names it (`RoomSession.eventChannel`). */
export const sessionChannel = (sessionId: string) => `room.${sessionId}`;
/** The project-wide channel `client.video.listen` subscribes to. */
export const ROOMS_CHANNEL = 'video.rooms';

export const seconds = (ms: number) => ms / 1000;

/** The event types a client may subscribe to: what `eventParams` pushes, and the initial state. */
export const SUBSCRIBABLE_EVENTS = new Set([
  'video.room.started', 'video.room.updated', 'video.room.ended', 'video.room.subscribed',
  'video.member.joined', 'video.member.updated', 'video.member.left', 'video.member.talking',
  'video.recording.started', 'video.recording.updated', 'video.recording.ended',
]);

const isLive = (recording: Recording) => recording.status === 'recording' || recording.status === 'paused';

/** Reads what a frame needs from the world's rows and memory. */
export class VideoState {
  readonly #store: SignalWireStore;
  readonly #world: World;

  constructor(store: SignalWireStore, world: World) {
    this.#store = store;
    this.#world = world;
  }

  members(session: RoomSession): Member[] {
    return this.#store.members.listBy(this.#world.id, 'room_session_id', session.id).filter((m) => m.leave_time === null);
  }

  recordings(session: RoomSession): Recording[] {
    return this.#store.recordings.listBy(this.#world.id, 'room_session_id', session.id);
  }

  /** `InternalVideoMemberEntity` (`member` of the member events, `members` of the room's). */
  member(session: RoomSession, member: Member): Record<string, unknown> {
    const live = memberLive(liveOf(this.#world), member, session);
    return {
      id: member.id,
      room_id: session.room_id,
      room_session_id: session.id,
      name: member.name,
      type: live.type,
      parent_id: live.parent_id,
      requested_position: live.requested_position,
      visible: live.visible,
      audio_muted: live.audio_muted,
      video_muted: live.video_muted,
      deaf: live.deaf,
      input_volume: live.input_volume,
      output_volume: live.output_volume,
      input_sensitivity: live.input_sensitivity,
      meta: live.meta,
      handraised: live.handraised,
      talking: live.talking,
    };
  }

  /** `InternalVideoRecordingEntity`. */
  recording(recording: Recording): Record<string, unknown> {
    // A recording starts when it is created (`started_at` = `created_at`, reference §2.9).
    const started = recording.created_at;
    return {
      id: recording.id,
      state: isLive(recording) ? recording.status : 'completed',
      duration: recording.duration ?? durationSeconds(started, this.#world.now()),
      started_at: seconds(started),
      ended_at: recording.finished_at === null ? null : seconds(recording.finished_at),
    };
  }

  /** `InternalVideoRoomSessionEntity`; with `withMembers`, its members and recordings too (initial state, `video.room.get`). */
  roomSession(session: RoomSession, withMembers = false, updated?: string[]): Record<string, unknown> {
    const live = sessionLive(liveOf(this.#world), session);
    const recordings = this.recordings(session);
    return {
      id: session.id,
      room_id: session.room_id,
      event_channel: sessionChannel(session.id),
      name: session.name,
      display_name: session.display_name,
      recording: recordings.some(isLive),
      hide_video_muted: live.hide_video_muted,
      layout_name: session.layout,
      locked: session.locked,
      meta: live.meta,
      streaming: false,
      prioritize_handraise: session.prioritize_handraise === true,
      ...(withMembers
        ? { members: this.members(session).map((m) => this.member(session, m)), recordings: recordings.filter(isLive).map((r) => this.recording(r)) }
        : {}),
      ...(updated ? { updated } : {}),
    };
  }

  /** `InternalVideoRoomEntity`: the older `room` key the events still carry (with `members` in `video.room.subscribed`). */
  room(session: RoomSession, entity: Record<string, unknown>): Record<string, unknown> {
    const { id: _id, display_name: _d, layout_name: _l, locked: _k, meta: _m, streaming: _s, updated: _u, recordings: _r, ...rest } = entity;
    return { ...rest, room_session_id: session.id };
  }

  /** The `params` of a room event (`video.room.started`/`updated`/`ended`/`subscribed`). */
  roomParams(session: RoomSession, withMembers = false, updated?: string[]): Record<string, unknown> {
    const roomSession = this.roomSession(session, withMembers, updated);
    return { room_id: session.room_id, room_session_id: session.id, room: this.room(session, roomSession), room_session: roomSession };
  }
}

/** What the stored event `type` (with its data from `recordEvent`) pushes as `video.<type>`: `params` of `signalwire.event`, or nothing (an event SignalWire does not push, one without the member or recording it names). */
export function eventParams(state: VideoState, type: string, data: Record<string, unknown>): Record<string, unknown> | undefined {
  const session = data.session as RoomSession;
  const member = data.member as Member | undefined;
  const recording = data.recording as Recording | undefined;
  const ids = { room_id: session.room_id, room_session_id: session.id };
  switch (type) {
    case 'room.started':
    case 'room.ended':
      return state.roomParams(session);
    case 'room.updated':
      return state.roomParams(session, false, (data.updated as string[] | undefined) ?? []);
    case 'member.joined':
    case 'member.left':
      return member && { ...ids, member: state.member(session, member) };
    case 'member.updated': {
      if (!member) return undefined;
      const full = state.member(session, member);
      const updated = data.updated as string[];
      const changed = Object.fromEntries(updated.map((key) => [key, full[key]]));
      return { ...ids, member: { id: member.id, room_id: session.room_id, room_session_id: session.id, updated, ...changed } };
    }
    case 'member.talking':
      return member && { ...ids, member: { id: member.id, room_id: session.room_id, room_session_id: session.id, talking: state.member(session, member).talking } };
    case 'recording.started':
    case 'recording.updated':
    case 'recording.ended':
      return recording && { ...ids, recording: state.recording(recording) };
    default:
      return undefined;
  }
}
