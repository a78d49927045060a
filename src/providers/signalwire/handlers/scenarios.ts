import type { Handler, HandlerContext } from '../../../core/provider.js';
import { Problem } from '../../../core/problem.js';
import { endSession, joinMember, leaveMember, recordEvent, startRecording, startSession, stopRecording, type Scope } from '../domain/index.js';
import { presentEvent, presentMember, presentRecording, presentSession } from '../present.js';
import type { DocTable, SignalWireStore } from '../store.js';
import type { RoomSession } from '../types.js';
import { liveOf, setTalking, updateMember, updateRoom, type MemberChanges, type RoomChanges } from '../live.js';
import { VideoState } from '../realtime/frames.js';
import { origin, scope } from './context.js';

/** Scenario actions of the control plane (openapi/emulator.yaml, tag "SignalWire scenarios"): what WebRTC clients would do. */
export function createScenarios(store: SignalWireStore): Record<string, Handler> {
  function find<T extends { id: string }>(table: DocTable<T>, ctx: HandlerContext, id: string, what: string): { projectId: string; doc: T } {
    const row = table.get(ctx.world.id, String(id).toLowerCase());
    if (!row) throw new Problem(404, `No ${what} ${id} in world ${ctx.world.id}`);
    return row;
  }

  function liveSession(ctx: HandlerContext): { s: Scope; session: RoomSession } {
    const { id } = ctx.params as { id: string };
    const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
    if (session.status !== 'in-progress') throw new Problem(409, `Room session ${session.id} has ended`);
    return { s: scope(store, ctx, projectId), session };
  }

  const created = <T>(ctx: HandlerContext, body: T): T => {
    ctx.reply.code(201);
    return body;
  };

  return {
    startSignalWireRoomSession: (ctx) => {
      const { conferenceId } = ctx.params as { conferenceId: string };
      const { projectId, doc: conference } = find(store.conferences, ctx, conferenceId, 'conference');
      const live = store.liveSession(ctx.world.id, conference.id);
      if (live) throw new Problem(409, `Conference ${conference.id} already has a live room session (${live.id})`);
      const session = store.db.transaction(() => startSession(scope(store, ctx, projectId), { kind: 'conference', conference }))();
      return created(ctx, presentSession(session, origin(ctx.req)));
    },

    startSignalWireRoomSessionInRoom: (ctx) => {
      const { roomId } = ctx.params as { roomId: string };
      const { projectId, doc: room } = find(store.rooms, ctx, roomId, 'room');
      const live = store.liveSession(ctx.world.id, room.id);
      if (live) throw new Problem(409, `Room ${room.id} already has a live room session (${live.id})`);
      const session = store.db.transaction(() => startSession(scope(store, ctx, projectId), { kind: 'room', room }))();
      return created(ctx, presentSession(session, origin(ctx.req)));
    },

    endSignalWireRoomSession: (ctx) => {
      const { s, session } = liveSession(ctx);
      return presentSession(store.db.transaction(() => endSession(s, session))(), origin(ctx.req));
    },

    addSignalWireRoomSessionMember: (ctx) => {
      const { s, session } = liveSession(ctx);
      const { name } = ctx.body as { name: string };
      return created(ctx, presentMember(store.db.transaction(() => joinMember(s, session, name))()));
    },

    leaveSignalWireRoomSessionMember: (ctx) => {
      const { id, memberId } = ctx.params as { id: string; memberId: string };
      const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
      const member = store.members.get(ctx.world.id, String(memberId).toLowerCase())?.doc;
      if (!member || member.room_session_id !== session.id) throw new Problem(404, `No member ${memberId} in room session ${session.id}`);
      if (member.leave_time !== null) throw new Problem(409, `Member ${member.id} has already left`);
      return presentMember(store.db.transaction(() => leaveMember(scope(store, ctx, projectId), session, member))());
    },

    updateSignalWireRoomSessionMember: (ctx) => {
      const { id, memberId } = ctx.params as { id: string; memberId: string };
      const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
      const member = store.members.get(ctx.world.id, String(memberId).toLowerCase())?.doc;
      if (!member || member.room_session_id !== session.id) throw new Problem(404, `No member ${memberId} in room session ${session.id}`);
      if (session.status !== 'in-progress') throw new Problem(409, `Room session ${session.id} has ended`);
      if (member.leave_time !== null) throw new Problem(409, `Member ${member.id} has left`);
      const { talking, ...changes } = ctx.body as MemberChanges & { talking?: boolean };
      const s = scope(store, ctx, projectId);
      const live = liveOf(ctx.world);
      store.db.transaction(() => {
        updateMember(s, live, session, member, changes);
        if (talking !== undefined) setTalking(s, live, session, member, talking);
      })();
      return new VideoState(store, ctx.world).member(session, member);
    },

    updateSignalWireRoomSession: (ctx) => {
      const { s, session } = liveSession(ctx);
      store.db.transaction(() => updateRoom(s, liveOf(ctx.world), session, ctx.body as RoomChanges))();
      return presentSession(session, origin(ctx.req));
    },

    addSignalWireRoomSessionEvent: (ctx) => {
      const { s, session } = liveSession(ctx);
      const { name, payload } = ctx.body as { name: string; payload?: Record<string, unknown> };
      return created(ctx, presentEvent(store.db.transaction(() => recordEvent(s, session, name, {}, payload ?? {}))()));
    },

    startSignalWireRecording: (ctx) => {
      const { s, session } = liveSession(ctx);
      return created(ctx, presentRecording(store.db.transaction(() => startRecording(s, session))()));
    },

    stopSignalWireRecording: (ctx) => {
      const { id } = ctx.params as { id: string };
      const { projectId, doc: recording } = find(store.recordings, ctx, id, 'recording');
      if (recording.status !== 'recording' && recording.status !== 'paused') throw new Problem(409, `Recording ${recording.id} is ${recording.status}`);
      const session = store.sessions.get(ctx.world.id, recording.room_session_id)!.doc;
      return presentRecording(store.db.transaction(() => stopRecording(scope(store, ctx, projectId), session, recording))());
    },
  };
}
