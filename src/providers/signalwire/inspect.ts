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
  };
}
