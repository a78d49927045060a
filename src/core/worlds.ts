import { Clock } from './clock.js';
import { WorldEvents } from './events.js';
import type { Db } from './db.js';
import type { IdSource } from './ids.js';

export const DEFAULT_WORLD_ID = 'default';

/** Fixtures for one world: one section per provider slug. A missing section means "no data". */
export type FixtureSet = Record<string, unknown>;

/**
 * A tenant. Every row carries its world id; the credential on a request picks the world.
 * Besides its rows a world has a clock and in-memory state (rate-limit windows) that resets with it.
 */
export class World {
  readonly id: string;
  name: string;
  fixtures: FixtureSet;
  readonly clock: Clock;
  /** Per-provider scratch state that lives as long as the world is not reset (rate-limit windows). */
  state = new Map<string, unknown>();
  /** When the world was created or last reset, on its own clock (rate-limit rules start then). */
  startedAt: number;
  /** What changes in the world, for realtime listeners; kept across resets (the listeners are sockets). */
  readonly events = new WorldEvents();

  constructor(id: string, name: string, fixtures: FixtureSet, clock: Clock) {
    this.id = id;
    this.name = name;
    this.fixtures = fixtures;
    this.clock = clock;
    this.startedAt = clock.now();
  }

  now(): number {
    return this.clock.now();
  }

  /** A provider's in-memory state, created on first use and dropped on reset. */
  local<T>(key: string, create: () => T): T {
    let value = this.state.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      this.state.set(key, value);
    }
    return value;
  }
}

/** What a provider does with a world's rows. */
export interface WorldDataHandler {
  slug: string;
  loadFixtures(world: World, ids: IdSource, fixtures: unknown): void;
  clearWorld(worldId: string): void;
}

export class Worlds {
  readonly #db: Db;
  readonly #ids: IdSource;
  readonly #handlers: WorldDataHandler[];
  readonly #worlds = new Map<string, World>();
  readonly #clockOptions: { now?: number; frozen?: boolean };

  /**
   * Opens the worlds stored in the database. Their fixtures are not stored (they hold raw
   * credentials): `fixturesOf` gives each world's fixtures for later resets.
   */
  constructor(
    db: Db,
    ids: IdSource,
    handlers: WorldDataHandler[],
    clockOptions: { now?: number; frozen?: boolean },
    fixturesOf: (worldId: string) => FixtureSet,
  ) {
    this.#db = db;
    this.#ids = ids;
    this.#handlers = handlers;
    this.#clockOptions = clockOptions;
    const rows = db.prepare('SELECT id, name FROM worlds').all() as { id: string; name: string }[];
    for (const row of rows) {
      this.#worlds.set(row.id, new World(row.id, row.name, fixturesOf(row.id), new Clock(clockOptions)));
    }
  }

  get(id: string): World | undefined {
    return this.#worlds.get(id);
  }

  get default(): World {
    const world = this.#worlds.get(DEFAULT_WORLD_ID);
    if (!world) throw new Error('the default world is missing');
    return world;
  }

  list(): World[] {
    return [...this.#worlds.values()];
  }

  /** Creates a world and loads its fixtures in one transaction: nothing is half-loaded. */
  create(id: string, name: string, fixtures: FixtureSet): World {
    const world = new World(id, name, fixtures, new Clock(this.#clockOptions));
    this.#db.transaction(() => {
      this.#db.prepare('INSERT INTO worlds (id, name, created_at) VALUES (?, ?, ?)').run(id, name, world.now());
      this.#load(world);
    })();
    this.#worlds.set(id, world);
    return world;
  }

  /** Puts a world back to its fixtures: rows reloaded, in-memory state dropped. The clock keeps its setting. */
  reset(world: World): void {
    this.#db.transaction(() => {
      for (const h of this.#handlers) h.clearWorld(world.id);
      this.#load(world);
    })();
    world.state = new Map();
    world.startedAt = world.now();
  }

  /** Puts a world to new fixtures, in one transaction: if they do not load, it keeps its data and fixtures. */
  reseed(world: World, fixtures: FixtureSet): void {
    const previous = world.fixtures;
    world.fixtures = fixtures;
    try {
      this.reset(world);
    } catch (err) {
      world.fixtures = previous;
      throw err;
    }
  }

  delete(world: World): void {
    this.#db.transaction(() => {
      for (const h of this.#handlers) h.clearWorld(world.id);
      this.#db.prepare('DELETE FROM worlds WHERE id = ?').run(world.id);
    })();
    this.#worlds.delete(world.id);
  }

  #load(world: World): void {
    for (const h of this.#handlers) {
      const section = world.fixtures[h.slug];
      if (section !== undefined) h.loadFixtures(world, this.#ids, section);
    }
  }
}
