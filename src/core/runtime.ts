import type { Db } from './db.js';
import type { Faults } from './faults.js';
import type { IdSource } from './ids.js';
import type { Journal } from './journal.js';
import type { Spec } from './openapi.js';
import type { PushLog } from './pushes.js';
import type { FixtureSet, Worlds } from './worlds.js';

/** Settings every part of a running emulator reads. */
export interface RuntimeOptions {
  /** Provider rate limiters on (default) or off. */
  rateLimits: boolean;
  /** Factor applied to every documented request limit (default 1); windows keep their length. */
  rateLimitScale: number;
  /** Check every routed response against its documented schema (the test suite turns this on). */
  validateResponses: boolean;
  /** With a token the control plane requires `Authorization: Bearer <token>`; without, loopback callers only. */
  adminToken?: string;
  /** Base URL clients reach the emulator at (`--public-url`), for the URLs providers build. */
  publicUrl?: string;
  /** Without an admin token: `loopback` (default) callers only, or `any` caller. */
  controlAccess: 'loopback' | 'any';
}

/** The shared state of one emulator instance, decorated on Fastify as `app.emulator`. */
export interface Runtime {
  db: Db;
  ids: IdSource;
  worlds: Worlds;
  journal: Journal;
  faults: Faults;
  /** Frames pushed over the providers' realtime endpoints, and push faults. */
  pushes: PushLog;
  options: RuntimeOptions;
  specs: Map<string, Spec>;
  /** The fixtures of the default world (`default` when creating a world). */
  defaultFixtures: FixtureSet;
  /** Path prefix → provider slug, to attribute requests that match no route. */
  prefixes: [string, string][];
  /** `http://host:port` the server listens on, set once it listens (see core/base-url.ts). */
  listenUrl?: string;
  /** Responses that did not match their documented schema (only collected with `validateResponses`). */
  contractViolations: string[];
  /** Operations mounted per provider, and which of them have a handler. */
  mounted: { provider: string; operationId: string; implemented: boolean }[];
}
