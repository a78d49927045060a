import { worldRowsDeleter, type Db } from '../../core/db.js';
import { ReadCache } from '../../core/read-cache.js';
import { hashLoginToken } from './crypto.js';
import { present } from './present.js';
import { CallStatus, type CallDoc, type RegisteredProvider, type Room, type StoredCall, type Subscription, type User } from './types.js';

const DECLINE_AFTER_MS = 40_000;
// What a world is, beyond Rocket.Chat's own settings, kept with them under keys no setting has.
const VERSION_KEY = 'emulator:version';
const PROVIDERS_KEY = 'emulator:videoConfProviders';
const EXPIRE_AFTER_MS = 24 * 60 * 60 * 1000;

interface UserRow {
  world: string;
  _id: string;
  username: string | null;
  name: string | null;
  emails: string;
  roles: string;
  password_hash: string | null;
  avatar_etag: string | null;
  status: string;
  utc_offset: number;
  active: number;
}

function toUser(row: UserRow): User {
  return {
    _id: row._id,
    username: row.username,
    name: row.name,
    emails: JSON.parse(row.emails),
    roles: JSON.parse(row.roles),
    passwordHash: row.password_hash,
    avatarETag: row.avatar_etag,
    status: row.status,
    utcOffset: row.utc_offset,
    active: row.active === 1,
  };
}

/** The next time transition of a call, if any (reference §6.3). */
function deadlineOf(doc: CallDoc, mark: number): number | null {
  if (doc.endedAt !== undefined) return null;
  if (doc.status === CallStatus.CALLING) return mark + DECLINE_AFTER_MS;
  if (doc.status === CallStatus.STARTED) return mark + EXPIRE_AFTER_MS;
  return null;
}

/** Every statement of the provider, prepared once. All reads and writes are scoped to a world. */
export class RocketChatStore {
  readonly db: Db;
  readonly #s;

  readonly #clear: (world: string) => void;
  readonly #cache;

  constructor(db: Db) {
    this.db = db;
    this.#cache = {
      login: new ReadCache<{ world: string; user: User; hashedToken: string } | undefined>(db),
      setting: new ReadCache<unknown>(db),
      room: new ReadCache<Room | undefined>(db),
      subscription: new ReadCache<Subscription | undefined>(db),
      roomRoles: new ReadCache<string[]>(db),
      nextDeadline: new ReadCache<number | null>(db),
    };
    this.#clear = worldRowsDeleter(db, 'rocketchat');
    this.#s = {
      setting: db.prepare('SELECT value FROM rocketchat_settings WHERE world = ? AND key = ?').pluck(),
      deleteSetting: db.prepare('DELETE FROM rocketchat_settings WHERE world = ? AND key = ?'),
      putSetting: db.prepare('INSERT INTO rocketchat_settings (world, key, value) VALUES (?, ?, ?) ON CONFLICT (world, key) DO UPDATE SET value = excluded.value'),
      userByToken: db.prepare(
        'SELECT u.* FROM rocketchat_tokens t JOIN rocketchat_users u ON u.world = t.world AND u._id = t.user_id WHERE t.hashed_token = ? AND t.user_id = ?',
      ),
      userByResumeToken: db.prepare('SELECT u.* FROM rocketchat_tokens t JOIN rocketchat_users u ON u.world = t.world AND u._id = t.user_id WHERE t.hashed_token = ?'),
      userById: db.prepare('SELECT * FROM rocketchat_users WHERE world = ? AND _id = ?'),
      userByUsername: db.prepare('SELECT * FROM rocketchat_users WHERE world = ? AND username = ?'),
      usersWithEmails: db.prepare("SELECT * FROM rocketchat_users WHERE world = ? AND emails LIKE '%' || ? || '%'"),
      insertUser: db.prepare(
        'INSERT INTO rocketchat_users (world, _id, username, name, emails, roles, password_hash, avatar_etag, status, utc_offset, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertToken: db.prepare('INSERT INTO rocketchat_tokens (hashed_token, world, user_id, created_at) VALUES (?, ?, ?, ?)'),
      deleteToken: db.prepare('DELETE FROM rocketchat_tokens WHERE hashed_token = ?'),
      room: db.prepare('SELECT * FROM rocketchat_rooms WHERE world = ? AND _id = ?'),
      insertRoom: db.prepare('INSERT INTO rocketchat_rooms (world, _id, t, name, fname, ro, archived, muted, unmuted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      subscription: db.prepare('SELECT blocked, blocker FROM rocketchat_subscriptions WHERE world = ? AND rid = ? AND user_id = ?'),
      roomRoles: db.prepare('SELECT roles FROM rocketchat_room_roles WHERE world = ? AND rid = ? AND user_id = ?').pluck(),
      putRoomRoles: db.prepare(
        'INSERT INTO rocketchat_room_roles (world, rid, user_id, roles) VALUES (?, ?, ?, ?) ON CONFLICT (world, rid, user_id) DO UPDATE SET roles = excluded.roles',
      ),
      settings: db.prepare("SELECT key, value FROM rocketchat_settings WHERE world = ? AND key NOT LIKE 'emulator:%' ORDER BY key"),
      members: db.prepare('SELECT user_id FROM rocketchat_subscriptions WHERE world = ? AND rid = ? ORDER BY rowid').pluck(),
      insertSubscription: db.prepare('INSERT INTO rocketchat_subscriptions (world, rid, user_id, blocked, blocker) VALUES (?, ?, ?, ?, ?)'),
      call: db.prepare('SELECT doc, mark, callee_id FROM rocketchat_calls WHERE world = ? AND _id = ?'),
      callDoc: db.prepare('SELECT doc FROM rocketchat_calls WHERE world = ? AND _id = ?').pluck(),
      insertCall: db.prepare('INSERT INTO rocketchat_calls (world, _id, rid, created_at, mark, deadline, callee_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      updateCall: db.prepare('UPDATE rocketchat_calls SET doc = ?, deadline = ? WHERE world = ? AND _id = ?'),
      countCall: db.prepare(
        'INSERT INTO rocketchat_room_call_counts (world, rid, total) VALUES (?, ?, 1) ON CONFLICT (world, rid) DO UPDATE SET total = total + 1',
      ),
      total: db.prepare('SELECT total FROM rocketchat_room_call_counts WHERE world = ? AND rid = ?').pluck(),
      page: db.prepare('SELECT doc FROM rocketchat_calls WHERE world = ? AND rid = ? ORDER BY created_at DESC, _id DESC LIMIT ? OFFSET ?').pluck(),
      nextDeadline: db.prepare('SELECT deadline FROM rocketchat_calls WHERE world = ? AND deadline IS NOT NULL ORDER BY deadline LIMIT 1').pluck(),
      due: db.prepare('SELECT _id, doc, mark, deadline FROM rocketchat_calls WHERE world = ? AND deadline IS NOT NULL AND deadline <= ? ORDER BY deadline'),
      directMarked: db.prepare(
        "SELECT doc, mark FROM rocketchat_calls WHERE world = ? AND json_extract(doc, '$.type') = 'direct' AND mark > ? AND mark <= ? ORDER BY mark, _id",
      ),
      nextDirectMark: db.prepare("SELECT MIN(mark) FROM rocketchat_calls WHERE world = ? AND json_extract(doc, '$.type') = 'direct' AND mark > ?").pluck(),
      insertMessage: db.prepare('INSERT INTO rocketchat_messages (world, _id, rid, t, ts, user_id, call_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // The control plane's state views (inspect.ts): a filter given as NULL matches every row.
      roomPage: db.prepare(
        `SELECT r.*, COALESCE((SELECT total FROM rocketchat_room_call_counts n WHERE n.world = r.world AND n.rid = r._id), 0) AS calls,
          (SELECT COUNT(*) FROM rocketchat_calls c WHERE c.world = r.world AND c.rid = r._id AND json_extract(c.doc, '$.endedAt') IS NULL) AS live_calls
         FROM rocketchat_rooms r WHERE r.world = @world AND (@t IS NULL OR r.t = @t) ORDER BY r._id LIMIT @limit OFFSET @offset`,
      ),
      roomCount: db.prepare('SELECT COUNT(*) FROM rocketchat_rooms WHERE world = @world AND (@t IS NULL OR t = @t)').pluck(),
      roomMembers: db.prepare(
        `SELECT s.user_id AS _id, u.username, u.name FROM rocketchat_subscriptions s
         LEFT JOIN rocketchat_users u ON u.world = s.world AND u._id = s.user_id WHERE s.world = ? AND s.rid = ? ORDER BY s.rowid`,
      ),
      callPage: db.prepare(
        `SELECT doc, callee_id FROM rocketchat_calls WHERE world = @world AND (@rid IS NULL OR rid = @rid)
          AND (@status IS NULL OR json_extract(doc, '$.status') = @status) ORDER BY created_at DESC, _id DESC LIMIT @limit OFFSET @offset`,
      ),
      callCount: db.prepare(
        `SELECT COUNT(*) FROM rocketchat_calls WHERE world = @world AND (@rid IS NULL OR rid = @rid)
          AND (@status IS NULL OR json_extract(doc, '$.status') = @status)`,
      ).pluck(),
    };
  }

  setting(world: string, key: string): unknown {
    return this.#cache.setting.get(`${world}\n${key}`, () => {
      const raw = this.#s.setting.get(world, key) as string | undefined;
      return raw === undefined ? undefined : JSON.parse(raw);
    });
  }

  putSetting(world: string, key: string, value: unknown): void {
    this.#s.putSetting.run(world, key, JSON.stringify(value));
  }

  deleteSetting(world: string, key: string): void {
    this.#s.deleteSetting.run(world, key);
  }

  /** Every Rocket.Chat setting of the world, by key. */
  settings(world: string): Record<string, unknown> {
    const rows = this.#s.settings.all(world) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value)]));
  }

  /** The server version the world behaves as, when its fixtures or the control plane set one. */
  version(world: string): string | undefined {
    return this.setting(world, VERSION_KEY) as string | undefined;
  }

  putVersion(world: string, version: string): void {
    this.putSetting(world, VERSION_KEY, version);
  }

  /** The world's registered video-conference providers, when its fixtures or the control plane set them. */
  providers(world: string): RegisteredProvider[] | undefined {
    return this.setting(world, PROVIDERS_KEY) as RegisteredProvider[] | undefined;
  }

  putProviders(world: string, providers: RegisteredProvider[]): void {
    this.putSetting(world, PROVIDERS_KEY, providers);
  }

  /** A member's room roles (`owner`, `moderator`, …); none for a non-member. */
  roomRoles(world: string, rid: string, userId: string): string[] {
    return this.#cache.roomRoles.get(`${world}\n${rid}\n${userId}`, () => {
      const raw = this.#s.roomRoles.get(world, rid, userId) as string | undefined;
      return raw === undefined ? [] : JSON.parse(raw);
    });
  }

  putRoomRoles(world: string, rid: string, userId: string, roles: string[]): void {
    this.#s.putRoomRoles.run(world, rid, userId, JSON.stringify(roles));
  }

  /**
   * The user `userId` if it holds this login token (stored and looked up only by its hash). The
   * answer is cached under the presented token until the next write, so a hit skips the hash too.
   */
  userByToken(token: string, userId: string): { world: string; user: User; hashedToken: string } | undefined {
    return this.#cache.login.get(`${userId}\n${token}`, () => {
      const hashedToken = hashLoginToken(token);
      const row = this.#s.userByToken.get(hashedToken, userId) as UserRow | undefined;
      return row && { world: row.world, user: toUser(row), hashedToken };
    });
  }

  userByResumeToken(hashedToken: string): { world: string; user: User } | undefined {
    const row = this.#s.userByResumeToken.get(hashedToken) as UserRow | undefined;
    return row && { world: row.world, user: toUser(row) };
  }

  userById(world: string, id: string): User | undefined {
    const row = this.#s.userById.get(world, id) as UserRow | undefined;
    return row && toUser(row);
  }

  userByUsername(world: string, username: string): User | undefined {
    const row = this.#s.userByUsername.get(world, username) as UserRow | undefined;
    return row && toUser(row);
  }

  userByEmail(world: string, email: string): User | undefined {
    const wanted = email.toLowerCase();
    const rows = this.#s.usersWithEmails.all(world, wanted) as UserRow[];
    const row = rows.find((r) => (JSON.parse(r.emails) as { address: string }[]).some((e) => e.address.toLowerCase() === wanted));
    return row && toUser(row);
  }

  addToken(world: string, userId: string, hashedToken: string, now: number): void {
    this.#s.insertToken.run(hashedToken, world, userId, now);
  }

  removeToken(hashedToken: string): void {
    this.#s.deleteToken.run(hashedToken);
  }

  room(world: string, rid: string): Room | undefined {
    return this.#cache.room.get(`${world}\n${rid}`, () => {
      const row = this.#s.room.get(world, rid) as Record<string, any> | undefined;
      if (!row) return undefined;
      return {
        _id: row._id,
        t: row.t,
        name: row.name,
        fname: row.fname,
        ro: row.ro === 1,
        archived: row.archived === 1,
        muted: JSON.parse(row.muted),
        unmuted: JSON.parse(row.unmuted),
      };
    });
  }

  subscription(world: string, rid: string, userId: string): Subscription | undefined {
    return this.#cache.subscription.get(`${world}\n${rid}\n${userId}`, () => {
      const row = this.#s.subscription.get(world, rid, userId) as { blocked: number; blocker: number } | undefined;
      return row && { blocked: row.blocked === 1, blocker: row.blocker === 1 };
    });
  }

  members(world: string, rid: string): string[] {
    return this.#s.members.all(world, rid) as string[];
  }

  call(world: string, id: string): StoredCall | undefined {
    const row = this.#s.call.get(world, id) as { doc: string; mark: number; callee_id: string | null } | undefined;
    return row && { doc: JSON.parse(row.doc), mark: row.mark, calleeId: row.callee_id };
  }

  /** A call's stored document as is: the API's JSON (`present`). */
  callJson(world: string, id: string): string | undefined {
    return this.#s.callDoc.get(world, id) as string | undefined;
  }

  // Documents are stored as the API shows them (`present`), so a list can send them as stored.
  insertCall(world: string, doc: CallDoc, mark: number, calleeId: string | null): void {
    this.#s.insertCall.run(world, doc._id, doc.rid, Date.parse(doc.createdAt), mark, deadlineOf(doc, mark), calleeId, JSON.stringify(present(doc)));
    this.#s.countCall.run(world, doc.rid);
  }

  updateCall(world: string, doc: CallDoc, mark: number): void {
    this.#s.updateCall.run(JSON.stringify(present(doc)), deadlineOf(doc, mark), world, doc._id);
  }

  /** Calls of a room, newest first, as stored JSON (already in the API's shape); `limit` -1 means all. */
  pageJson(world: string, rid: string, offset: number, limit: number): string[] {
    return this.#s.page.all(world, rid, limit, offset) as string[];
  }

  total(world: string, rid: string): number {
    return (this.#s.total.get(world, rid) as number | undefined) ?? 0;
  }

  /** Rooms ordered by `_id`, with their call counts (`liveCalls`: not ended); `t` null for every type. */
  roomPage(world: string, t: string | null, offset: number, limit: number): { room: Room; calls: number; liveCalls: number }[] {
    const rows = this.#s.roomPage.all({ world, t, offset, limit }) as Record<string, any>[];
    return rows.map((row) => ({
      room: { _id: row._id, t: row.t, name: row.name, fname: row.fname, ro: row.ro === 1, archived: row.archived === 1, muted: JSON.parse(row.muted), unmuted: JSON.parse(row.unmuted) },
      calls: row.calls,
      liveCalls: row.live_calls,
    }));
  }

  roomCount(world: string, t: string | null): number {
    return this.#s.roomCount.get({ world, t }) as number;
  }

  /** A room's subscribers in subscription order, with their username and name (null when not a user of the world). */
  roomMembers(world: string, rid: string): { _id: string; username: string | null; name: string | null }[] {
    return this.#s.roomMembers.all(world, rid) as { _id: string; username: string | null; name: string | null }[];
  }

  /** Calls newest first (as a list), filtered by room and status when not null. Settle first. */
  callPage(world: string, rid: string | null, status: number | null, offset: number, limit: number): Omit<StoredCall, 'mark'>[] {
    const rows = this.#s.callPage.all({ world, rid, status, offset, limit }) as { doc: string; callee_id: string | null }[];
    return rows.map((row) => ({ doc: JSON.parse(row.doc), calleeId: row.callee_id }));
  }

  callCount(world: string, rid: string | null, status: number | null): number {
    return this.#s.callCount.get({ world, rid, status }) as number;
  }

  insertMessage(world: string, id: string, rid: string, t: string, ts: number, userId: string, callId: string): void {
    this.#s.insertMessage.run(world, id, rid, t, ts, userId, callId);
  }

  /**
   * Applies the time transitions that are due, in chronological order (reference §6.3):
   * a call still CALLING 40 s after its mark is DECLINED, a call without `endedAt` 24 h after
   * its mark is EXPIRED. Runs before every read or write of calls.
   */
  settle(world: string, now: number): void {
    const next = this.#cache.nextDeadline.get(world, () => (this.#s.nextDeadline.get(world) as number | undefined) ?? null);
    if (next === null || next > now) return;
    const due = this.#s.due.all(world, now) as { _id: string; doc: string; mark: number; deadline: number }[];
    if (due.length === 0) return;
    const settled: { doc: CallDoc; at: number }[] = [];
    this.db.transaction(() => {
      for (const row of due) {
        const doc = JSON.parse(row.doc) as CallDoc;
        const at = new Date(row.deadline).toISOString();
        if (doc.status === CallStatus.CALLING) {
          doc.status = CallStatus.DECLINED;
          doc.ringing = false;
        } else {
          doc.status = CallStatus.EXPIRED;
        }
        doc.endedAt = at;
        doc._updatedAt = at;
        this.updateCall(world, doc, row.mark);
        settled.push({ doc, at: row.deadline });
      }
    })();
    this.onSettled?.(world, settled);
  }

  /** Told of the transitions `settle` applied, in order (the realtime endpoint pushes them). */
  onSettled?: (world: string, settled: { doc: CallDoc; at: number }[]) => void;

  /** Direct calls whose start mark is in (after, upTo], oldest first (their 40 s ring timeout). */
  directCallsMarked(world: string, after: number, upTo: number): { doc: CallDoc; mark: number }[] {
    const rows = this.#s.directMarked.all(world, after, upTo) as { doc: string; mark: number }[];
    return rows.map((row) => ({ doc: JSON.parse(row.doc), mark: row.mark }));
  }

  /** The first start mark of a direct call after `after`, if any. */
  nextDirectMark(world: string, after: number): number | undefined {
    return (this.#s.nextDirectMark.get(world, after) as number | null) ?? undefined;
  }

  insertUser(world: string, u: User): void {
    this.#s.insertUser.run(world, u._id, u.username, u.name, JSON.stringify(u.emails), JSON.stringify(u.roles), u.passwordHash, u.avatarETag, u.status, u.utcOffset, u.active ? 1 : 0);
  }

  insertRoom(world: string, r: Room): void {
    this.#s.insertRoom.run(world, r._id, r.t, r.name, r.fname, r.ro ? 1 : 0, r.archived ? 1 : 0, JSON.stringify(r.muted), JSON.stringify(r.unmuted));
  }

  insertSubscription(world: string, rid: string, userId: string, s: Subscription): void {
    this.#s.insertSubscription.run(world, rid, userId, s.blocked ? 1 : 0, s.blocker ? 1 : 0);
  }

  clearWorld(world: string): void {
    this.#clear(world);
  }
}
