import type { IncomingMessage } from 'node:http';
import type { DomainEvent } from '../../core/events.js';
import { BASE64URL_CHARS, UNMISTAKABLE_CHARS } from '../../core/ids.js';
import { WORLD_HEADER } from '../../core/request.js';
import type { Runtime } from '../../core/runtime.js';
import type { SocketRoute } from '../../core/websocket.js';
import type { World } from '../../core/worlds.js';
import { hashLoginToken, verifyDigest } from './crypto.js';
import { emitEvent, canAccessRoom } from './domain.js';
import type { RocketChatStore } from './store.js';
import { CallStatus, type CallDoc, type User } from './types.js';
import { loginTarget, passwordDigestOf } from './validate.js';
import { DdpSession, MeteorError, type DdpApp, type DdpSub, type MethodOutcome } from './realtime/ddp.js';

/**
 * Rocket.Chat's realtime API (reference events.md §1): Meteor DDP at `/websocket`, with the streams
 * a video-conference client uses and the frames the 8.x server pushes on them
 * (`server/services/video-conference/service.ts`, `server/modules/notifications/notifications.module.ts`,
 * `server/modules/listeners/listeners.module.ts`). A connection belongs to the world of the token it
 * logs in with; a world is listened to only while a connection is logged in to it.
 */

const PROVIDER = 'rocketchat';
const USER_STREAM = 'stream-notify-user';
const ROOM_STREAM = 'stream-notify-room';
/** A direct call rings for 40 s; then the server tells the caller and who has not joined that it ended (`startDirect`). */
const RING_MS = 40_000;
/** `Accounts_LoginExpiration`: a login token lasts 90 days. */
const TOKEN_DAYS_MS = 90 * 24 * 60 * 60 * 1000;
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * The other streams a Rocket.Chat client subscribes to, with their read rule (notifications.module.ts):
 * accepted or refused as the server does, but nothing is ever pushed on them here.
 */
const QUIET_STREAMS: Record<string, 'all' | 'logged' | 'none' | 'room'> = {
  'stream-notify-all': 'all',
  'stream-notify-logged': 'logged',
  'stream-notify-room-users': 'none',
  'stream-user-presence': 'logged',
  'stream-roles': 'logged',
  'stream-room-messages': 'room',
  'stream-room-data': 'room',
  'stream-importers': 'all',
  'stream-apps': 'all',
};

interface Client {
  session: DdpSession;
  /** The world a password login looks in (`X-Emulator-World` or `?world=` on the upgrade; else the default). */
  requestedWorld: string | null;
  hub: Hub | null;
  user: User | null;
  hashedToken: string | null;
}

interface Live {
  client: Client;
  key: string;
}

/** A world with logged-in connections: who is subscribed to what, and the ring timer on its clock. */
interface Hub {
  world: World;
  clients: Set<Client>;
  subs: Map<string, Set<Live>>;
  /** World time up to which ring timeouts have been handled. */
  ringsUpTo: number;
  timer: NodeJS.Timeout | null;
  off: () => void;
}

const key = (collection: string, eventName: string) => `${collection}\n${eventName}`;

export function createRealtime(store: RocketChatStore): (runtime: Runtime) => SocketRoute {
  return (runtime) => {
    const hubs = new Map<string, Hub>();
    const clients = new Map<DdpSession, Client>();
    const lives = new Map<string, Live>();
    const liveId = (client: Client, sub: DdpSub) => `${client.session.id}\n${sub.id}`;

    // Calls the clock changed (declined after 40 s, expired after 24 h), told as the REST changes are.
    store.onSettled = (worldId, settled) => {
      // Only worlds that exist settle (a deleted world has no calls left).
      const world = runtime.worlds.get(worldId) as World;
      for (const { doc, at } of settled) emitEvent(world, doc.status === CallStatus.DECLINED ? 'call.declined' : 'call.expired', () => ({ call: doc }), at);
    };

    // --- pushes -----------------------------------------------------------------------------------

    function push(hub: Hub, collection: string, eventName: string, args: unknown[], event: string, callId: string | null, origin?: Client): void {
      const set = hub.subs.get(key(collection, eventName));
      if (!set) return;
      const frame = JSON.stringify({ msg: 'changed', collection, id: 'id', fields: { eventName, args } });
      for (const live of [...set]) {
        // `retransmitToSelf` is false: a relayed frame never goes back to the connection that sent it.
        if (live.client === origin) continue;
        const session = live.client.session;
        runtime.pushes.deliver(
          { at: hub.world.now(), world: hub.world.id, provider: PROVIDER, connection: session.id, subject: session.userId, channel: `${collection}/${eventName}`, event, callId, frame },
          (text) => session.sendText(text),
        );
      }
    }

    /** `notifyUser(userId, action, params)`: `<uid>/video-conference` with `{action, params}`. */
    const toUser = (hub: Hub, userId: string, action: string, params: { callId: string; rid: string; uid: string }) =>
      push(hub, USER_STREAM, `${userId}/video-conference`, [{ action, params }], action, params.callId);

    /** `notifyVideoConfUpdate`: the deprecated `<rid>/<callId>` event with no arguments, then `<rid>/videoconf` with the id. */
    function toRoom(hub: Hub, call: CallDoc): void {
      push(hub, ROOM_STREAM, `${call.rid}/${call._id}`, [], call._id, call._id);
      push(hub, ROOM_STREAM, `${call.rid}/videoconf`, [call._id], 'videoconf', call._id);
    }

    /** `endDirectCall`: the caller, then every other member of the room who has not joined. */
    function endDirect(hub: Hub, call: CallDoc): void {
      const params = { rid: call.rid, uid: call.createdBy._id, callId: call._id };
      toUser(hub, call.createdBy._id, 'end', params);
      for (const member of store.members(hub.world.id, call.rid)) {
        if (member === call.createdBy._id || call.users.some((u) => u._id === member)) continue;
        toUser(hub, member, 'end', params);
      }
    }

    /** The 40 s timer of every direct call due by `upTo`: `end` whatever the call became, as the server's timer does. */
    function ringTimeouts(hub: Hub, upTo: number): void {
      if (upTo <= hub.ringsUpTo) {
        hub.ringsUpTo = upTo;
        return;
      }
      const due = store.directCallsMarked(hub.world.id, hub.ringsUpTo - RING_MS, upTo - RING_MS);
      hub.ringsUpTo = upTo;
      for (const { doc } of due) endDirect(hub, doc);
    }

    /** Meteor closes every connection logged in with a login token that is removed (a logout elsewhere). */
    function closeLoggedInWith(hub: Hub, hashedToken: string): void {
      for (const client of [...hub.clients]) if (client.hashedToken === hashedToken) client.session.socket.close();
    }

    function onEvent(hub: Hub, event: DomainEvent): void {
      if (event.type === 'token.removed') return closeLoggedInWith(hub, (event.data as { hashedToken: string }).hashedToken);
      const data = event.data as { call: CallDoc; members: string[]; userId: string; wasRinging: boolean; wasCalling: boolean };
      const call = data.call;
      switch (event.type) {
        case 'call.started':
          if (call.type === 'direct') schedule(hub);
          else if (call.ringing) {
            for (const member of data.members) if (member !== call.createdBy._id) toUser(hub, member, 'ring', { callId: call._id, rid: call.rid, uid: call.createdBy._id });
          }
          return;
        case 'call.joined': {
          if (call.type !== 'direct') return toRoom(hub, call);
          const params = { rid: call.rid, uid: data.userId, callId: call._id };
          if (data.wasRinging) {
            toUser(hub, call.createdBy._id, 'join', params);
            if (data.userId !== call.createdBy._id) toUser(hub, params.uid, 'join', params);
          }
          if (data.wasCalling && call.status === CallStatus.STARTED) toRoom(hub, call);
          return;
        }
        case 'call.canceled':
          return toRoom(hub, call);
        case 'call.ended':
          toRoom(hub, call);
          if (call.type === 'direct') endDirect(hub, call);
          return;
        case 'call.declined':
          ringTimeouts(hub, event.at);
          return toRoom(hub, call);
      }
    }

    /** Handles what is due on the world's clock, then waits (in real time, unless frozen) for the next ring timeout. */
    function sweep(hub: Hub): void {
      const now = hub.world.now();
      ringTimeouts(hub, now);
      store.settle(hub.world.id, now);
      schedule(hub);
    }

    function schedule(hub: Hub): void {
      if (hub.timer) clearTimeout(hub.timer);
      hub.timer = null;
      if (hub.world.clock.frozen) return;
      const next = store.nextDirectMark(hub.world.id, hub.ringsUpTo - RING_MS);
      if (next === undefined) return;
      const wait = Math.min(LONGEST_TIMER_MS, Math.max(0, next + RING_MS - hub.world.now()));
      hub.timer = setTimeout(() => sweep(hub), wait);
      hub.timer.unref();
    }

    function join(client: Client, world: World): void {
      let hub = hubs.get(world.id);
      if (!hub) {
        const created = { world, clients: new Set(), subs: new Map(), ringsUpTo: world.now(), timer: null } as unknown as Hub;
        const offEvents = world.events.on((event) => {
          if (event.provider === PROVIDER) onEvent(created, event);
        });
        const offClock = world.clock.onChange(() => sweep(created));
        created.off = () => {
          offEvents();
          offClock();
          clearTimeout(created.timer ?? undefined);
        };
        hubs.set(world.id, created);
        schedule(created);
        hub = created;
      }
      hub.clients.add(client);
      client.hub = hub;
    }

    function leave(client: Client): void {
      const hub = client.hub;
      if (!hub) return;
      hub.clients.delete(client);
      client.hub = null;
      if (hub.clients.size === 0) {
        hub.off();
        hubs.delete(hub.world.id);
      }
    }

    // --- streams ----------------------------------------------------------------------------------

    function canRead(client: Client, name: string, eventName: string): boolean {
      const user = client.user;
      const world = client.hub?.world.id;
      const room = () => (user && world ? canAccessRoom(store, world, store.room(world, eventName.split('/')[0]), { kind: 'user', user, hashedToken: '' }) : false);
      if (name === USER_STREAM) return user !== null && eventName.split('/')[0] === user._id;
      if (name === ROOM_STREAM) return room();
      const rule = QUIET_STREAMS[name];
      if (name === 'stream-room-messages' && eventName === '__my_messages__') return true;
      return rule === 'all' || (rule === 'logged' && user !== null) || (rule === 'room' && room());
    }

    /** `Streamer._publish`: the options, the event name, the read rule; then the subscription is live. */
    function publish(client: Client, sub: DdpSub): void {
      const [eventName, options = false] = sub.params as [unknown, unknown];
      let useCollection = false;
      if (typeof options === 'boolean') useCollection = options;
      else if (options === null) throw new TypeError('options');
      else if ((options as { useCollection?: unknown }).useCollection) useCollection = true;
      if (typeof eventName !== 'string') {
        if (Array.isArray(eventName) && eventName.length === 0) throw new MeteorError('invalid-event-name');
        throw new TypeError('eventName');
      }
      if (eventName.length === 0) throw new MeteorError('invalid-event-name');
      if (!canRead(client, sub.name, eventName)) throw new MeteorError('not-allowed');
      if (client.hub) {
        const live: Live = { client, key: key(sub.name, eventName) };
        let set = client.hub.subs.get(live.key);
        if (!set) client.hub.subs.set(live.key, (set = new Set()));
        set.add(live);
        lives.set(liveId(client, sub), live);
      }
      if (useCollection) client.session.send({ msg: 'added', collection: sub.name, id: 'id', fields: { eventName } });
    }

    function unpublish(client: Client, sub: DdpSub): void {
      const id = liveId(client, sub);
      const live = lives.get(id);
      if (!live) return;
      lives.delete(id);
      const set = client.hub?.subs.get(live.key);
      set?.delete(live);
      if (set?.size === 0) client.hub?.subs.delete(live.key);
    }

    // --- methods ----------------------------------------------------------------------------------

    function setUser(client: Client, world: World | null, user: User | null, hashedToken: string | null): void {
      for (const sub of client.session.subs.values()) unpublish(client, sub);
      leave(client);
      client.user = user;
      client.hashedToken = hashedToken;
      client.session.userId = user?._id ?? null;
      if (world) join(client, world);
      client.session.rerunSubscriptions();
    }

    const tokenCreatedAt = store.db.prepare('SELECT created_at FROM rocketchat_tokens WHERE hashed_token = ?').pluck();

    /** Meteor's `login` method with Rocket.Chat's handlers: a resume token, or a user and a password. */
    function login(client: Client, options: unknown): MethodOutcome {
      try {
        return tryLogin(client, options);
      } catch (err) {
        // Rocket.Chat records every failed login attempt (Accounts_Block_Failed_Login_Attempts_By_User).
        const { json } = err as MeteorError;
        throw new MeteorError(json.error, json.reason, true);
      }
    }

    function tryLogin(client: Client, options: unknown): MethodOutcome {
      if (!options || typeof options !== 'object' || Array.isArray(options)) throw new MeteorError(400, 'Match failed');
      const body = options as Record<string, unknown>;
      let world: World | undefined;
      let user: User;
      let token: string;
      let when: number;
      let type: 'resume' | 'password';
      if ('resume' in body) {
        if (typeof body.resume !== 'string') throw new MeteorError(400, 'Match failed');
        const hashed = hashLoginToken(body.resume);
        const found = store.userByResumeToken(hashed);
        world = found && runtime.worlds.get(found.world);
        if (!found || !world) throw new MeteorError(403, "You've been logged out by the server. Please log in again.");
        user = found.user;
        token = body.resume;
        when = tokenCreatedAt.get(hashed) as number;
        type = 'resume';
      } else if (body.password) {
        world = client.requestedWorld === null ? runtime.worlds.default : runtime.worlds.get(client.requestedWorld);
        const target = world ? loginTarget(store, world.id, body) : { user: undefined };
        const digest = passwordDigestOf(body.password);
        if (target === null || digest === null) throw new MeteorError(400, 'Match failed');
        if (!target.user || !world) throw new MeteorError(403, 'User not found');
        if (!target.user.passwordHash || !verifyDigest(digest, target.user.passwordHash)) throw new MeteorError(403, 'Incorrect password');
        user = target.user;
        token = runtime.ids.fromAlphabet(BASE64URL_CHARS, 43);
        when = world.now();
        store.addToken(world.id, user._id, hashLoginToken(token), when);
        type = 'password';
      } else {
        throw new MeteorError(400, 'Unrecognized options for login request');
      }
      setUser(client, world, user, hashLoginToken(token));
      return { result: { id: user._id, token, tokenExpires: { $date: when + TOKEN_DAYS_MS }, type }, wrote: true };
    }

    function logout(client: Client): MethodOutcome {
      const { hub, hashedToken } = client;
      setUser(client, null, null, null);
      if (hub && hashedToken) {
        store.removeToken(hashedToken);
        closeLoggedInWith(hub, hashedToken);
      }
      return { wrote: true };
    }

    /**
     * `VideoConf.validateAction` (service.ts): ids given, both users can access the room, the call
     * exists; `end` always passes; an ended call fails, and a caller still sending `call` about it is told `end`.
     */
    function validateAction(hub: Hub, caller: User, action: string, { callId, uid, rid }: { callId: string; uid: string; rid: string }): boolean {
      if (!callId || !uid || !rid) return false;
      const world = hub.world.id;
      const room = store.room(world, rid);
      const other = caller._id === uid ? caller : store.userById(world, uid);
      const access = (user: User | undefined) => user !== undefined && canAccessRoom(store, world, room, { kind: 'user', user, hashedToken: '' });
      if (!access(caller) || !access(other)) return false;
      store.settle(world, hub.world.now());
      const call = store.call(world, callId)?.doc;
      if (!call) return false;
      if (action === 'end') return true;
      if (call.endedAt !== undefined || call.status > CallStatus.STARTED) {
        if (action === 'call' && caller._id === call.createdBy._id) toUser(hub, call.createdBy._id, 'end', { rid, uid, callId });
        return false;
      }
      return true;
    }

    /** Method `stream-notify-user` (`Streamer.initMethod` with notify-user's write rule): relays a checked video-conference action. */
    function notifyUser(client: Client, params: unknown[]): MethodOutcome {
      const [eventName, ...args] = params;
      if (typeof eventName !== 'string') throw new TypeError('eventName');
      const hub = client.hub;
      const data = args[0] as { action?: unknown; params?: Record<string, unknown> } | null | undefined;
      if (eventName.split('/')[1] !== 'video-conference' || !client.user || !hub || !data || typeof data !== 'object') return {};
      const { action, params: p } = data;
      if (!action || typeof action !== 'string' || !p || typeof p !== 'object') return {};
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      const ids = { callId: str(p.callId), uid: str(p.uid), rid: str(p.rid) };
      if (!validateAction(hub, client.user, action, ids)) return {};
      push(hub, USER_STREAM, eventName, args, action, ids.callId, client);
      return {};
    }

    const app: DdpApp = {
      method(session, name, params) {
        const client = clients.get(session) as Client;
        if (name === 'login') return login(client, params[0]);
        if (name === 'logout') return logout(client);
        if (name === USER_STREAM) return notifyUser(client, params);
        // Every other stream's method: its write rule refuses, which answers nothing.
        if (name === ROOM_STREAM || name in QUIET_STREAMS) {
          if (typeof params[0] !== 'string') throw new TypeError('eventName');
          return {};
        }
        return undefined;
      },
      publishes: (name) => name === USER_STREAM || name === ROOM_STREAM || name in QUIET_STREAMS,
      publish: (session, sub) => publish(clients.get(session) as Client, sub),
      unpublished: (session, sub) => unpublish(clients.get(session) as Client, sub),
      closed(session) {
        const client = clients.get(session) as Client;
        clients.delete(session);
        leave(client);
      },
    };

    return {
      paths: ['/websocket', '/websocket/'],
      connect(socket, req: IncomingMessage) {
        const header = req.headers[WORLD_HEADER];
        const query = new URL(req.url as string, 'http://localhost').searchParams.get('world');
        const session = new DdpSession(runtime.ids.fromAlphabet(UNMISTAKABLE_CHARS, 17), socket, app);
        clients.set(session, { session, requestedWorld: typeof header === 'string' ? header : query, hub: null, user: null, hashedToken: null });
      },
    };
  };
}
