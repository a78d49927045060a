import type { IdSource } from '../../core/ids.js';
import { UNMISTAKABLE_CHARS } from '../../core/ids.js';
import { Problem } from '../../core/problem.js';
import type { World } from '../../core/worlds.js';
import { availability, errors, failure } from './errors.js';
import type { RocketChatStore } from './store.js';
import { CallStatus, DEFAULT_VERSION, type CallDoc, type Principal, type RegisteredProvider, type Room, type StoredCall, type User } from './types.js';

/**
 * What changed, told to the world's realtime listeners (src/core/events.ts, realtime.ts):
 * `call.started` {call, members}, `call.joined` (a user's first join) {call, userId, wasRinging, wasCalling},
 * `call.canceled`, `call.ended`, `call.declined`, `call.expired` {call}; `token.removed` {hashedToken}.
 */
export type RocketChatEventType = 'call.started' | 'call.joined' | 'call.canceled' | 'call.ended' | 'call.declined' | 'call.expired' | 'token.removed';

/** Emits an event on the world; `data` is built only when someone listens. */
export function emitEvent(world: World, type: RocketChatEventType, data: () => Record<string, unknown>, at = world.now()): void {
  if (world.events.listening) world.events.emit({ provider: 'rocketchat', type, at, data: data() });
}

/** Default role → permission grants (reference §4.0). */
const PERMISSIONS: Record<string, string[]> = {
  'call-management': ['admin', 'owner', 'moderator', 'user'],
  'videoconf-ring-users': ['admin', 'owner', 'moderator', 'user'],
  'api-bypass-rate-limit': ['admin', 'bot', 'app'],
  'post-readonly': ['admin', 'owner', 'moderator'],
};

/**
 * `hasPermissionAsync(uid, permission, scope?)`: the user's global roles, and with a room as scope
 * also their roles in that room (the subscription's `roles`, reference §12).
 */
export function hasPermission(user: User, permission: string, roomRoles: readonly string[] = []): boolean {
  const granted = PERMISSIONS[permission];
  return granted !== undefined && (user.roles.some((role) => granted.includes(role)) || roomRoles.some((role) => granted.includes(role)));
}

/** The version the world behaves as (`GET /api/info`). */
export function worldVersion(store: RocketChatStore, world: string | undefined): string {
  return (world !== undefined && store.version(world)) || DEFAULT_VERSION;
}

/** `semver.gte(version, '8.0.0')`: a pre-release of 8.0.0 is still before it. */
export function isAtLeast8(version: string): boolean {
  // Versions are checked where they enter (fixtures schema, control plane spec).
  const match = /^(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(version)!;
  const major = Number(match[1]);
  if (major !== 8) return major > 8;
  return Number(match[2]) > 0 || Number(match[3]) > 0 || match[4] === undefined;
}

/** Whether the world's server applies the 8.0 breaking changes (`applyBreakingChanges`). */
export function breakingChanges(store: RocketChatStore, world: string | undefined): boolean {
  return isAtLeast8(worldVersion(store, world));
}

export interface VideoConfProvider {
  key: string;
  label: string;
  capabilities: { mic: boolean; cam: boolean; title: boolean };
  storedUrl(callId: string): string;
  joinUrl(call: CallDoc, user: User | undefined, state: { mic?: boolean; cam?: boolean }): string;
}

const quote = (value: string) => encodeURIComponent(`"${value}"`);

/** The providers the emulator knows how to build URLs for (reference §5, D8), in registration order. */
export const PROVIDERS: VideoConfProvider[] = [
  {
    key: 'jitsi',
    label: 'Jitsi',
    capabilities: { mic: true, cam: true, title: true },
    storedUrl: (callId) => `https://meet.jit.si/RocketChat${callId}`,
    // Apps.Jitsi v2.1.1 `generateUrl` with its default settings.
    joinUrl(call, user, state) {
      const items = [`config.desktopSharingChromeExtId=${quote('nocfbnnmjnndkbipkabodnheejiegccf')}`];
      if (call.title) items.push(`config.callDisplayName=${quote(call.title)}`);
      if (state.mic !== undefined) items.push(`config.startWithAudioMuted=${!state.mic}`);
      if (state.cam !== undefined) items.push(`config.startWithVideoMuted=${!state.cam}`);
      if (user) {
        items.push(`userInfo.displayName=${quote(user.name ?? '')}`);
        items.push('config.prejoinPageEnabled=false&config.prejoinConfig.enabled=false');
      }
      return `${call.url}#${items.join('&')}`;
    },
  },
  {
    key: 'googlemeet',
    label: 'GoogleMeet',
    capabilities: { mic: false, cam: false, title: false },
    storedUrl: (callId) => `http://g.co/meet/RocketChat_${callId}`,
    joinUrl: (call) => call.url,
  },
];

const DEFAULT_REGISTERED: RegisteredProvider[] = PROVIDERS.map((p) => ({ key: p.key, label: p.label, configured: true }));

export function providerByKey(key: string): VideoConfProvider | undefined {
  return PROVIDERS.find((p) => p.key === key);
}

/** The world's registered providers: its fixtures' `videoConfProviders`, else jitsi and googlemeet (D8). */
export function registeredProviders(store: RocketChatStore, world: string): RegisteredProvider[] {
  return store.providers(world) ?? DEFAULT_REGISTERED;
}

/** `getActiveProvider`: `VideoConf_Default_Provider` if registered; with the setting empty, the only provider if there is one (§4.7). */
export function activeProvider(store: RocketChatStore, world: string): RegisteredProvider | undefined {
  const registered = registeredProviders(store, world);
  const setting = store.setting(world, 'VideoConf_Default_Provider');
  if (typeof setting === 'string' && setting !== '') return registered.find((p) => p.key === setting);
  return registered.length === 1 ? registered[0] : undefined;
}

/** A registered provider's capabilities (`{}` for one the emulator has no app for). */
export function capabilitiesOf(store: RocketChatStore, world: string, key: string): Record<string, boolean> {
  return registeredProviders(store, world).some((p) => p.key === key) ? (providerByKey(key)?.capabilities ?? {}) : {};
}

/** `validateProvider`: a registered, fully configured app the emulator can build URLs for. */
function usableProvider(store: RocketChatStore, world: string, key: string): VideoConfProvider | undefined {
  const registered = registeredProviders(store, world).find((p) => p.key === key);
  return registered?.configured ? providerByKey(key) : undefined;
}

/** `getValidatedProvider` (`server/services/video-conference/service.ts`): the active provider, or the reason there is none. */
export function validatedProvider(store: RocketChatStore, world: string): VideoConfProvider {
  if (registeredProviders(store, world).length === 0) throw failure(availability.NO_APP);
  const active = activeProvider(store, world);
  if (!active) throw failure(availability.NOT_ACTIVE);
  const provider = usableProvider(store, world, active.key);
  if (!provider) throw failure(availability.NOT_CONFIGURED);
  return provider;
}

/** What Rocket.Chat server a world is (the control plane's `getRocketChatSettings`). */
export function serverOf(store: RocketChatStore, world: string): { version: string; videoConfProviders: RegisteredProvider[]; settings: Record<string, unknown> } {
  return { version: worldVersion(store, world), videoConfProviders: registeredProviders(store, world), settings: store.settings(world) };
}

/**
 * Changes what Rocket.Chat server a world is (fixtures at load, the control plane at run time):
 * only what is given. A provider the emulator has no app for can only be registered unconfigured.
 */
export function configureServer(
  store: RocketChatStore,
  world: string,
  change: { version?: string; videoConfProviders?: { key: string; label?: string; configured?: boolean }[]; settings?: Record<string, unknown> },
): void {
  const providers = change.videoConfProviders?.map((p) => ({ key: p.key, label: p.label ?? providerByKey(p.key)?.label ?? p.key, configured: p.configured !== false }));
  const unknown = providers?.find((p) => p.configured && !providerByKey(p.key));
  if (unknown) throw new Problem(400, `provider ${unknown.key} can only be registered with "configured": false (only ${PROVIDERS.map((p) => p.key).join(' and ')} can be configured)`);
  const reserved = Object.keys(change.settings ?? {}).find((key) => key.startsWith('emulator:'));
  if (reserved) throw new Problem(400, `${reserved} is not a Rocket.Chat setting`);
  store.db.transaction(() => {
    if (change.version !== undefined) store.putVersion(world, change.version);
    if (providers) store.putProviders(world, providers);
    for (const [key, value] of Object.entries(change.settings ?? {})) {
      if (value === null) store.deleteSetting(world, key);
      else store.putSetting(world, key, value);
    }
  })();
}

export function anonymousReadAllowed(store: RocketChatStore, world: string): boolean {
  return store.setting(world, 'Accounts_AllowAnonymousRead') === true;
}

/** `canAccessRoomIdAsync` (reference §4.0). A missing room is inaccessible. */
export function canAccessRoom(store: RocketChatStore, world: string, room: Room | undefined, principal: Principal): boolean {
  if (!room) return false;
  if (principal.kind === 'user') {
    if (room.t === 'c') return true;
    return store.subscription(world, room._id, principal.user._id) !== undefined;
  }
  return room.t === 'c' && anonymousReadAllowed(store, world);
}

const iso = (ms: number) => new Date(ms).toISOString();
const userRef = (u: User) => ({ _id: u._id, name: u.name ?? undefined, username: u.username ?? undefined });

/*
 * Every change of a call's state goes through one of the functions below (and the store's `settle`
 * for the time transitions): the REST handlers and the control plane's scenarios call them.
 */

export type StartResult =
  | { type: 'direct'; callId: string; calleeId: string | null; providerName: string }
  | { type: 'videoconference'; callId: string; rid: string; providerName: string };

/** `video-conference.start` after auth and validation (reference §4.1, §12): checks, then the new call. */
export function startCall(
  store: RocketChatStore,
  ids: IdSource,
  w: World,
  principal: Principal,
  input: { roomId: string; title?: string | null; allowRinging?: boolean | null },
): StartResult {
  const world = w.id;
  const now = w.now();
  if (principal.kind !== 'user') throw errors.notLoggedIn(breakingChanges(store, world));
  const user = principal.user;
  const room = store.room(world, input.roomId);
  if (!room || !canAccessRoom(store, world, room, principal)) throw errors.invalidParams();
  const roomRoles = store.roomRoles(world, room._id, user._id);
  if (!hasPermission(user, 'call-management', roomRoles)) throw errors.forbidden(breakingChanges(store, world));
  if (!user.username) throw failure('error-invalid-user');
  if (room.archived) throw failure('room_is_archived');
  if (room.t === 'd') {
    const sub = store.subscription(world, room._id, user._id);
    if (sub?.blocked || sub?.blocker) throw failure('room_is_blocked');
  }
  if (room.ro && !hasPermission(user, 'post-readonly', roomRoles) && !room.unmuted.includes(user.username)) {
    throw failure("You can't send messages because the room is readonly.");
  }
  if (room.muted.includes(user.username)) throw failure('You_have_been_muted');
  const provider = validatedProvider(store, world);

  store.settle(world, now);
  const ringing = input.allowRinging === true && hasPermission(user, 'videoconf-ring-users');
  const members = store.members(world, room._id);
  const direct = room.t === 'd' && members.length === 2 && ringing;
  const callId = ids.objectId(now);
  const messageId = ids.fromAlphabet(UNMISTAKABLE_CHARS, 17);
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
    title: direct ? undefined : input.title || room.fname || room.name || '',
    rid: room._id,
    createdBy: userRef(user),
    _updatedAt: iso(now),
    url: provider.storedUrl(callId),
  };
  const calleeId = direct ? (members.find((m) => m !== user._id) ?? null) : null;
  store.db.transaction(() => {
    store.insertCall(world, doc, now, calleeId);
    store.insertMessage(world, messageId, room._id, 'videoconf', now, user._id, callId);
  })();
  emitEvent(w, 'call.started', () => ({ call: doc, members }), now);
  return direct
    ? { type: 'direct', callId, calleeId, providerName: provider.key }
    : { type: 'videoconference', callId, rid: room._id, providerName: provider.key };
}

/** A call the principal may see, with due time transitions applied; else `invalid-params` (§4.2–4.4). */
export function accessibleCall(store: RocketChatStore, world: string, now: number, principal: Principal, callId: string): StoredCall {
  store.settle(world, now);
  const call = store.call(world, callId);
  if (!call || !canAccessRoom(store, world, store.room(world, call.doc.rid), principal)) throw errors.invalidParams();
  return call;
}

/**
 * `video-conference.join` (§4.2): the join bookkeeping (EE `addUser`, anonymous count, a callee
 * answering a ringing direct call), then the provider's URL. A call whose provider is gone or not
 * configured fails after the bookkeeping, as `VideoConf.join` does (`diagnoseProvider` names why).
 */
export function joinCall(
  store: RocketChatStore,
  w: World,
  principal: Principal,
  input: { callId: string; state?: { mic?: boolean | null; cam?: boolean | null } | null },
): { url: string; providerName: string } {
  const world = w.id;
  const now = w.now();
  const { doc, mark, calleeId } = accessibleCall(store, world, now, principal, input.callId);
  const user = principal.kind === 'user' ? principal.user : undefined;
  if (doc.endedAt !== undefined) throw user ? failure() : failure('failed-to-get-url');
  const at = iso(now);
  let changed = false;
  let added = false;
  const wasRinging = doc.ringing === true;
  const wasCalling = doc.status === CallStatus.CALLING;
  if (user && !doc.users.some((u) => u._id === user._id)) {
    doc.users.push({ _id: user._id, username: user.username ?? undefined, name: user.name ?? undefined, avatarETag: user.avatarETag, ts: at });
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
    doc._updatedAt = at;
    store.updateCall(world, doc, mark);
    if (added) emitEvent(w, 'call.joined', () => ({ call: doc, userId: user?._id, wasRinging, wasCalling }), now);
  }
  const provider = usableProvider(store, world, doc.providerName);
  if (!provider) throw failure(user ? availability.NOT_CONFIGURED : 'failed-to-get-url');
  const joinState = { mic: input.state?.mic ?? undefined, cam: input.state?.cam ?? undefined };
  return { url: provider.joinUrl(doc, user, joinState), providerName: doc.providerName };
}

/** `video-conference.cancel` (§4.3): a ringing direct call is declined by its caller or callee. */
export function cancelCall(store: RocketChatStore, w: World, principal: Principal, callId: string): void {
  const world = w.id;
  const now = w.now();
  if (principal.kind !== 'user') throw errors.notLoggedIn(breakingChanges(store, world));
  const { doc, mark } = accessibleCall(store, world, now, principal, callId);
  if (doc.type !== 'direct') throw failure('invalid-call');
  if (doc.status !== CallStatus.CALLING || doc.endedAt !== undefined || doc.endedBy !== undefined) throw failure('invalid-call-status');
  const at = iso(now);
  doc.ringing = false;
  doc.status = CallStatus.DECLINED;
  doc.endedAt = at;
  doc.endedBy = userRef(principal.user);
  doc._updatedAt = at;
  store.updateCall(world, doc, mark);
  emitEvent(w, 'call.canceled', () => ({ call: doc }), now);
}

/** Ends a call that has not ended (the control plane's scenario, §6.3 ENDED), by `ender` when one is named. */
export function endCall(store: RocketChatStore, w: World, call: StoredCall, ender: User | undefined): CallDoc {
  const world = w.id;
  const now = w.now();
  const { doc, mark } = call;
  const at = iso(now);
  doc.status = CallStatus.ENDED;
  if (ender) doc.endedBy = userRef(ender);
  doc.endedAt = at;
  doc._updatedAt = at;
  store.updateCall(world, doc, mark);
  emitEvent(w, 'call.ended', () => ({ call: doc }), now);
  return doc;
}
