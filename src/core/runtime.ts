import type { Db } from './db.js';
import type { IdSource } from './ids.js';
import type { Spec } from './openapi.js';
import type { Worlds } from './worlds.js';

/** Settings every part of a running emulator reads. */
export interface RuntimeOptions {
  /** Provider rate limiters on (default) or off. */
  rateLimits: boolean;
  /** Check every routed response against its documented schema (the test suite turns this on). */
  validateResponses: boolean;
}

/** The shared state of one emulator instance, decorated on Fastify as `app.emulator`. */
export interface Runtime {
  db: Db;
  ids: IdSource;
  worlds: Worlds;
  options: RuntimeOptions;
  specs: Map<string, Spec>;
  /** Responses that did not match their documented schema (only collected with `validateResponses`). */
  contractViolations: string[];
  /** Operations mounted per provider, and which of them have a handler. */
  mounted: { provider: string; operationId: string; implemented: boolean }[];
}
