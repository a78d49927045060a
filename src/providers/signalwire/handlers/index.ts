import type { Handler } from '../../../core/provider.js';
import { integerParam, readQuery } from '../pagination.js';
import type { SignalWireStore } from '../store.js';
import type { Principal } from '../types.js';
import { conferenceHandlers } from './conferences.js';
import { recordingLinks, type Ctx } from './context.js';
import { logHandlers } from './logs.js';
import { roomRecordingHandlers } from './room-recordings.js';
import { roomSessionHandlers } from './room-sessions.js';
import { roomTokenHandlers } from './room-tokens.js';
import { roomHandlers } from './rooms.js';
import { streamHandlers } from './streams.js';

export { createScenarios } from './scenarios.js';

const DEFAULT_MEDIA_TTL = 900;

/** One handler per operationId of openapi/signalwire.yaml, from one file per tag of the spec. */
export function createHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  // The recordings' `uri` links live `media_ttl` seconds (default 900, video-api/room-recordings/models/requests.tsp).
  const links = (ctx: Ctx) => {
    const ttl = readQuery(ctx.req, ['media_ttl']).get('media_ttl');
    const parsed = ttl === undefined ? undefined : integerParam(ttl, 0);
    return recordingLinks(store, ctx, parsed && 'value' in parsed ? parsed.value : DEFAULT_MEDIA_TTL);
  };
  return {
    ...conferenceHandlers(store),
    ...roomHandlers(store),
    ...roomTokenHandlers(store),
    ...roomSessionHandlers(store, links),
    ...roomRecordingHandlers(store, links),
    ...streamHandlers(store),
    ...logHandlers(store),
  };
}
