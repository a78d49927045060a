import type { Handler } from '../../../core/provider.js';
import { signRoomToken } from '../crypto.js';
import { GUEST_SCOPES, issueRoomToken } from '../domain/index.js';
import type { SignalWireStore } from '../store.js';
import type { Principal } from '../types.js';
import { validateRoomToken } from '../validate.js';
import { scope, signingKey, unprocessable } from './context.js';

/** Tag "Room Tokens": a JWT for the browser SDK, signed with the world's key. */
export function roomTokenHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  return {
    create_room_token: async (ctx) => {
      // The default permissions are the 11 `room.self.*` ones (video-api/room-tokens/models/requests.tsp).
      const { errors: problems, input } = validateRoomToken(ctx.body, GUEST_SCOPES);
      unprocessable(problems);
      const { claims } = store.db.transaction(() => issueRoomToken(scope(store, ctx, ctx.principal.projectId), input))();
      return { token: await signRoomToken(signingKey(store, ctx), claims) };
    },
  };
}
