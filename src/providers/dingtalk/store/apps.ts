import type { Db } from '../../../core/db.js';
import { ReadCache } from '../../../core/read-cache.js';
import { hashToken } from '../crypto.js';
import type { App, User } from '../types.js';

/** Apps, their tokens and the users of each world. Apps and tokens are looked up globally, users per world. */
export class AppStore {
  readonly #s;
  readonly #tokens: ReadCache<{ app: App; expiresAt: number } | undefined>;

  constructor(db: Db) {
    this.#tokens = new ReadCache(db);
    this.#s = {
      app: db.prepare('SELECT * FROM dingtalk_apps WHERE app_key = ?'),
      insertApp: db.prepare('INSERT INTO dingtalk_apps (app_key, world, app_secret, org, scopes) VALUES (?, ?, ?, ?, ?)'),
      tokenApp: db.prepare(
        'SELECT t.expires_at, a.* FROM dingtalk_tokens t JOIN dingtalk_apps a ON a.app_key = t.app_key WHERE t.token_hash = ?',
      ),
      tokenOfApp: db.prepare('SELECT token_hash, expires_at FROM dingtalk_tokens WHERE app_key = ?'),
      deleteTokensOfApp: db.prepare('DELETE FROM dingtalk_tokens WHERE app_key = ?'),
      insertToken: db.prepare('INSERT INTO dingtalk_tokens (token_hash, world, app_key, expires_at) VALUES (?, ?, ?, ?)'),
      extendToken: db.prepare('UPDATE dingtalk_tokens SET expires_at = ? WHERE token_hash = ?'),
      user: db.prepare('SELECT union_id, nick, org FROM dingtalk_users WHERE world = ? AND union_id = ?'),
      insertUser: db.prepare('INSERT INTO dingtalk_users (world, union_id, nick, org) VALUES (?, ?, ?, ?)'),
    };
    this.replaceToken = db.transaction((world: string, appKey: string, tokenHash: string, expiresAt: number) => {
      this.#s.deleteTokensOfApp.run(appKey);
      this.#s.insertToken.run(tokenHash, world, appKey, expiresAt);
    });
  }

  app(appKey: string): App | undefined {
    const row = this.#s.app.get(appKey) as Record<string, any> | undefined;
    return row && { world: row.world, appKey: row.app_key, appSecret: row.app_secret, org: row.org, scopes: JSON.parse(row.scopes) };
  }

  /** The app an access token belongs to (looked up by the token's hash; cached under the token until the next write). */
  tokenApp(token: string): { app: App; expiresAt: number } | undefined {
    return this.#tokens.get(token, () => {
      const row = this.#s.tokenApp.get(hashToken(token)) as Record<string, any> | undefined;
      if (!row) return undefined;
      return {
        app: { world: row.world, appKey: row.app_key, appSecret: row.app_secret, org: row.org, scopes: JSON.parse(row.scopes) },
        expiresAt: row.expires_at,
      };
    });
  }

  tokenOfApp(appKey: string): { tokenHash: string; expiresAt: number } | undefined {
    const row = this.#s.tokenOfApp.get(appKey) as { token_hash: string; expires_at: number } | undefined;
    return row && { tokenHash: row.token_hash, expiresAt: row.expires_at };
  }

  /** One live token per app: a new token replaces whatever the app had. */
  readonly replaceToken: (world: string, appKey: string, tokenHash: string, expiresAt: number) => void;

  extendToken(tokenHash: string, expiresAt: number): void {
    this.#s.extendToken.run(expiresAt, tokenHash);
  }

  user(world: string, unionId: string): User | undefined {
    const row = this.#s.user.get(world, unionId) as { union_id: string; nick: string; org: string } | undefined;
    return row && { unionId: row.union_id, nick: row.nick, org: row.org };
  }

  insertApp(world: string, appKey: string, appSecret: string, org: string, scopes: string[]): void {
    this.#s.insertApp.run(appKey, world, appSecret, org, JSON.stringify(scopes));
  }

  insertUser(world: string, unionId: string, nick: string, org: string): void {
    this.#s.insertUser.run(world, unionId, nick, org);
  }
}
