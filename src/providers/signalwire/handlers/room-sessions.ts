import type { Handler } from '../../../core/provider.js';
import { MESSAGES } from '../errors.js';
import { PAGE_PARAMS, listPage } from '../pagination.js';
import { presentEvent, presentMember, presentRecording, presentSession } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Principal } from '../types.js';
import { isUuid } from '../validate.js';
import { mediaTtlError, origin, owned, pageOnly, type Ctx } from './context.js';

/** Tag "Room Sessions". `links(ctx)` renders the recordings' `uri` for the request's `media_ttl`. */
export function roomSessionHandlers(store: SignalWireStore, links: (ctx: Ctx) => Parameters<typeof presentRecording>[1]): Record<string, Handler<Principal>> {
  return {
    list_room_sessions: (ctx) =>
      listPage(ctx.req, {
        params: ['room_id', 'room_name', 'room_name_matches', 'status', ...PAGE_PARAMS],
        filterErrors: (q) => {
          const out = new Map<string, string>();
          const roomId = q.get('room_id');
          if (roomId !== undefined && !isUuid(roomId)) out.set('room_id', MESSAGES.invalid);
          const status = q.get('status');
          if (status !== undefined && status !== 'in-progress' && status !== 'completed') out.set('status', MESSAGES.inclusion);
          return out;
        },
        items: (q) => {
          const roomId = q.get('room_id')?.toLowerCase();
          const roomName = q.get('room_name');
          const matches = q.get('room_name_matches')?.toLowerCase();
          const status = q.get('status');
          return store.sessions
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((s) => roomId === undefined || s.room_id === roomId)
            .filter((s) => roomName === undefined || s.name === roomName)
            .filter((s) => matches === undefined || (s.name ?? '').toLowerCase().includes(matches))
            .filter((s) => status === undefined || s.status === status);
        },
        render: (s) => presentSession(s, origin(ctx.req)),
      }),

    get_room_session: (ctx) => presentSession(owned(store.sessions, ctx), origin(ctx.req), 'summary'),

    list_room_session_members: (ctx) => {
      const session = owned(store.sessions, ctx);
      return pageOnly(ctx, () => store.members.listBy(ctx.world.id, 'room_session_id', session.id), presentMember);
    },

    list_room_session_events: (ctx) => {
      const session = owned(store.sessions, ctx);
      return pageOnly(ctx, () => store.events.listBy(ctx.world.id, 'room_session_id', session.id), presentEvent);
    },

    list_room_session_recordings: (ctx) => {
      const session = owned(store.sessions, ctx);
      return listPage(ctx.req, {
        params: [...PAGE_PARAMS, 'media_ttl'],
        optionErrors: mediaTtlError,
        items: () => store.recordings.listBy(ctx.world.id, 'room_session_id', session.id),
        render: (r) => presentRecording(r, links(ctx)),
      });
    },

  };
}
