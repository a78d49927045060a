import type { FastifyInstance } from 'fastify';
import { buildApp, type EmulatorOptions } from './app.js';
import type { JournalEntry, JournalFilter } from './core/journal.js';
import type { FixtureSet } from './core/worlds.js';
import type { WorldCredentials } from './providers/types.js';

export { buildApp, DEFAULT_LIMITS, type EmulatorLimits, type EmulatorOptions } from './app.js';
export type { FixtureSet } from './core/worlds.js';
export type { WorldCredentials } from './providers/types.js';
export type { JournalEntry, JournalFilter } from './core/journal.js';
export { formatReport, verifyRecording, type Difference, type VerifyOptions, type VerifyReport } from './verify.js';

export interface StartOptions extends EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

export interface WorldInfo {
  id: string;
  name: string;
  credentials: WorldCredentials;
  clock: { now: string; frozen: boolean };
}

export interface CreateWorldOptions {
  name?: string;
  /** `"default"` (the default world's fixtures), `"empty"`, or inline fixtures. */
  fixtures?: 'default' | 'empty' | FixtureSet;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The Fastify instance, for `inject` and anything else. */
  app: FastifyInstance;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
  /** Every world back to its fixtures; journal and faults emptied. */
  reset(): Promise<void>;
  /** A new isolated world with fresh credentials. */
  createWorld(options?: CreateWorldOptions): Promise<WorldInfo>;
  /** Journal entries, newest first. `since` is an ISO instant. */
  requests(filter?: Omit<JournalFilter, 'since'> & { since?: string }): Promise<Omit<JournalEntry, 'timeMs'>[]>;
}

/** Throws the control plane's problem details as an Error. */
async function control<T>(app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const token = app.emulator.options.adminToken;
  const res = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
}

/**
 * Starts an emulator in this process, listening on `host:port` (a free port by default), for use
 * from a test suite:
 *
 * ```ts
 * const emulator = await startEmulator({ port: 0 });
 * const world = await emulator.createWorld();
 * // … point the client at emulator.url with world.credentials …
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options;
  const app = await buildApp(appOptions);
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    app,
    close: () => app.close(),
    reset: async () => {
      await control(app, 'POST', '/_emulator/reset');
    },
    createWorld: (opts = {}) => control<WorldInfo>(app, 'POST', '/_emulator/worlds', opts),
    requests: async (filter = {}) => {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) if (v !== undefined) query.set(k, String(v));
      const qs = query.toString();
      return (await control<{ requests: Omit<JournalEntry, 'timeMs'>[] }>(app, 'GET', `/_emulator/requests${qs ? `?${qs}` : ''}`)).requests;
    },
  };
}
