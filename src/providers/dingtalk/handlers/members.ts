import type { Handler } from '../../../core/provider.js';
import { paging } from '../pagination.js';
import { memberModel } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import type { Principal } from '../types.js';
import { conferenceIdParam } from '../validate.js';
import { visibleConference } from './context.js';

/** Members and in-meeting control (reference §3.4). */
export function memberHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  return {
    queryConferenceMembers: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { offset, limit } = paging(ctx);
      visibleConference(store, ctx, conferenceId);
      const all = store.conferences.members(ctx.world.id, conferenceId);
      const now = ctx.world.now();
      const page = all.slice(offset, offset + limit);
      const next = offset + page.length;
      const out: Record<string, unknown> = { memberModels: page.map((m) => memberModel(m, now)) };
      if (page.length > 0 && next < all.length) out.nextToken = String(next);
      out.totalCount = all.length;
      return out;
    },

  };
}
