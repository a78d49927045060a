import type Database from 'better-sqlite3';
import { worldRowsDeleter, type Db } from '../../core/db.js';
import { ReadCache } from '../../core/read-cache.js';
import type { Conference, ConferenceToken, Member, Recording, Room, RoomEvent, RoomSession, RoomToken, Stream, VideoLog } from './types.js';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * One table of records kept as JSON documents, with every statement prepared once. Rows are
 * scoped to a world; `projectId` is returned so callers can hide other projects' rows (reference §2.1).
 */
export class DocTable<T extends { id: string }> {
  readonly #get: Statement;
  readonly #rows: ReadCache<{ project_id: string; doc: string } | undefined>;
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #delete: Statement;
  readonly #listBy = new Map<string, Statement>();
  readonly #deleteBy = new Map<string, Statement>();
  readonly #db: Db;
  readonly #table: string;
  /** The state views' page and count statements, by filtered columns, prepared on first use. */
  readonly #pages = new Map<string, { page: Statement; count: Statement }>();

  /** `columns`: the extra columns filled on insert; `mutable`: those an update may change. */
  constructor(db: Db, table: string, columns: string[], mutable: string[] = []) {
    this.#db = db;
    this.#table = table;
    const cols = ['world', 'project_id', 'id', 'created_at', 'doc', ...columns];
    this.#get = db.prepare(`SELECT project_id, doc FROM ${table} WHERE world = ? AND id = ?`);
    this.#rows = new ReadCache(db);
    this.#insert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    this.#update = db.prepare(`UPDATE ${table} SET ${['doc', ...mutable].map((c) => `${c} = ?`).join(', ')} WHERE world = ? AND id = ?`);
    this.#delete = db.prepare(`DELETE FROM ${table} WHERE world = ? AND id = ?`);
    for (const column of ['project_id', ...columns]) {
      this.#listBy.set(column, db.prepare(`SELECT doc FROM ${table} WHERE world = ? AND ${column} = ? ORDER BY created_at, id`).pluck());
      this.#deleteBy.set(column, db.prepare(`DELETE FROM ${table} WHERE world = ? AND ${column} = ?`));
    }
  }

  /** A fresh copy of the record (the row is cached until the next write; the copy is the caller's). */
  get(world: string, id: string): { projectId: string; doc: T } | undefined {
    const row = this.#rows.get(`${world}\n${id}`, () => this.#get.get(world, id) as { project_id: string; doc: string } | undefined);
    return row && { projectId: row.project_id, doc: JSON.parse(row.doc) };
  }

  /** The row if it belongs to the project: another project's row is as good as unknown. */
  owned(world: string, projectId: string, id: string): T | undefined {
    const row = this.get(world, id);
    return row?.projectId === projectId ? row.doc : undefined;
  }

  insert(world: string, projectId: string, createdAt: number, doc: T, columns: unknown[] = []): void {
    this.#insert.run(world, projectId, doc.id, createdAt, JSON.stringify(doc), ...columns);
  }

  update(world: string, doc: T, mutable: unknown[] = []): void {
    this.#update.run(JSON.stringify(doc), ...mutable, world, doc.id);
  }

  delete(world: string, id: string): void {
    this.#delete.run(world, id);
  }

  /** Rows whose `column` equals `value`, ordered by `created_at` then `id` (reference §2.7). */
  listBy(world: string, column: string, value: string): T[] {
    return (this.#listBy.get(column)!.all(world, value) as string[]).map((d) => JSON.parse(d));
  }

  /**
   * A page of the world's rows whose columns equal `where` (every project), newest first (`created_at`
   * then `id`, descending), with the number of rows matching: the control plane's state views.
   */
  page(world: string, where: Record<string, string>, offset: number, limit: number): { rows: { projectId: string; doc: T }[]; total: number } {
    const columns = Object.keys(where);
    const key = columns.join(',');
    let statements = this.#pages.get(key);
    if (!statements) {
      const filter = ['world = ?', ...columns.map((c) => `${c} = ?`)].join(' AND ');
      statements = {
        page: this.#db.prepare(`SELECT project_id, doc FROM ${this.#table} WHERE ${filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`),
        count: this.#db.prepare(`SELECT COUNT(*) FROM ${this.#table} WHERE ${filter}`).pluck(),
      };
      this.#pages.set(key, statements);
    }
    const values = [world, ...Object.values(where)];
    const rows = statements.page.all(...values, limit, offset) as { project_id: string; doc: string }[];
    return { rows: rows.map((r) => ({ projectId: r.project_id, doc: JSON.parse(r.doc) })), total: statements.count.get(...values) as number };
  }

  deleteBy(world: string, column: string, value: string): void {
    this.#deleteBy.get(column)!.run(world, value);
  }
}

export class SignalWireStore {
  readonly db: Db;
  readonly conferences: DocTable<Conference>;
  readonly tokens: DocTable<ConferenceToken>;
  readonly streams: DocTable<Stream>;
  readonly sessions: DocTable<RoomSession>;
  readonly members: DocTable<Member>;
  readonly events: DocTable<RoomEvent>;
  readonly recordings: DocTable<Recording>;
  readonly rooms: DocTable<Room>;
  readonly roomTokens: DocTable<RoomToken>;
  readonly logs: DocTable<VideoLog>;
  /** Authorization header value → the project it authenticates (see auth.ts). */
  readonly authCache: ReadCache<{ world: string; projectId: string } | undefined>;
  readonly #s;

  readonly #clear: (world: string) => void;
  readonly #keys: ReadCache<string | undefined>;

  constructor(db: Db) {
    this.db = db;
    this.authCache = new ReadCache(db);
    this.#keys = new ReadCache(db);
    this.#clear = worldRowsDeleter(db, 'signalwire');
    this.conferences = new DocTable(db, 'signalwire_conferences', ['name']);
    this.tokens = new DocTable(db, 'signalwire_conference_tokens', ['conference_id']);
    this.streams = new DocTable(db, 'signalwire_streams', ['conference_id']);
    this.sessions = new DocTable(db, 'signalwire_room_sessions', ['room_id', 'status'], ['status']);
    this.members = new DocTable(db, 'signalwire_members', ['room_session_id']);
    this.events = new DocTable(db, 'signalwire_events', ['room_session_id']);
    this.recordings = new DocTable(db, 'signalwire_recordings', ['room_session_id']);
    this.rooms = new DocTable(db, 'signalwire_rooms', ['name']);
    this.roomTokens = new DocTable(db, 'signalwire_room_tokens', ['room_name']);
    this.logs = new DocTable(db, 'signalwire_logs', ['room_session_id', 'room_id']);
    this.#s = {
      credential: db.prepare(
        `SELECT t.world, t.scopes FROM signalwire_api_tokens t JOIN signalwire_projects p ON p.world = t.world AND p.id = t.project_id
         WHERE t.project_id = ? AND t.token_hash = ? ORDER BY t.world LIMIT 1`,
      ),
      insertProject: db.prepare('INSERT INTO signalwire_projects (world, id, name) VALUES (?, ?, ?)'),
      insertApiToken: db.prepare('INSERT INTO signalwire_api_tokens (world, project_id, token_hash, name, scopes) VALUES (?, ?, ?, ?, ?)'),
      lastStamp: db.prepare('SELECT last_ms FROM signalwire_stamps WHERE world = ?').pluck(),
      putStamp: db.prepare(
        'INSERT INTO signalwire_stamps (world, last_ms) VALUES (?, ?) ON CONFLICT (world) DO UPDATE SET last_ms = max(last_ms, excluded.last_ms)',
      ),
      nameTaken: db
        .prepare(
          `SELECT 1 FROM signalwire_conferences WHERE world = ? AND project_id = ? AND name = ?
           UNION ALL SELECT 1 FROM signalwire_rooms WHERE world = ? AND project_id = ? AND name = ?`,
        )
        .pluck(),
      roomByName: db.prepare('SELECT doc FROM signalwire_rooms WHERE world = ? AND project_id = ? AND name = ?').pluck(),
      signingKey: db.prepare('SELECT key FROM signalwire_signing_keys WHERE world = ?').pluck(),
      putSigningKey: db.prepare('INSERT OR IGNORE INTO signalwire_signing_keys (world, key) VALUES (?, ?)'),
      liveSession: db.prepare("SELECT doc FROM signalwire_room_sessions WHERE world = ? AND room_id = ? AND status = 'in-progress'").pluck(),
      tokenByValue: db.prepare("SELECT world, project_id, conference_id, doc FROM signalwire_conference_tokens WHERE json_extract(doc, '$.token') = ? ORDER BY world LIMIT 1"),
    };
  }

  /** The world and scopes of a project's API token, looked up by project id and token hash across all worlds. */
  credential(projectId: string, tokenHash: string): { world: string; scopes: string[] } | undefined {
    const row = this.#s.credential.get(projectId, tokenHash) as { world: string; scopes: string } | undefined;
    return row && { world: row.world, scopes: JSON.parse(row.scopes) };
  }

  insertProject(world: string, id: string, name: string): void {
    this.#s.insertProject.run(world, id, name);
  }

  insertApiToken(world: string, projectId: string, tokenHash: string, name: string, scopes: string[]): void {
    this.#s.insertApiToken.run(world, projectId, tokenHash, name, JSON.stringify(scopes));
  }

  /** The `created_at` of a new record: max(now, previous + 1 ms) in the world (reference §2.7). */
  stamp(world: string, now: number): number {
    const last = this.#s.lastStamp.get(world) as number | undefined;
    const at = last === undefined ? now : Math.max(now, last + 1);
    this.#s.putStamp.run(world, at);
    return at;
  }

  /** Records that an explicit `created_at` (a fixture) exists, so later stamps come after it. */
  seen(world: string, createdAt: number): void {
    this.#s.putStamp.run(world, createdAt);
  }

  /** A room's or a conference's name: one namespace per project, since a conference is a room with a UI. */
  nameTaken(world: string, projectId: string, name: string): boolean {
    return this.#s.nameTaken.get(world, projectId, name, world, projectId, name) !== undefined;
  }

  roomByName(world: string, projectId: string, name: string): Room | undefined {
    const doc = this.#s.roomByName.get(world, projectId, name) as string | undefined;
    return doc === undefined ? undefined : JSON.parse(doc);
  }

  /** The world's signing key (hex), made by `create` on first use. */
  signingKey(world: string, create: () => string): string {
    const key = this.#keys.get(world, () => this.#s.signingKey.get(world) as string | undefined);
    if (key !== undefined) return key;
    this.#s.putSigningKey.run(world, create());
    return this.#s.signingKey.get(world) as string;
  }

  /** The live session of a conference or a room. */
  liveSession(world: string, conferenceId: string): RoomSession | undefined {
    const doc = this.#s.liveSession.get(world, conferenceId) as string | undefined;
    return doc === undefined ? undefined : JSON.parse(doc);
  }

  /** A conference token by its value, across every world (values are unique): the Relay's `jwt_token` login, never on a REST request. */
  tokenByValue(value: string): { world: string; projectId: string; conferenceId: string; token: ConferenceToken } | undefined {
    const row = this.#s.tokenByValue.get(value) as { world: string; project_id: string; conference_id: string; doc: string } | undefined;
    return row && { world: row.world, projectId: row.project_id, conferenceId: row.conference_id, token: JSON.parse(row.doc) };
  }

  clearWorld(world: string): void {
    this.#clear(world);
  }
}
