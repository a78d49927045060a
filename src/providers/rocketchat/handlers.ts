import type { Handler, HandlerContext } from '../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../core/reply.js';
import { baseUrl } from '../../core/base-url.js';
import { inspectedWorld } from '../../core/inspect.js';
import { Problem } from '../../core/problem.js';
import { ReadCache } from '../../core/read-cache.js';
import { BASE64URL_CHARS } from '../../core/ids.js';
import type { Spec } from '../../core/openapi.js';
import { hashLoginToken, verifyDigest } from './crypto.js';
import {
  breakingChanges,
  cancelCall,
  configureServer,
  serverOf,
  canAccessRoom,
  capabilitiesOf,
  emitEvent,
  endCall,
  joinCall,
  registeredProviders,
  startCall,
  validatedProvider,
  worldVersion,
} from './domain.js';
import { errors } from './errors.js';
import { paginationItems } from './pagination.js';
import { present } from './present.js';
import type { RocketChatStore } from './store.js';
import type { CallDoc, Principal, User } from './types.js';
import { coercingBodyValidators, loginTarget, passwordDigestOf } from './validate.js';

type Ctx = HandlerContext<Principal>;

function loggedIn(ctx: Ctx, store: RocketChatStore): User {
  if (ctx.principal.kind !== 'user') throw errors.notLoggedIn(breakingChanges(store, ctx.world.id));
  return ctx.principal.user;
}

/**
 * `getUserInfo` (reference §9): the `me` object, without `success`. `Site_Url` is the world's setting
 * when its fixtures set one, else where the emulator is reached (issue 19).
 */
function me(ctx: Ctx, store: RocketChatStore, user: User): Record<string, unknown> {
  const site = store.setting(ctx.world.id, 'Site_Url');
  const siteUrl = site === undefined ? baseUrl(ctx.req) : String(site);
  const verified = user.emails.find((e) => e.verified);
  const out: Record<string, unknown> = { _id: user._id };
  if (user.username !== null) out.username = user.username;
  if (user.name !== null) out.name = user.name;
  out.emails = user.emails;
  if (verified) out.email = verified.address;
  out.status = user.status;
  out.active = user.active;
  out.roles = user.roles;
  out.utcOffset = user.utcOffset;
  out.settings = { profile: {}, preferences: {} };
  out.avatarUrl = `${siteUrl}/avatar/${user.username ?? user._id}`;
  return out;
}

/**
 * A copy of the body's first levels, which is all the schemas reach, for coercion to write to: a full
 * copy (structuredClone) recurses into whatever a client nests and overflows the stack on deep input.
 */
function copyTop(value: unknown, levels: number): unknown {
  if (levels === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => copyTop(item, levels - 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = copyTop(item, levels - 1);
  return out;
}

export function createHandlers(store: RocketChatStore, spec: Spec): Record<string, Handler<Principal>> {
  const bodyValidator = coercingBodyValidators(spec);
  // The body as the server's validator leaves it (coerced), or its first error (§3.1 step 4, §12).
  const checkedBody = (ctx: Ctx): unknown => {
    const validate = bodyValidator(ctx.op.operationId)!;
    const body = copyTop(ctx.body, 3);
    if (!validate(body)) throw errors.validation(validate.errors?.[0]?.message ?? 'invalid');
    return body;
  };

  // Answers that depend on stored rows alone, kept as sent until the next write. A list page holds
  // up to 100 calls: fewer of those are kept.
  const infoAnswers = new ReadCache<{ rid: string; json: string | Utf8Json } | undefined>(store.db);
  const listAnswers = new ReadCache<string | Utf8Json>(store.db, 1_000);

  const logout: Handler<Principal> = (ctx) => {
    if (ctx.principal.kind === 'user') {
      const { hashedToken } = ctx.principal;
      store.removeToken(hashedToken);
      emitEvent(ctx.world, 'token.removed', () => ({ hashedToken }));
    }
    return { status: 'success', data: { message: "You've been logged out!" } };
  };

  return {
    'post-api-v1-video-conference.start': (ctx) => {
      const body = checkedBody(ctx) as { roomId: string; title?: string | null; allowRinging?: boolean | null };
      return { data: startCall(store, ctx.runtime.ids, ctx.world, ctx.principal, body), success: true };
    },

    'post-api-v1-video-conference.join': (ctx) => {
      const body = checkedBody(ctx) as { callId: string; state?: { mic?: boolean | null; cam?: boolean | null } | null };
      return { ...joinCall(store, ctx.world, ctx.principal, body), success: true };
    },

    'post-api-v1-video-conference.cancel': (ctx) => {
      const { callId } = checkedBody(ctx) as { callId: string };
      cancelCall(store, ctx.world, ctx.principal, callId);
      return { success: true };
    },

    'get-api-v1-video-conference.info': (ctx) => {
      const world = ctx.world.id;
      store.settle(world, ctx.world.now());
      const callId = (ctx.query as { callId: string }).callId;
      const call = infoAnswers.get(`${world}\n${callId}`, () => {
        const json = store.callJson(world, callId);
        if (json === undefined) return undefined;
        // The stored document is the API's JSON: the other keys are spliced on after it.
        const { rid, providerName } = JSON.parse(json) as CallDoc;
        const capabilities = JSON.stringify(capabilitiesOf(store, world, providerName));
        return { rid, json: reusableJson(`${json.slice(0, -1)},"capabilities":${capabilities},"success":true}`) };
      });
      if (!call || !canAccessRoom(store, world, store.room(world, call.rid), ctx.principal)) throw errors.invalidParams();
      return call.json;
    },

    'get-api-v1-video-conference.list': (ctx) => {
      const world = ctx.world.id;
      const query = ctx.query as { roomId: string; offset?: number | null; count?: number | null };
      const { offset, skip, limit } = paginationItems(query);
      if (!canAccessRoom(store, world, store.room(world, query.roomId), ctx.principal)) throw errors.invalidParams();
      if (typeof skip !== 'number') throw errors.negativeSkip(skip.negative);
      store.settle(world, ctx.world.now());
      // The stored documents are spliced in as they are: parsing and re-serialising them was most of a list's cost.
      return listAnswers.get(`${world}\n${query.roomId}\n${offset}\n${skip}\n${limit}`, () => {
        const data = store.pageJson(world, query.roomId, skip, limit);
        // `offset` is echoed as `getPaginationItems` read it: NaN (from `Infinity`) serialises as null.
        return reusableJson(
          `{"data":[${data.join(',')}],"offset":${JSON.stringify(offset)},"count":${data.length},"total":${store.total(world, query.roomId)},"success":true}`,
        );
      });
    },

    'get-api-v1-video-conference.providers': (ctx) => ({
      data: registeredProviders(store, ctx.world.id).map((p) => ({ key: p.key, label: p.label })),
      success: true,
    }),

    // `VideoConf.listCapabilities` → `getValidatedProvider`: its error is the failure (§4.7, §12).
    'get-api-v1-video-conference.capabilities': (ctx) => {
      const provider = validatedProvider(store, ctx.world.id);
      return { providerName: provider.key, capabilities: provider.capabilities, success: true };
    },

    'post-api-v1-login': (ctx) => {
      const world = ctx.world.id;
      const body = ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
      const breaking = breakingChanges(store, world);
      let user: User | undefined;
      let authToken: string;
      if (typeof body.resume === 'string') {
        const found = store.userByResumeToken(hashLoginToken(body.resume));
        if (!found || found.world !== world) throw errors.loginUnknownResume(breaking);
        user = found.user;
        authToken = body.resume;
      } else {
        const target = loginTarget(store, world, body);
        const digest = passwordDigestOf(body.password);
        if (target === null || digest === null) throw errors.loginUnrecognized(breaking);
        user = target.user;
        if (!user) throw errors.loginUnknownUser(breaking);
        if (!user.passwordHash || !verifyDigest(digest, user.passwordHash)) throw errors.loginIncorrectPassword(breaking);
        authToken = ctx.runtime.ids.fromAlphabet(BASE64URL_CHARS, 43);
        store.addToken(world, user._id, hashLoginToken(authToken), ctx.world.now());
      }
      // `API.v1.success({status, data})` appends `success` (7.x and 8.x alike).
      return { status: 'success', data: { userId: user._id, authToken, me: me(ctx, store, user) }, success: true };
    },

    // `API.default` `info` (no auth): the version the world behaves as, which clients read first (§12).
    'get-api-info': (ctx) => ({ version: worldVersion(store, ctx.world.id), success: true }),

    'get-api-v1-logout': logout,
    'post-api-v1-logout': logout,

    'get-api-v1-me': (ctx) => ({ ...me(ctx, store, loggedIn(ctx, store)), success: true }),
  };
}

/** Scenario actions of the control plane (openapi/emulator.yaml, tag "Rocket.Chat scenarios"). */
export function createScenarios(store: RocketChatStore): Record<string, Handler> {
  return {
    updateRocketChatSettings: (ctx) => {
      const world = inspectedWorld(ctx).id;
      configureServer(store, world, ctx.body as Parameters<typeof configureServer>[2]);
      return serverOf(store, world);
    },

    endRocketChatCall: (ctx) => {
      const world = ctx.world.id;
      const { callId } = ctx.params as { callId: string };
      const { endedBy } = (ctx.body ?? {}) as { endedBy?: string };
      store.settle(world, ctx.world.now());
      const call = store.call(world, callId);
      if (!call) throw new Problem(404, `No call ${callId} in world ${world}`);
      if (call.doc.endedAt !== undefined) throw new Problem(409, `Call ${callId} has already ended (status ${call.doc.status})`);
      let ender: User | undefined;
      if (endedBy !== undefined) {
        ender = store.userById(world, endedBy);
        if (!ender) throw new Problem(400, `No user ${endedBy} in world ${world}`);
      }
      const doc = endCall(store, ctx.world, call, ender);
      return present(doc);
    },
  };
}
