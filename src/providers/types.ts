import type { FastifyInstance } from 'fastify';
import type { Db } from '../core/db.js';
import type { Runtime } from '../core/runtime.js';
import type { WireError } from '../core/errors.js';
import type { FaultAction } from '../core/faults.js';
import type { IdSource } from '../core/ids.js';
import type { Operation, Spec } from '../core/openapi.js';
import type { Handlers } from '../core/provider.js';
import type { SocketRoute } from '../core/websocket.js';
import type { WorldDataHandler } from '../core/worlds.js';

/** What `credentials` gives, per provider, as `POST /_emulator/worlds` lists it. */
export interface WorldCredentials {
  rocketchat?: { users: { username: string | null; userId: string; authToken: string | null; password: string | null }[] };
  signalwire?: { projects: { projectId: string; token: string }[] };
  dingtalk?: { apps: { appKey: string; appSecret: string }[] };
}

/** A provider bound to a database: what it does with a world's rows, and its Fastify plugin. */
export interface ProviderInstance extends WorldDataHandler {
  /** Registered at the module's `prefix`; mounts the spec's operations and owns errors under it. */
  plugin(app: FastifyInstance, spec: Spec): Promise<void>;
  /**
   * Routes the provider serves outside its API prefix (Rocket.Chat's `/avatar` and `/api/info`), each
   * registered at its `prefix` (and proxied there with `--upstream`); `spec` is the provider's.
   */
  sites?: { prefix: string; plugin(app: FastifyInstance, spec: Spec): Promise<void> }[];
  /** The provider's realtime endpoint (WebSocket) on the emulator's port, from its `realtime.ts`. */
  realtime?(runtime: Runtime): SocketRoute;
  /** Handlers of this provider's scenario actions in the control spec (openapi/emulator.yaml). */
  scenarios?: Handlers;
  /** Handlers of this provider's read-only state views in the control spec (tag "World state"), from its `inspect.ts`. */
  inspect?: Handlers;
  /** A copy of this provider's fixture section with fresh credentials (unique across worlds), for a new world. */
  withFreshCredentials?(section: unknown, ids: IdSource): unknown;
  /** The credentials a fixture section holds, as `POST /_emulator/worlds` lists them. */
  credentials?(section: unknown): Record<string, unknown>;
  /** Codes of the provider's error catalogue that an injected fault may name. */
  faultCodes?: string[];
  /** The status an injected error (`action.code` and/or `action.status`) answers `op` with. */
  faultStatus?(action: FaultAction, op: Operation): number;
  /**
   * The provider's own answer, headers included, to a request forwarded to its upstream
   * (`--upstream`) that the upstream did not answer: 502 unreachable or cut short, 504 too slow.
   */
  upstreamError(status: 502 | 504, message: string, ids: IdSource): WireError;
}

/** A provider: its spec file (`openapi/<slug>.yaml`), its tables, and how to bind it to a database. */
export interface ProviderModule {
  slug: string;
  /** Path prefix the provider owns: its not-found and error handlers answer for everything under it. */
  prefix: string;
  /** SQL creating the provider's tables (prefixed with the slug). */
  schema: string;
  create(db: Db): ProviderInstance;
}
