import type { Handler } from '../../../core/provider.js';
import { ReadCache } from '../../../core/read-cache.js';
import { reusableJson, type Utf8Json } from '../../../core/reply.js';
import { createRoom, deleteRoom, updateRoom } from '../domain/index.js';
import { MESSAGES, errors, fieldError } from '../errors.js';
import { PAGE_PARAMS, listPage, readQuery } from '../pagination.js';
import { presentRoom } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Principal, Room } from '../types.js';
import { isUuid, parseDateTime, validateRoom } from '../validate.js';
import { activeSession, includeActiveSessionError, owned, scope, unprocessable, type Ctx } from './context.js';

/** Tag "Rooms" (video-api/rooms): rooms without a prebuilt UI, apart from conferences (README, SignalWire). */
export function roomHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  // A room alone renders the same until something is written: kept as JSON text, by id and by name.
  const roomJson = new ReadCache<{ room: Room; json: string | Utf8Json } | undefined>(store.db);
  const cached = (ctx: Ctx, key: string, find: () => Room | undefined) =>
    roomJson.get(`${ctx.world.id}\n${ctx.principal.projectId}\n${key}`, () => {
      const room = find();
      return room && { room, json: reusableJson(JSON.stringify(presentRoom(room))) };
    });

  /** 404, then `include_active_session` checked (reference §2.6 order), then the room, with its live session when asked. */
  const withSession = (ctx: Ctx, found: { room: Room; json: string | Utf8Json } | undefined) => {
    if (!found) throw errors.notFound();
    const q = readQuery(ctx.req, ['include_active_session']);
    const problem = includeActiveSessionError(q).get('include_active_session');
    if (problem) throw errors.validation([fieldError('include_active_session', problem)]);
    if (q.get('include_active_session') !== 'true') return found.json;
    return presentRoom(found.room, activeSession(store, ctx, found.room.id));
  };

  const byName = (ctx: Ctx, name: string) => cached(ctx, `name\n${name}`, () => store.roomByName(ctx.world.id, ctx.principal.projectId, name));

  return {
    list_rooms: (ctx) => {
      const include = readQuery(ctx.req, ['include_active_session']).get('include_active_session') === 'true';
      return listPage(ctx.req, {
        params: ['include_active_session', 'starts_after', 'ends_before', ...PAGE_PARAMS],
        // "RFC 3339 datetime or date string" (video-api/rooms/main.tsp `list`).
        filterErrors: (q) => {
          const out = new Map<string, string>();
          for (const key of ['starts_after', 'ends_before']) {
            const value = q.get(key);
            if (value !== undefined && parseDateTime(value) === undefined) out.set(key, MESSAGES.invalid);
          }
          return out;
        },
        optionErrors: includeActiveSessionError,
        items: (q) => {
          const startsAfter = q.has('starts_after') ? parseDateTime(q.get('starts_after')!)! : undefined;
          const endsBefore = q.has('ends_before') ? parseDateTime(q.get('ends_before')!)! : undefined;
          return store.rooms
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((r) => startsAfter === undefined || (r.join_from !== null && r.join_from >= startsAfter))
            .filter((r) => endsBefore === undefined || (r.join_until !== null && r.join_until <= endsBefore));
        },
        render: (r) => presentRoom(r, include ? activeSession(store, ctx, r.id) : undefined),
      });
    },

    create_room: (ctx) => {
      const { projectId } = ctx.principal;
      const { errors: problems, values } = validateRoom(ctx.body, 'create', (name) => store.nameTaken(ctx.world.id, projectId, name));
      unprocessable(problems);
      const room = store.db.transaction(() => createRoom(scope(store, ctx, projectId), values.name!, values))();
      return presentRoom(room);
    },

    // `/rooms/{id}` and `/rooms/{name}` are one route: a UUID is looked up as an id, then as a name.
    get_room: (ctx) => {
      const id = String((ctx.params as { id: string }).id);
      const room = isUuid(id) ? cached(ctx, `id\n${id.toLowerCase()}`, () => store.rooms.owned(ctx.world.id, ctx.principal.projectId, id.toLowerCase())) : undefined;
      return withSession(ctx, room ?? byName(ctx, id));
    },

    get_room_by_name: (ctx) => withSession(ctx, byName(ctx, String((ctx.params as { name: string }).name))),

    update_room: (ctx) => {
      const room = owned(store.rooms, ctx);
      const { errors: problems, values } = validateRoom(ctx.body, 'update', () => false);
      unprocessable(problems);
      return presentRoom(updateRoom(scope(store, ctx, ctx.principal.projectId), room, values));
    },

    delete_room: (ctx) => {
      const room = owned(store.rooms, ctx);
      store.db.transaction(() => deleteRoom(scope(store, ctx, ctx.principal.projectId), room))();
      ctx.reply.code(204);
      return undefined;
    },
  };
}
