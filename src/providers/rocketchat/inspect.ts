import { inspectedWorld, pageOf, pageParams } from '../../core/inspect.js';
import type { Handler } from '../../core/provider.js';
import { serverOf } from './domain.js';
import type { RocketChatStore } from './store.js';
import { CallStatus, type CallDoc } from './types.js';

/** A call's `status` as a word (reference §6.3). */
const STATUS_WORDS: Record<number, string> = {
  [CallStatus.CALLING]: 'calling',
  [CallStatus.STARTED]: 'started',
  [CallStatus.EXPIRED]: 'expired',
  [CallStatus.ENDED]: 'ended',
  [CallStatus.DECLINED]: 'declined',
};
const STATUS_CODES = new Map(Object.entries(STATUS_WORDS).map(([code, word]) => [word, Number(code)]));

function callView(doc: CallDoc, calleeId: string | null): Record<string, unknown> {
  return {
    _id: doc._id,
    rid: doc.rid,
    type: doc.type,
    status: STATUS_WORDS[doc.status],
    statusCode: doc.status,
    ringing: doc.ringing === true,
    title: doc.title ?? null,
    providerName: doc.providerName,
    url: doc.url,
    createdAt: doc.createdAt,
    _updatedAt: doc._updatedAt,
    endedAt: doc.endedAt ?? null,
    createdBy: doc.createdBy,
    endedBy: doc.endedBy ?? null,
    calleeId,
    users: doc.users,
    anonymousUsers: doc.anonymousUsers ?? null,
  };
}

/**
 * The control plane's read-only views of a world's Rocket.Chat state (openapi/emulator.yaml, tag
 * "World state"). Due time transitions are applied first, as every API read applies them, so a
 * status is what `video-conference.info` would answer now.
 */
export function createInspectors(store: RocketChatStore): Record<string, Handler> {
  return {
    getRocketChatSettings: (ctx) => serverOf(store, inspectedWorld(ctx).id),

    listRocketChatRooms: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const t = (ctx.query as { t?: string }).t ?? null;
      store.settle(world.id, world.now());
      const rooms = store.roomPage(world.id, t, page.offset, page.limit).map(({ room, calls, liveCalls }) => ({
        _id: room._id,
        t: room.t,
        name: room.name,
        fname: room.fname,
        ro: room.ro,
        archived: room.archived,
        members: store.roomMembers(world.id, room._id),
        calls,
        liveCalls,
      }));
      return pageOf('rooms', rooms, page, store.roomCount(world.id, t));
    },

    listRocketChatCalls: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const query = ctx.query as { roomId?: string; status?: string };
      const rid = query.roomId ?? null;
      const status = query.status === undefined ? null : STATUS_CODES.get(query.status)!;
      store.settle(world.id, world.now());
      const calls = store.callPage(world.id, rid, status, page.offset, page.limit).map(({ doc, calleeId }) => callView(doc, calleeId));
      return pageOf('calls', calls, page, store.callCount(world.id, rid, status));
    },
  };
}
