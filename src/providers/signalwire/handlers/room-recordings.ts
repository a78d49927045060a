import type { Handler } from '../../../core/provider.js';
import { ReadCache } from '../../../core/read-cache.js';
import { deleteRecording } from '../domain/index.js';
import { errors, fieldError } from '../errors.js';
import { PAGE_PARAMS, listPage, readQuery } from '../pagination.js';
import { presentEvent, presentRecording } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Principal, Recording } from '../types.js';
import { isUuid } from '../validate.js';
import { mediaTtlError, owned, pageOnly, scope, type Ctx } from './context.js';

const URI_MARK = JSON.stringify('\u0000uri\u0000');

/** Tag "Room Recordings": every recording of the project, its file behind a temporary `uri`. */
export function roomRecordingHandlers(store: SignalWireStore, links: (ctx: Ctx) => Parameters<typeof presentRecording>[1]): Record<string, Handler<Principal>> {
  // A recording renders the same until something is written, but for its `uri` (clock and media_ttl): kept as
  // the JSON text on either side of it.
  const recordingJson = new ReadCache<{ recording: Recording; head: string; tail: string } | undefined>(store.db);
  return {
    list_room_recordings: (ctx) =>
      listPage(ctx.req, {
        params: ['media_ttl', ...PAGE_PARAMS],
        optionErrors: mediaTtlError,
        items: () => store.recordings.listBy(ctx.world.id, 'project_id', ctx.principal.projectId),
        render: (r) => presentRecording(r, links(ctx)),
      }),

    get_room_recording: (ctx) => {
      const id = String((ctx.params as { id: string }).id).toLowerCase();
      const found = recordingJson.get(`${ctx.world.id}\n${ctx.principal.projectId}\n${id}`, () => {
        const recording = isUuid(id) ? store.recordings.owned(ctx.world.id, ctx.principal.projectId, id) : undefined;
        if (!recording) return undefined;
        const [head, tail] = JSON.stringify(presentRecording(recording, () => '\u0000uri\u0000')).split(URI_MARK);
        return { recording, head, tail };
      });
      if (!found) throw errors.notFound();
      const problem = mediaTtlError(readQuery(ctx.req, ['media_ttl'])).get('media_ttl');
      if (problem) throw errors.validation([fieldError('media_ttl', problem)]);
      return `${found.head}${JSON.stringify(links(ctx)!(found.recording))}${found.tail}`;
    },

    delete_room_recording: (ctx) => {
      const recording = owned(store.recordings, ctx);
      store.db.transaction(() => deleteRecording(scope(store, ctx, ctx.principal.projectId), recording))();
      ctx.reply.code(204);
      return undefined;
    },

    // The session's events that name the recording (`room_recording_id`).
    list_room_recording_events: (ctx) => {
      const recording = owned(store.recordings, ctx);
      return pageOnly(
        ctx,
        () => store.events.listBy(ctx.world.id, 'room_session_id', recording.room_session_id).filter((e) => e.room_recording_id === recording.id),
        presentEvent,
      );
    },
  };
}
