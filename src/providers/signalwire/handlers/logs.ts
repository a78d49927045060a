import type { Handler } from '../../../core/provider.js';
import { ReadCache } from '../../../core/read-cache.js';
import { reusableJson, type Utf8Json } from '../../../core/reply.js';
import { MESSAGES, errors } from '../errors.js';
import { PAGE_PARAMS, listPage } from '../pagination.js';
import { presentLog } from '../present.js';
import type { SignalWireStore } from '../store.js';
import type { Principal } from '../types.js';
import { isUuid, parseDateTime } from '../validate.js';
import { origin } from './context.js';

const DAY_MS = 86_400_000;
const DATE_FILTERS = ['created_before', 'created_on', 'created_after'];

/** Tag "Video Logs": one log per room session; a deleted room's or conference's logs are discarded. */
export function logHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  // A log renders the same for a Host until something is written: kept as JSON text.
  const logJson = new ReadCache<string | Utf8Json | undefined>(store.db);
  return {
    list_logs: (ctx) =>
      listPage(ctx.req, {
        params: ['include_deleted', ...DATE_FILTERS, ...PAGE_PARAMS],
        filterErrors: (q) => {
          const out = new Map<string, string>();
          const deleted = q.get('include_deleted');
          if (deleted !== undefined && deleted !== 'true' && deleted !== 'false') out.set('include_deleted', MESSAGES.invalid);
          for (const key of DATE_FILTERS) {
            const value = q.get(key);
            if (value !== undefined && parseDateTime(value) === undefined) out.set(key, MESSAGES.invalid);
          }
          return out;
        },
        items: (q) => {
          const includeDeleted = q.get('include_deleted') === 'true';
          const before = q.has('created_before') ? parseDateTime(q.get('created_before')!)! : undefined;
          const after = q.has('created_after') ? parseDateTime(q.get('created_after')!)! : undefined;
          // `created_on`: the UTC day of the value.
          const on = q.has('created_on') ? Math.floor(parseDateTime(q.get('created_on')!)! / DAY_MS) : undefined;
          return store.logs
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((l) => includeDeleted || l.discarded_at === null)
            .filter((l) => before === undefined || l.created_at < before)
            .filter((l) => after === undefined || l.created_at > after)
            .filter((l) => on === undefined || Math.floor(l.created_at / DAY_MS) === on);
        },
        render: (l) => presentLog(l, origin(ctx.req)),
      }),

    get_log: (ctx) => {
      const id = String((ctx.params as { id: string }).id).toLowerCase();
      const base = origin(ctx.req);
      const json = logJson.get(`${ctx.world.id}\n${ctx.principal.projectId}\n${id}\n${base}`, () => {
        const log = isUuid(id) ? store.logs.owned(ctx.world.id, ctx.principal.projectId, id) : undefined;
        return log && reusableJson(JSON.stringify(presentLog(log, base)));
      });
      if (json === undefined) throw errors.notFound();
      return json;
    },
  };
}
