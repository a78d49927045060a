import type { Handler } from '../../../core/provider.js';
import { hashToken } from '../crypto.js';
import { errors } from '../errors.js';
import type { DingTalkStore } from '../store/index.js';
import type { Principal } from '../types.js';
import { isObject } from '../validate.js';

const TOKEN_TTL_S = 7200;

/** oauth2_1_0 (reference §3.1). */
export function tokenHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  return {
    getAccessToken: (ctx) => {
      const body: unknown = ctx.body;
      if (!isObject(body)) throw errors.missingBody();
      const { appKey, appSecret } = body;
      if (typeof appKey !== 'string' || appKey === '') throw errors.missingAppKey();
      if (typeof appSecret !== 'string' || appSecret === '') throw errors.missingAppSecret();
      const found = store.apps.app(appKey);
      const world = found && ctx.runtime.worlds.get(found.world);
      // The route is anonymous, so auth left the default world (or X-Emulator-World's) on the request;
      // the app key names the real one, which the journal must record.
      if (world) ctx.req.ctx = { ...ctx.req.ctx, world };
      if (!found || !world || found.appSecret !== appSecret) throw errors.invalidClient();
      const now = world.now();
      const expiresAt = now + TOKEN_TTL_S * 1000;
      // SQLite holds only the token's SHA-256, yet asking again must return the same token (§2.3).
      // The raw value is kept in the world's in-memory state, which lives exactly as long as the token
      // rows (both go on reset). After a restart on a file database the stored token still authenticates
      // until it expires, but the next request for one issues a fresh token (one live token per app).
      const issued = world.local('dingtalk:tokens', () => new Map<string, string>());
      const current = store.apps.tokenOfApp(appKey);
      const raw = issued.get(appKey);
      if (current && current.expiresAt > now && raw !== undefined && hashToken(raw) === current.tokenHash) {
        store.apps.extendToken(current.tokenHash, expiresAt);
        return { accessToken: raw, expireIn: TOKEN_TTL_S };
      }
      const token = ctx.runtime.ids.hex(32);
      store.apps.replaceToken(world.id, appKey, hashToken(token), expiresAt);
      issued.set(appKey, token);
      return { accessToken: token, expireIn: TOKEN_TTL_S };
    },

  };
}
