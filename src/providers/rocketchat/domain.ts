import type { World } from '../../core/worlds.js';
import type { RocketChatStore } from './store.js';
import type { CallDoc, Principal, Room, User } from './types.js';

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

export function hasPermission(user: User, permission: string): boolean {
  return user.roles.some((role) => PERMISSIONS[permission]?.includes(role));
}

export interface VideoConfProvider {
  key: string;
  label: string;
  capabilities: { mic: boolean; cam: boolean; title: boolean };
  storedUrl(callId: string): string;
  joinUrl(call: CallDoc, user: User | undefined, state: { mic?: boolean; cam?: boolean }): string;
}

const quote = (value: string) => encodeURIComponent(`"${value}"`);

/** Registered providers in registration order (reference §5, D8). */
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

export function providerByKey(key: string): VideoConfProvider | undefined {
  return PROVIDERS.find((p) => p.key === key);
}

/** `VideoConf_Default_Provider` if registered; with the setting empty, the only provider if there is one (§4.7). */
export function activeProvider(store: RocketChatStore, world: string): VideoConfProvider | undefined {
  const setting = store.setting(world, 'VideoConf_Default_Provider');
  if (typeof setting === 'string' && setting !== '') return providerByKey(setting);
  return PROVIDERS.length === 1 ? PROVIDERS[0] : undefined;
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
