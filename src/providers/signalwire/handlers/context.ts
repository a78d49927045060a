import type { FastifyRequest } from 'fastify';
import type { HandlerContext } from '../../../core/provider.js';
import { signMediaLink } from '../crypto.js';
import type { Scope } from '../domain/index.js';
import { MESSAGES, errors, type fieldError } from '../errors.js';
import { PAGE_PARAMS, integerParam, listPage } from '../pagination.js';
import { presentActiveSession, type Origin } from '../present.js';
import type { DocTable, SignalWireStore } from '../store.js';
import type { Principal, Recording } from '../types.js';
import { isUuid } from '../validate.js';

export type Ctx = HandlerContext<Principal>;

export const origin = (req: FastifyRequest): Origin => `${req.protocol}://${req.headers.host ?? ''}`;

export const scope = (store: SignalWireStore, ctx: HandlerContext, projectId: string): Scope => ({
  store,
  world: ctx.world.id,
  projectId,
  now: ctx.world.now(),
  ids: ctx.runtime.ids,
  events: ctx.world.events,
});

/** A record of the caller's project by its path id; not a UUID, unknown or another project's: 404 (reference §2.6). */
export function owned<T extends { id: string }>(table: DocTable<T>, ctx: Ctx): T {
  const id = String((ctx.params as { id: string }).id);
  const doc = isUuid(id) ? table.owned(ctx.world.id, ctx.principal.projectId, id.toLowerCase()) : undefined;
  if (!doc) throw errors.notFound();
  return doc;
}

export function unprocessable(entries: ReturnType<typeof fieldError>[]): void {
  if (entries.length > 0) throw errors.validation(entries);
}

export const pageOnly = <T extends { id: string }>(ctx: Ctx, items: () => T[], render: (item: T) => unknown) =>
  listPage(ctx.req, { params: PAGE_PARAMS, items, render });

/** `include_active_session`: exactly `true` or `false` (reference §3.1). */
export function includeActiveSessionError(q: Map<string, string>): Map<string, string> {
  const value = q.get('include_active_session');
  return new Map(value === undefined || value === 'true' || value === 'false' ? [] : [['include_active_session', MESSAGES.invalid]]);
}

/** The live session of a conference or room as `active_session`; none: the key is left out (the spec's model has no null). */
export function activeSession(store: SignalWireStore, ctx: Ctx, hostId: string): Record<string, unknown> | undefined {
  const live = store.liveSession(ctx.world.id, hostId);
  return live ? presentActiveSession(live, origin(ctx.req)) : undefined;
}

/** `media_ttl`: an integer ≥ 0 (default 900), the lifetime of the recordings' `uri` links. */
export function mediaTtlError(q: Map<string, string>): Map<string, string> {
  const ttl = q.get('media_ttl');
  const r = ttl === undefined ? undefined : integerParam(ttl, 0);
  return new Map(r && 'error' in r ? [['media_ttl', r.error]] : []);
}

export const signingKey = (store: SignalWireStore, ctx: HandlerContext) => store.signingKey(ctx.world.id, () => ctx.runtime.ids.hex(128));

/**
 * The temporary link of a completed recording's file, valid `ttl` seconds from now: served by the
 * emulator itself (media.ts), signed with the world's key. A recording still running has none.
 */
export function recordingLinks(store: SignalWireStore, ctx: HandlerContext, ttl: number): (recording: Recording) => string | null {
  let key: string | undefined;
  const expires = Math.floor(ctx.world.now() / 1000) + ttl;
  const base = `${origin(ctx.req)}/media/signalwire/${encodeURIComponent(ctx.world.id)}/room_recordings`;
  return (recording) => {
    if (recording.status !== 'completed') return null;
    key ??= signingKey(store, ctx);
    return `${base}/${recording.id}.mp4?expires=${expires}&signature=${signMediaLink(key, ctx.world.id, recording.id, expires)}`;
  };
}

/** The quality of the conference or room a stream belongs to (its width and height follow it). */
export function hostQuality(store: SignalWireStore, world: string, hostId: string): string {
  return store.conferences.get(world, hostId)?.doc.quality ?? store.rooms.get(world, hostId)?.doc.quality ?? '720p';
}
