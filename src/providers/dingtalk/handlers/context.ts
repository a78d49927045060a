import type { HandlerContext } from '../../../core/provider.js';
import { errors } from '../errors.js';
import type { DingTalkStore } from '../store/index.js';
import { ConferenceStatus, type Conference, type Principal } from '../types.js';

export type Ctx = HandlerContext<Principal>;

/** The token's app (every conference route is authenticated). */
export function app(ctx: Ctx): { appKey: string; org: string } {
  if (ctx.principal.kind !== 'app') throw errors.missingToken();
  return ctx.principal;
}

/** The conference as the caller's org may see it: unknown → roomNotFound, other org → noPermission. */
export function visibleConference(store: DingTalkStore, ctx: Ctx, conferenceId: string): Conference {
  const c = store.conferences.conference(ctx.world.id, conferenceId);
  if (!c) throw errors.roomNotFound();
  if (c.org !== app(ctx).org) throw errors.noPermission();
  return c;
}

/** A started conference of the caller's org, for in-meeting control: ended → confClosed. */
export function startedConference(store: DingTalkStore, ctx: Ctx, conferenceId: string): Conference {
  const c = visibleConference(store, ctx, conferenceId);
  if (c.status !== ConferenceStatus.STARTED) throw errors.confClosed();
  return c;
}
