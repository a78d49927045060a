import { ReadCache } from '../../../core/read-cache.js';
import { reusableJson, type Utf8Json } from '../../../core/reply.js';
import type { Handler } from '../../../core/provider.js';
import { CONFERENCE_UPDATE_DEFAULTS, buildConference, deleteConference, insertConference, newTokens, slugFor, tokenValue } from '../domain/index.js';
import { MESSAGES, errors, fieldError } from '../errors.js';
import { PAGE_PARAMS, listPage, readQuery } from '../pagination.js';
import { presentConference, presentToken } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Conference, Principal } from '../types.js';
import { isUuid, parseTimeFilter, validateConference } from '../validate.js';
import { activeSession, includeActiveSessionError, owned, pageOnly, scope, unprocessable } from './context.js';

/** Tags "Video Conferences" and "Conference Tokens". */
export function conferenceHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  const conferenceJson = new ReadCache<string | Utf8Json | undefined>(store.db);

  return {
    list_video_conferences: (ctx) => {
      const include = readQuery(ctx.req, ['include_active_session']).get('include_active_session') === 'true';
      return listPage(ctx.req, {
        params: ['starts_after', 'ends_before', 'include_active_session', ...PAGE_PARAMS],
        filterErrors: (q) => {
          const out = new Map<string, string>();
          for (const key of ['starts_after', 'ends_before']) {
            const value = q.get(key);
            if (value !== undefined && parseTimeFilter(value) === undefined) out.set(key, MESSAGES.invalid);
          }
          return out;
        },
        optionErrors: includeActiveSessionError,
        items: (q) => {
          const startsAfter = q.has('starts_after') ? parseTimeFilter(q.get('starts_after')!)! : undefined;
          const endsBefore = q.has('ends_before') ? parseTimeFilter(q.get('ends_before')!)! : undefined;
          return store.conferences
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((c) => startsAfter === undefined || (c.join_from !== null && c.join_from >= startsAfter))
            .filter((c) => endsBefore === undefined || (c.join_until !== null && c.join_until <= endsBefore));
        },
        render: (c) => presentConference(c, include ? activeSession(store, ctx, c.id) : undefined),
      });
    },

    create_video_conference: (ctx) => {
      const { projectId } = ctx.principal;
      const world = ctx.world.id;
      const taken = (name: string) => store.nameTaken(world, projectId, name);
      const { errors: problems, values } = validateConference(ctx.body, 'create', taken);
      unprocessable(problems);
      const s = scope(store, ctx, projectId);
      const conference = store.db.transaction(() => {
        const created = buildConference(ctx.runtime.ids.uuid(), values.name ?? slugFor(values.display_name!, taken), values, store.stamp(world, s.now));
        insertConference(s, created, newTokens(ctx.runtime.ids));
        return created;
      })();
      return presentConference(conference);
    },

    get_video_conference: (ctx) => {
      const id = String((ctx.params as { id: string }).id).toLowerCase();
      // The conference alone renders the same until something is written: kept as JSON text.
      const json = conferenceJson.get(`${ctx.world.id}\n${ctx.principal.projectId}\n${id}`, () => {
        const conference = isUuid(id) ? store.conferences.owned(ctx.world.id, ctx.principal.projectId, id) : undefined;
        return conference && reusableJson(JSON.stringify(presentConference(conference)));
      });
      if (json === undefined) throw errors.notFound();
      const q = readQuery(ctx.req, ['include_active_session']);
      const problem = includeActiveSessionError(q).get('include_active_session');
      if (problem) throw errors.validation([fieldError('include_active_session', problem)]);
      if (q.get('include_active_session') !== 'true') return json;
      const conference = owned(store.conferences, ctx);
      return presentConference(conference, activeSession(store, ctx, conference.id));
    },

    update_video_conference: (ctx) => {
      const conference = owned(store.conferences, ctx);
      const { errors: problems, values } = validateConference(ctx.body, 'update', () => false);
      unprocessable(problems);
      // The update body's defaults apply to the fields it leaves out (video-api/conferences/models/requests.tsp).
      const updated: Conference = { ...conference, ...CONFERENCE_UPDATE_DEFAULTS, ...values, updated_at: Math.max(ctx.world.now(), conference.created_at) };
      store.conferences.update(ctx.world.id, updated);
      return presentConference(updated);
    },

    delete_video_conference: (ctx) => {
      const conference = owned(store.conferences, ctx);
      store.db.transaction(() => deleteConference(scope(store, ctx, ctx.principal.projectId), conference))();
      ctx.reply.code(204);
      return undefined;
    },

    list_conference_tokens: (ctx) => {
      const conference = owned(store.conferences, ctx);
      return pageOnly(ctx, () => store.tokens.listBy(ctx.world.id, 'conference_id', conference.id), presentToken);
    },

    get_conference_token: (ctx) => presentToken(owned(store.tokens, ctx)),

    reset_conference_token: (ctx) => {
      const token = { ...owned(store.tokens, ctx), token: tokenValue(ctx.runtime.ids) };
      store.tokens.update(ctx.world.id, token);
      return presentToken(token);
    },

  };
}
