import { inspectedWorld, mask, pageOf, pageParams } from '../../core/inspect.js';
import type { Handler } from '../../core/provider.js';
import { rfc3339 } from './present.js';
import type { SignalWireStore } from './store.js';

const time = (ms: number | null) => (ms === null ? null : rfc3339(ms));

/**
 * The control plane's read-only views of a world's SignalWire state, every project of the world
 * together (openapi/emulator.yaml, tag "World state"). Conference token values are masked.
 */
export function createInspectors(store: SignalWireStore): Record<string, Handler> {
  return {
    listSignalWireConferences: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { projectId } = ctx.query as { projectId?: string };
      const { rows, total } = store.conferences.page(world.id, projectId === undefined ? {} : { project_id: projectId }, page.offset, page.limit);
      const conferences = rows.map(({ projectId: project, doc }) => ({
        id: doc.id,
        project_id: project,
        name: doc.name,
        display_name: doc.display_name,
        created_at: rfc3339(doc.created_at),
        updated_at: rfc3339(doc.updated_at),
        conference_tokens: store.tokens.listBy(world.id, 'conference_id', doc.id).map((t) => ({ id: t.id, name: t.name, token: mask(t.token), scopes: t.scopes })),
        active_session_id: store.liveSession(world.id, doc.id)?.id ?? null,
      }));
      return pageOf('conferences', conferences, page, total);
    },

    listSignalWireRoomSessions: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { conferenceId, status } = ctx.query as { conferenceId?: string; status?: string };
      const where: Record<string, string> = {};
      if (conferenceId !== undefined) where.room_id = conferenceId.toLowerCase();
      if (status !== undefined) where.status = status;
      const { rows, total } = store.sessions.page(world.id, where, page.offset, page.limit);
      const sessions = rows.map(({ projectId, doc }) => ({
        id: doc.id,
        project_id: projectId,
        room_id: doc.room_id,
        name: doc.name,
        display_name: doc.display_name,
        status: doc.status,
        start_time: time(doc.start_time),
        end_time: time(doc.end_time),
        duration: doc.duration,
        created_at: rfc3339(doc.created_at),
        updated_at: rfc3339(doc.updated_at),
        members: store.members.listBy(world.id, 'room_session_id', doc.id).map((m) => ({
          id: m.id,
          name: m.name,
          join_time: time(m.join_time),
          leave_time: time(m.leave_time),
          duration: m.duration,
        })),
        recordings: store.recordings.listBy(world.id, 'room_session_id', doc.id).map((r) => ({
          id: r.id,
          status: r.status,
          started_at: time(r.started_at),
          finished_at: time(r.finished_at),
          duration: r.duration,
        })),
      }));
      return pageOf('room_sessions', sessions, page, total);
    },

    listSignalWireRooms: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { projectId } = ctx.query as { projectId?: string };
      const { rows, total } = store.rooms.page(world.id, projectId === undefined ? {} : { project_id: projectId }, page.offset, page.limit);
      const rooms = rows.map(({ projectId: project, doc }) => ({
        id: doc.id,
        project_id: project,
        name: doc.name,
        display_name: doc.display_name,
        max_members: doc.max_members,
        quality: doc.quality,
        layout: doc.layout,
        record_on_start: doc.record_on_start,
        created_at: rfc3339(doc.created_at),
        updated_at: rfc3339(doc.updated_at),
        streams: store.streams.listBy(world.id, 'conference_id', doc.id).length,
        active_session_id: store.liveSession(world.id, doc.id)?.id ?? null,
      }));
      return pageOf('rooms', rooms, page, total);
    },

    listSignalWireRoomTokens: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { roomName } = ctx.query as { roomName?: string };
      const { rows, total } = store.roomTokens.page(world.id, roomName === undefined ? {} : { room_name: roomName }, page.offset, page.limit);
      const tokens = rows.map(({ projectId, doc }) => ({
        id: doc.id,
        project_id: projectId,
        room_name: doc.room_name,
        user_name: doc.user_name,
        permissions: doc.permissions,
        join_as: doc.join_as,
        join_from: time(doc.join_from),
        join_until: time(doc.join_until),
        created_at: rfc3339(doc.created_at),
      }));
      return pageOf('room_tokens', tokens, page, total);
    },

    listSignalWireLogs: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { rows, total } = store.logs.page(world.id, {}, page.offset, page.limit);
      const logs = rows.map(({ projectId, doc }) => ({
        id: doc.id,
        project_id: projectId,
        room_session_id: doc.room_session_id,
        type: doc.type,
        room_name: doc.room_name,
        status: doc.status,
        started_at: time(doc.started_at),
        ended_at: time(doc.ended_at),
        created_at: rfc3339(doc.created_at),
        discarded_at: time(doc.discarded_at),
      }));
      return pageOf('logs', logs, page, total);
    },
  };
}
