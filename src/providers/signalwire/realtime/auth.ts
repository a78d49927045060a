import type { Runtime } from '../../../core/runtime.js';
import type { World } from '../../../core/worlds.js';
import { hashApiToken } from '../crypto.js';
import type { SignalWireStore } from '../store.js';
import { isUuid } from '../validate.js';

/** Who a Relay socket runs as, once `signalwire.connect` succeeded. */
export interface RelayPrincipal {
  world: World;
  projectId: string;
  /** A room token's conference: the socket sees that conference's sessions only. Absent for project credentials. */
  conferenceId?: string;
  /** A room token's permissions (`room.*`); project credentials may do everything. */
  scopes?: string[];
  /** `result.authorization` of `signalwire.connect`. */
  authorization: Record<string, unknown>;
}

/**
 * Turns a `jwt_token` into a principal, or `undefined` when it is not one of its kind. Conference
 * tokens (`vpt_…`) are resolved here; a resolver for room-token JWTs (signed per world) goes in the
 * same list, in front of it.
 */
export type JwtResolver = (token: string, signature: string) => Promise<RelayPrincipal | undefined> | RelayPrincipal | undefined;

/** SignalWire's answer to credentials it does not accept (`@signalwire/core` `createClient.test.ts`, `parseRPCResponse.test.ts`). */
export const AUTH_FAILED = { code: -32002, message: 'Authentication service failed with status ProtocolError, 401 Unauthorized: {}' };

const VIDEO_SCOPE = 'video';

/** Project id + API token with the Video scope, the same rule as the REST API's Basic auth (reference §2.1). */
export function projectPrincipal(store: SignalWireStore, runtime: Runtime, project: unknown, token: unknown, signature: string): RelayPrincipal | undefined {
  if (typeof project !== 'string' || typeof token !== 'string' || token === '' || !isUuid(project)) return undefined;
  const projectId = project.toLowerCase();
  const credential = store.credential(projectId, hashApiToken(token));
  const world = credential && runtime.worlds.get(credential.world);
  if (!world || !credential.scopes.some((s) => s.toLowerCase() === VIDEO_SCOPE)) return undefined;
  return { world, projectId, authorization: { project: projectId, expires_at: null, scopes: credential.scopes, signature } };
}

/** A conference token (Moderator or Guest) used as the `jwt_token`: a `VideoAuthorization` for its conference. */
export function conferenceTokenResolver(store: SignalWireStore, runtime: Runtime): JwtResolver {
  return (value, signature) => {
    const found = store.tokenByValue(value);
    const world = found && runtime.worlds.get(found.world);
    const conference = found && world && store.conferences.get(world.id, found.conferenceId)?.doc;
    if (!found || !world || !conference) return undefined;
    return {
      world,
      projectId: found.projectId,
      conferenceId: conference.id,
      scopes: found.token.scopes,
      authorization: {
        type: 'video',
        project: found.projectId,
        project_id: found.projectId,
        scopes: ['video'],
        scope_id: found.token.id,
        resource: runtime.ids.uuid(),
        join_as: 'member',
        user_name: found.token.name,
        room: { name: conference.name, display_name: conference.display_name, scopes: found.token.scopes, meta: conference.meta ?? {} },
        signature,
        media_allowed: 'all',
        audio_allowed: 'both',
        video_allowed: 'both',
        meta: {},
      },
    };
  };
}
