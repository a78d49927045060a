import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Bump when any table changes; a file created by another version is refused rather than misread. */
export const SCHEMA_VERSION = 2;

const CORE_SCHEMA = `
-- Fixtures are not stored: they hold raw credentials. A world's fixtures live in memory, given
-- again at every start (the default world's come from the options).
CREATE TABLE IF NOT EXISTS worlds (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/** The database cannot be used: unopenable path, or a file written by another schema version. */
export class DatabaseError extends Error {}

/**
 * Why a file database could not be opened or written, in words: SQLite says only "unable to open
 * database file" (a folder it may not create files in) or "attempt to write a readonly database".
 * Containers hit it most: a host folder mounted as `/data` is root's, the image runs as `node`.
 */
export function openFailure(path: string, err: Error, access: (p: string, mode: number) => void = accessSync): string {
  const code = (err as { code?: string }).code;
  const cause = `cannot open database ${path}: ${err.message}`;
  // Extended codes too: SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN_ISDIR…
  if (!/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code ?? '')) return cause;
  const file = resolve(path);
  const writable = (p: string) => {
    try {
      access(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  const dir = dirname(file);
  const target = existsSync(file) && !writable(file) ? file : !writable(dir) ? dir : undefined;
  if (!target) return cause;
  const what = `the ${target === file ? 'file' : 'folder'} ${target} is`;
  const user = process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
  return `${cause}: a permissions problem: ${what} not writable by this process${user ? ` (uid:gid ${user})` : ''}, and SQLite writes there ` +
    `(the database and its -wal and -shm files beside it). Fix: ${user ? `chown ${user} ${target}, ` : ''}run as its owner ` +
    `(docker run --user "$(id -u):$(id -g)"), use a Docker named volume (-v vconf-data:/data), or choose another database path`;
}

/**
 * Opens the one connection: `:memory:` by default, or a file in WAL mode. Applies the core
 * schema and every provider's schema; the version lives in `PRAGMA user_version`.
 */
export function openDatabase(path: string, providerSchemas: string[]): Db {
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new DatabaseError(openFailure(path, err as Error));
  }
  if (path !== ':memory:' && path !== '') {
    try {
      db.pragma('journal_mode = WAL');
    } catch (err) {
      db.close();
      throw new DatabaseError(openFailure(path, err as Error));
    }
    // NORMAL is durable across a process crash in WAL mode (only an OS crash can lose the last commits).
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  }
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== 0 && version !== SCHEMA_VERSION) {
    db.close();
    throw new DatabaseError(`database ${path} has schema version ${version}, this emulator needs ${SCHEMA_VERSION}`);
  }
  db.exec(CORE_SCHEMA);
  for (const sql of providerSchemas) db.exec(sql);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  trackWrites(db);
  return db;
}

const writeCounts = new WeakMap<Db, { n: number }>();

/**
 * Counts every statement that may write (better-sqlite3's `readonly` flag) and every `exec`, so a
 * read cache knows when what it holds may be stale. The emulator owns its database: no other
 * process writes to it.
 */
function trackWrites(db: Db): void {
  const count = { n: 0 };
  writeCounts.set(db, count);
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!statement.readonly) {
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        Object.defineProperty(statement, method, {
          value: (...args: unknown[]) => {
            count.n++;
            return original(...args);
          },
        });
      }
    }
    return statement;
  }) as Db['prepare'];
  db.exec = (sql: string) => {
    count.n++;
    return exec(sql);
  };
}

/** The live count of the writes the database has seen (see {@link trackWrites}). */
export function writeCounter(db: Db): { readonly n: number } {
  return writeCounts.get(db)!;
}

/**
 * Deletes every row of a world from a provider's tables (those named `<slug>_…`, each with a
 * `world` column), with statements prepared once. Tables are found in the schema, so a new table
 * is never forgotten on reset.
 */
export function worldRowsDeleter(db: Db, slug: string): (world: string) => void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY name")
    .pluck()
    .all(slug.length + 1, `${slug}_`) as string[];
  const statements = tables.map((table) => db.prepare(`DELETE FROM ${table} WHERE world = ?`));
  return (world) => {
    for (const statement of statements) statement.run(world);
  };
}
