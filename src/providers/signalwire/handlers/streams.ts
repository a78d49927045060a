import type { Handler } from '../../../core/provider.js';
import { createStream } from '../domain/index.js';
import { presentStream } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Principal } from '../types.js';
import { validateStreamUrl } from '../validate.js';
import { hostQuality, owned, pageOnly, scope, unprocessable } from './context.js';

/** Tag "Streams": a conference's and a room's outbound streams. */
export function streamHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  return {
    list_conference_streams: (ctx) => {
      const conference = owned(store.conferences, ctx);
      return pageOnly(ctx, () => store.streams.listBy(ctx.world.id, 'conference_id', conference.id), (s) => presentStream(s, conference.quality));
    },

    create_conference_stream: (ctx) => {
      const conference = owned(store.conferences, ctx);
      const { errors: problems, url } = validateStreamUrl(ctx.body);
      unprocessable(problems);
      return presentStream(createStream(scope(store, ctx, ctx.principal.projectId), conference.id, url!), conference.quality);
    },

    list_room_streams: (ctx) => {
      const room = owned(store.rooms, ctx);
      return pageOnly(ctx, () => store.streams.listBy(ctx.world.id, 'conference_id', room.id), (s) => presentStream(s, room.quality));
    },

    // The one create the spec documents as 201 (video-api/streams/models/responses.tsp `StreamCreatedResponse`).
    create_room_stream: (ctx) => {
      const room = owned(store.rooms, ctx);
      const { errors: problems, url } = validateStreamUrl(ctx.body);
      unprocessable(problems);
      const stream = createStream(scope(store, ctx, ctx.principal.projectId), room.id, url!);
      ctx.reply.code(201);
      return presentStream(stream, room.quality);
    },

    get_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      return presentStream(stream, hostQuality(store, ctx.world.id, stream.conference_id));
    },

    update_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      const { errors: problems, url } = validateStreamUrl(ctx.body);
      unprocessable(problems);
      const updated = { ...stream, url: url!, updated_at: Math.max(ctx.world.now(), stream.created_at) };
      store.streams.update(ctx.world.id, updated);
      return presentStream(updated, hostQuality(store, ctx.world.id, stream.conference_id));
    },

    delete_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      store.streams.delete(ctx.world.id, stream.id);
      ctx.reply.code(204);
      return undefined;
    },
  };
}
