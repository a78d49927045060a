import type { Handler, HandlerContext } from '../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../core/reply.js';
import { baseUrl } from '../../core/base-url.js';
import { Problem } from '../../core/problem.js';
import { ReadCache } from '../../core/read-cache.js';
import { UNMISTAKABLE_CHARS, BASE64URL_CHARS } from '../../core/ids.js';
import { hashLoginToken, verifyDigest } from './crypto.js';
import { PROVIDERS, activeProvider, emitEvent, canAccessRoom, hasPermission, providerByKey } from './domain.js';
import { errors, failure } from './errors.js';
import { paginationItems } from './pagination.js';
import { present } from './present.js';
import type { RocketChatStore } from './store.js';
import { CallStatus, type CallDoc, type Principal, type User } from './types.js';
import { loginTarget, passwordDigestOf } from './validate.js';

type Ctx = HandlerContext<Principal>;

const iso = (ms: number) => new Date(ms).toISOString();

function loggedIn(ctx: Ctx): User {
  if (ctx.principal.kind !== 'user') throw errors.notLoggedIn();
  return ctx.principal.user;
}

const userRef = (u: User) => ({ _id: u._id, name: u.name ?? undefined, username: u.username ?? undefined });

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

export function createHandlers(store: RocketChatStore): Record<string, Handler<Principal>> {
  // Answers that depend on stored rows alone, kept as sent until the next write. A list page holds
  // up to 100 calls: fewer of those are kept.
  const infoAnswers = new ReadCache<{ rid: string; json: string | Utf8Json } | undefined>(store.db);
  const listAnswers = new ReadCache<string | Utf8Json>(store.db, 1_000);

  const findCall = (ctx: Ctx, callId: string) => {
    const world = ctx.world.id;
    store.settle(world, ctx.world.now());
    const call = store.call(world, callId);
    if (!call || !canAccessRoom(store, world, store.room(world, call.doc.rid), ctx.principal)) throw errors.invalidParams();
    return call;
  };

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
      const user = loggedIn(ctx);
      const world = ctx.world.id;
      const now = ctx.world.now();
      const { roomId, title, allowRinging } = ctx.body as { roomId: string; title?: string | null; allowRinging?: boolean | null };
      const room = store.room(world, roomId);
      if (!room || !canAccessRoom(store, world, room, ctx.principal)) throw errors.invalidParams();
      if (!hasPermission(user, 'call-management')) throw errors.unauthorized();
      if (!user.username) throw failure('error-invalid-user');
      if (room.archived) throw failure('room_is_archived');
      if (room.t === 'd') {
        const sub = store.subscription(world, room._id, user._id);
        if (sub?.blocked || sub?.blocker) throw failure('room_is_blocked');
      }
      if (room.ro && !hasPermission(user, 'post-readonly') && !room.unmuted.includes(user.username)) {
        throw failure("You can't send messages because the room is readonly.");
      }
      if (room.muted.includes(user.username)) throw failure('You_have_been_muted');
      const provider = activeProvider(store, world);
      if (!provider) throw failure('no-active-video-conf-provider');

      store.settle(world, now);
      const ringing = allowRinging === true && hasPermission(user, 'videoconf-ring-users');
      const members = store.members(world, room._id);
      const direct = room.t === 'd' && members.length === 2 && ringing;
      const callId = ctx.runtime.ids.objectId(now);
      const messageId = ctx.runtime.ids.fromAlphabet(UNMISTAKABLE_CHARS, 17);
      const doc: CallDoc = {
        _id: callId,
        type: direct ? 'direct' : 'videoconference',
        users: [],
        messages: { started: messageId },
        status: direct ? CallStatus.CALLING : CallStatus.STARTED,
        anonymousUsers: direct ? undefined : 0,
        createdAt: iso(now),
        providerName: provider.key,
        ringing: direct || (ringing && members.length <= 10) ? true : undefined,
        title: direct ? undefined : title || room.fname || room.name || '',
        rid: room._id,
        createdBy: userRef(user),
        _updatedAt: iso(now),
        url: provider.storedUrl(callId),
      };
      const calleeId = direct ? (members.find((m) => m !== user._id) ?? null) : null;
      ctx.runtime.db.transaction(() => {
        store.insertCall(world, doc, now, calleeId);
        store.insertMessage(world, messageId, room._id, 'videoconf', now, user._id, callId);
      })();
      emitEvent(ctx.world, 'call.started', () => ({ call: doc, members }), now);
      const data = direct
        ? { type: 'direct', callId, calleeId, providerName: provider.key }
        : { type: 'videoconference', callId, rid: room._id, providerName: provider.key };
      return { data, success: true };
    },

    'post-api-v1-video-conference.join': (ctx) => {
      const { callId, state } = ctx.body as { callId: string; state?: { mic?: boolean | null; cam?: boolean | null } | null };
      const { doc, mark, calleeId } = findCall(ctx, callId);
      const user = ctx.principal.kind === 'user' ? ctx.principal.user : undefined;
      if (doc.endedAt !== undefined) throw user ? failure() : failure('failed-to-get-url');
      const now = iso(ctx.world.now());
      let changed = false;
      let added = false;
      const wasRinging = doc.ringing === true;
      const wasCalling = doc.status === CallStatus.CALLING;
      if (user && !doc.users.some((u) => u._id === user._id)) {
        doc.users.push({ _id: user._id, username: user.username ?? undefined, name: user.name ?? undefined, avatarETag: user.avatarETag, ts: now });
        changed = added = true;
      }
      if (!user && doc.type === 'videoconference') {
        doc.anonymousUsers = (doc.anonymousUsers ?? 0) + 1;
        changed = true;
      }
      if (user && doc.type === 'direct' && doc.status === CallStatus.CALLING && user._id === calleeId) {
        doc.ringing = false;
        doc.status = CallStatus.STARTED;
        changed = true;
      }
      if (changed) {
        doc._updatedAt = now;
        store.updateCall(ctx.world.id, doc, mark);
        if (added) emitEvent(ctx.world, 'call.joined', () => ({ call: doc, userId: user?._id, wasRinging, wasCalling }));
      }
      const provider = providerByKey(doc.providerName);
      const joinState = { mic: state?.mic ?? undefined, cam: state?.cam ?? undefined };
      const url = provider ? provider.joinUrl(doc, user, joinState) : doc.url;
      return { url, providerName: doc.providerName, success: true };
    },

    'post-api-v1-video-conference.cancel': (ctx) => {
      const user = loggedIn(ctx);
      const { callId } = ctx.body as { callId: string };
      const { doc, mark } = findCall(ctx, callId);
      if (doc.type !== 'direct') throw failure('invalid-call');
      if (doc.status !== CallStatus.CALLING || doc.endedAt !== undefined || doc.endedBy !== undefined) throw failure('invalid-call-status');
      const now = iso(ctx.world.now());
      doc.ringing = false;
      doc.status = CallStatus.DECLINED;
      doc.endedAt = now;
      doc.endedBy = userRef(user);
      doc._updatedAt = now;
      store.updateCall(ctx.world.id, doc, mark);
      emitEvent(ctx.world, 'call.canceled', () => ({ call: doc }));
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
        const capabilities = JSON.stringify(providerByKey(providerName)?.capabilities ?? {});
        return { rid, json: reusableJson(`${json.slice(0, -1)},"capabilities":${capabilities},"success":true}`) };
      });
      if (!call || !canAccessRoom(store, world, store.room(world, call.rid), ctx.principal)) throw errors.invalidParams();
      return call.json;
    },

    'get-api-v1-video-conference.list': (ctx) => {
      const world = ctx.world.id;
      const query = ctx.query as { roomId: string; offset?: number; count?: number };
      const { offset, limit } = paginationItems(query);
      if (!canAccessRoom(store, world, store.room(world, query.roomId), ctx.principal)) throw errors.invalidParams();
      store.settle(world, ctx.world.now());
      // The stored documents are spliced in as they are: parsing and re-serialising them was most of a list's cost.
      return listAnswers.get(`${world}\n${query.roomId}\n${offset}\n${limit}`, () => {
        const data = store.pageJson(world, query.roomId, offset, limit);
        return reusableJson(`{"data":[${data.join(',')}],"offset":${offset},"count":${data.length},"total":${store.total(world, query.roomId)},"success":true}`);
      });
    },

    'get-api-v1-video-conference.providers': () => ({
      data: PROVIDERS.map((p) => ({ key: p.key, label: p.label })),
      success: true,
    }),

    'get-api-v1-video-conference.capabilities': (ctx) => {
      const provider = activeProvider(store, ctx.world.id);
      if (!provider) throw failure('no-active-video-conf-provider');
      return { providerName: provider.key, capabilities: provider.capabilities, success: true };
    },

    'post-api-v1-login': (ctx) => {
      const world = ctx.world.id;
      const body = ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
      let user: User | undefined;
      let authToken: string;
      if (typeof body.resume === 'string') {
        const found = store.userByResumeToken(hashLoginToken(body.resume));
        if (!found || found.world !== world) throw errors.loginUnknownResume();
        user = found.user;
        authToken = body.resume;
      } else {
        const target = loginTarget(store, world, body);
        const digest = passwordDigestOf(body.password);
        if (target === null || digest === null) throw errors.loginUnrecognized();
        user = target.user;
        if (!user) throw errors.loginUnknownUser();
        if (!user.passwordHash || !verifyDigest(digest, user.passwordHash)) throw errors.loginIncorrectPassword();
        authToken = ctx.runtime.ids.fromAlphabet(BASE64URL_CHARS, 43);
        store.addToken(world, user._id, hashLoginToken(authToken), ctx.world.now());
      }
      return { status: 'success', data: { userId: user._id, authToken, me: me(ctx, store, user) } };
    },

    'get-api-v1-logout': logout,
    'post-api-v1-logout': logout,

    'get-api-v1-me': (ctx) => ({ ...me(ctx, store, loggedIn(ctx)), success: true }),
  };
}

/** Scenario actions of the control plane (openapi/emulator.yaml, tag "Rocket.Chat scenarios"). */
export function createScenarios(store: RocketChatStore): Record<string, Handler> {
  return {
    endRocketChatCall: (ctx) => {
      const world = ctx.world.id;
      const { callId } = ctx.params as { callId: string };
      const { endedBy } = (ctx.body ?? {}) as { endedBy?: string };
      store.settle(world, ctx.world.now());
      const call = store.call(world, callId);
      if (!call) throw new Problem(404, `No call ${callId} in world ${world}`);
      const { doc, mark } = call;
      if (doc.endedAt !== undefined) throw new Problem(409, `Call ${callId} has already ended (status ${doc.status})`);
      let ender: User | undefined;
      if (endedBy !== undefined) {
        ender = store.userById(world, endedBy);
        if (!ender) throw new Problem(400, `No user ${endedBy} in world ${world}`);
      }
      const now = iso(ctx.world.now());
      doc.status = CallStatus.ENDED;
      if (ender) doc.endedBy = userRef(ender);
      doc.endedAt = now;
      doc._updatedAt = now;
      store.updateCall(world, doc, mark);
      emitEvent(ctx.world, 'call.ended', () => ({ call: doc }));
      return present(doc);
    },
  };
}
