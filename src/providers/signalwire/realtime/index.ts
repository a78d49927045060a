import type { WebSocket } from 'ws';
import type { DomainEvent } from '../../../core/events.js';
import type { Runtime } from '../../../core/runtime.js';
import { sendFrame, type SocketRoute } from '../../../core/websocket.js';
import type { World } from '../../../core/worlds.js';
import type { SignalWireStore } from '../store.js';
import type { RoomSession } from '../types.js';
import { AUTH_FAILED, conferenceTokenResolver, projectPrincipal, type JwtResolver, type RelayPrincipal } from './auth.js';
import { ROOMS_CHANNEL, SUBSCRIBABLE_EVENTS, VideoState, eventParams, seconds, sessionChannel } from './frames.js';
import { INVALID_PARAMS, PERMISSION_DENIED, RelayError, createVideoMethods } from './methods.js';

/** How often the server pings a connected client; `@signalwire/core` reconnects when 15 s pass without one. */
export const PING_INTERVAL_MS = 10_000;
/** Event acks one socket may owe: past it the oldest is forgotten. */
export const MAX_PENDING_ACKS = 1024;
/** Closed sessions whose subscriptions a reconnect (same `protocol`) gets back: past it the oldest is forgotten. */
export const MAX_RESUMABLE = 256;

/** JSON-RPC 2.0's own errors (jsonrpc.org/specification §5.1). */
const PARSE_ERROR = { code: -32700, message: 'Parse error' };
const INVALID_REQUEST = { code: -32600, message: 'Invalid Request' };
const METHOD_NOT_FOUND = { code: -32601, message: 'Method not found' };
/** Any method but `signalwire.connect` (and `signalwire.ping`) before a successful connect. */
const NOT_CONNECTED = { code: -32002, message: 'Unauthorized: signalwire.connect first' };

type Json = Record<string, unknown>;

/** The sockets of one world, fed from the world's domain events: each event's payload is built once, then filtered per socket. */
class Hub {
  readonly connections = new Set<Connection>();
  readonly #state: VideoState;
  readonly #off: () => void;

  constructor(store: SignalWireStore, world: World) {
    this.#state = new VideoState(store, world);
    this.#off = world.events.on((event) => this.#onEvent(event));
  }

  close(): void {
    this.#off();
  }

  #onEvent(event: DomainEvent): void {
    const params = event.provider === 'signalwire' ? eventParams(this.#state, event.type, event.data) : undefined;
    if (!params) return;
    const session = event.data.session as RoomSession;
    const projectId = event.data.projectId as string;
    for (const connection of this.connections) connection.deliver(projectId, session, `video.${event.type}`, params, event.at);
  }
}

export function createRelay(store: SignalWireStore, runtime: Runtime): SocketRoute {
  const hubs = new Map<string, Hub>();
  const methods = createVideoMethods(store, runtime);
  const signature = () => runtime.ids.hex(64);
  const resolvers: JwtResolver[] = [conferenceTokenResolver(store, runtime)];

  const relay: RelayContext = {
    store,
    runtime,
    methods,
    resolvers,
    signature,
    resumable: new Map(),
    join(connection, world) {
      let hub = hubs.get(world.id);
      if (!hub) {
        hub = new Hub(store, world);
        hubs.set(world.id, hub);
      }
      hub.connections.add(connection);
    },
    leave(connection, world) {
      const hub = hubs.get(world.id)!;
      hub.connections.delete(connection);
      if (hub.connections.size === 0) {
        hub.close();
        hubs.delete(world.id);
      }
    },
  };

  return {
    // `@signalwire/realtime-api` connects to `host` as given (`checkWebSocketHost`): `ws://127.0.0.1:<port>` is the root path.
    paths: ['/'],
    connect: (socket) => new Connection(socket, relay),
  };
}

interface RelayContext {
  store: SignalWireStore;
  runtime: Runtime;
  methods: ReturnType<typeof createVideoMethods>;
  resolvers: JwtResolver[];
  signature: () => string;
  /** `protocol` → what a closed session was subscribed to. */
  resumable: Map<string, Map<string, Set<string>>>;
  join(connection: Connection, world: World): void;
  leave(connection: Connection, world: World): void;
}

/** One Relay client: JSON-RPC requests in order, its subscriptions, the acks it owes. */
class Connection {
  readonly #socket: WebSocket;
  readonly #relay: RelayContext;
  #principal?: RelayPrincipal;
  #protocol = '';
  #eventAcks = false;
  /** Event channel → the event types subscribed on it. */
  readonly #channels = new Map<string, Set<string>>();
  /** Event frame id → its push log entry, until the client acks it. */
  readonly #pendingAcks = new Map<string, number>();
  /** The identity's id: the push log's `connection`. */
  #connection = '';
  #pingTimer?: NodeJS.Timeout;
  #queue: Promise<void> = Promise.resolve();

  constructor(socket: WebSocket, relay: RelayContext) {
    this.#socket = socket;
    this.#relay = relay;
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : String(data);
      this.#queue = this.#queue.then(() => this.#receive(text));
    });
    socket.on('close', () => this.#closed());
  }

  #send(message: Json): boolean {
    return sendFrame(this.#socket, JSON.stringify(message));
  }

  #reply(id: unknown, result: Json): void {
    this.#send({ jsonrpc: '2.0', id, result });
  }

  #error(id: unknown, error: { code: number | string; message: string }): void {
    this.#send({ jsonrpc: '2.0', id: id ?? null, error });
  }

  async #receive(text: string | undefined): Promise<void> {
    let message: unknown;
    try {
      if (text === undefined) throw new SyntaxError('binary frame');
      message = JSON.parse(text);
    } catch {
      return this.#error(null, PARSE_ERROR);
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return this.#error(null, INVALID_REQUEST);
    const { jsonrpc, id, method, params } = message as Json;
    const validId = typeof id === 'string' || typeof id === 'number';
    if (jsonrpc !== '2.0') return this.#error(validId ? id : null, INVALID_REQUEST);
    if (method === undefined && validId && ('result' in message || 'error' in message)) return this.#response(String(id));
    if (typeof method !== 'string' || !validId || (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params)))) {
      return this.#error(validId ? id : null, INVALID_REQUEST);
    }
    try {
      await this.#call(id, method, (params ?? {}) as Json);
    } catch (err) {
      // Anything but a refusal is the emulator's fault: JSON-RPC's internal error, and the socket lives on.
      const refusal = err instanceof RelayError ? err : new RelayError('error', -32603, 'Internal error');
      if (refusal.in === 'result') this.#reply(id, refusal.body);
      else this.#error(id, refusal.body);
    }
  }

  async #call(id: string | number, method: string, params: Json): Promise<void> {
    if (method === 'signalwire.connect') return this.#connect(id, params);
    if (method === 'signalwire.ping') return this.#reply(id, { timestamp: typeof params.timestamp === 'number' ? params.timestamp : this.#now() });
    const principal = this.#principal;
    if (!principal) return this.#error(id, NOT_CONNECTED);
    switch (method) {
      case 'signalwire.subscribe':
        return this.#subscribe(id, principal, params);
      case 'signalwire.unsubscribe':
        return this.#unsubscribe(id, params);
      case 'signalwire.disconnect':
        this.#reply(id, {});
        this.#socket.close(1000);
        return;
    }
    const handler = this.#relay.methods.get(method);
    if (!handler) return this.#error(id, METHOD_NOT_FOUND);
    this.#reply(id, handler({ principal, params }));
  }

  #now(): number {
    return seconds((this.#principal?.world ?? this.#relay.runtime.worlds.default).now());
  }

  /** A client's answer to a server request: an event ack, or a pong. */
  #response(id: string): void {
    const push = this.#pendingAcks.get(id);
    if (push === undefined) return;
    this.#pendingAcks.delete(id);
    this.#relay.runtime.pushes.ack(push);
  }

  async #connect(id: unknown, params: Json): Promise<void> {
    const auth = params.authentication;
    let principal: RelayPrincipal | undefined;
    // A reconnecting SDK sends back its `protocol` (`signalwire_<signature>_<uuid>_<project>`): the session resumes under it.
    const resumed = typeof params.protocol === 'string' ? /^signalwire_([0-9a-f]+)_[^_]+_([0-9a-f-]{36})$/.exec(params.protocol) : null;
    const signature = resumed?.[1] ?? this.#relay.signature();
    if (auth !== null && typeof auth === 'object' && !Array.isArray(auth)) {
      const { project, token, jwt_token: jwt } = auth as Json;
      if (typeof jwt === 'string' && jwt !== '') {
        for (const resolve of this.#relay.resolvers) {
          principal = await resolve(jwt, signature);
          if (principal) break;
        }
      } else {
        principal = projectPrincipal(this.#relay.store, this.#relay.runtime, project, token, signature);
      }
    }
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    if (!principal) return this.#error(id, AUTH_FAILED);
    if (this.#principal) this.#relay.leave(this, this.#principal.world);
    this.#channels.clear();
    this.#pendingAcks.clear();
    this.#principal = principal;
    this.#eventAcks = params.event_acks === true;
    this.#protocol = resumed && resumed[2] === principal.projectId ? resumed[0] : `signalwire_${signature}_${this.#relay.runtime.ids.uuid()}_${principal.projectId}`;
    // Relay keeps a session's subscriptions for the client that resumes it (the SDK does not subscribe again).
    // A protocol names its project, and a project belongs to one world: what is kept is this principal's.
    const kept = this.#relay.resumable.get(this.#protocol);
    if (kept) {
      for (const [channel, events] of kept) this.#channels.set(channel, events);
      this.#relay.resumable.delete(this.#protocol);
    }
    this.#connection = this.#relay.runtime.ids.uuid();
    this.#relay.join(this, principal.world);
    this.#reply(id, { identity: `${this.#connection}@${principal.projectId}.emulator`, authorization: principal.authorization, protocol: this.#protocol });
    this.#ping();
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => this.#ping(), PING_INTERVAL_MS).unref();
  }

  #ping(): void {
    this.#send({ jsonrpc: '2.0', id: this.#relay.runtime.ids.uuid(), method: 'signalwire.ping', params: { timestamp: this.#now() } });
  }

  /** Sessions a principal may watch: its project's, and a room token's conference only. */
  #session(principal: RelayPrincipal, channel: string): RoomSession | undefined {
    if (!channel.startsWith('room.')) return undefined;
    const session = this.#relay.store.sessions.owned(principal.world.id, principal.projectId, channel.slice('room.'.length).toLowerCase());
    return session && (principal.conferenceId === undefined || session.room_id === principal.conferenceId) ? session : undefined;
  }

  #subscribe(id: unknown, principal: RelayPrincipal, params: Json): void {
    const { event_channel: channel, events, get_initial_state: initial } = params;
    if (typeof channel !== 'string' || channel === '') throw INVALID_PARAMS('event_channel is required');
    if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string')) throw INVALID_PARAMS('events must be a non-empty array of strings');
    const session = channel === ROOMS_CHANNEL ? undefined : this.#session(principal, channel);
    if (channel !== ROOMS_CHANNEL && !session) throw PERMISSION_DENIED();
    const key = channel.toLowerCase();
    // Only events that exist are kept: a socket holds at most one small set per session of its project.
    const subscribed = this.#channels.get(key) ?? new Set<string>();
    for (const event of events as string[]) if (SUBSCRIBABLE_EVENTS.has(event)) subscribed.add(event);
    if (subscribed.size > 0) this.#channels.set(key, subscribed);
    this.#reply(id, { code: '200', message: 'Subscribed' });
    // `get_initial_state` on a live session's channel: its state as `video.room.subscribed` (`RoomSession.listen` reads it).
    if (initial === true && session?.status === 'in-progress') {
      const params = new VideoState(this.#relay.store, principal.world).roomParams(session, true);
      this.#push(session, 'video.room.subscribed', key, params, principal.world.now());
    }
  }

  #unsubscribe(id: unknown, params: Json): void {
    const { event_channel: channel, events } = params;
    if (typeof channel !== 'string' || channel === '') throw INVALID_PARAMS('event_channel is required');
    const subscribed = this.#channels.get(channel.toLowerCase());
    if (subscribed) {
      if (Array.isArray(events)) for (const event of events) subscribed.delete(String(event));
      else subscribed.clear();
      if (subscribed.size === 0) this.#channels.delete(channel.toLowerCase());
    }
    this.#reply(id, { code: '200', message: 'Unsubscribed' });
  }

  /** An event of the world: pushed once if the socket may see it and subscribed to it (on the project channel or the session's). */
  deliver(projectId: string, session: RoomSession, eventType: string, params: Json, at: number): void {
    const principal = this.#principal;
    if (!principal || principal.projectId !== projectId) return;
    if (principal.conferenceId !== undefined && session.room_id !== principal.conferenceId) return;
    const own = sessionChannel(session.id);
    const channel = this.#channels.get(own)?.has(eventType) ? own : this.#channels.get(ROOMS_CHANNEL)?.has(eventType) ? `${ROOMS_CHANNEL}.${projectId}` : undefined;
    if (channel) this.#push(session, eventType, channel, params, at);
  }

  /** Logs the event in the push log (which may delay or drop it, by a push fault) and sends it; with `event_acks`, waits for its ack. */
  #push(session: RoomSession, eventType: string, eventChannel: string, params: Json, at: number): void {
    const principal = this.#principal!;
    const id = this.#relay.runtime.ids.uuid();
    const frame = JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'signalwire.event',
      params: { event_type: eventType, event_channel: eventChannel, timestamp: seconds(at), params },
    });
    const pushId = this.#relay.runtime.pushes.deliver(
      {
        at,
        world: principal.world.id,
        provider: 'signalwire',
        connection: this.#connection,
        subject: principal.projectId,
        channel: eventChannel,
        event: eventType,
        callId: session.id,
        frame,
      },
      (text) => sendFrame(this.#socket, text),
    );
    if (this.#eventAcks) {
      if (this.#pendingAcks.size >= MAX_PENDING_ACKS) this.#pendingAcks.delete(this.#pendingAcks.keys().next().value!);
      this.#pendingAcks.set(id, pushId);
    }
  }

  #closed(): void {
    clearInterval(this.#pingTimer);
    const principal = this.#principal;
    if (principal) {
      this.#relay.leave(this, principal.world);
      const resumable = this.#relay.resumable;
      if (resumable.size >= MAX_RESUMABLE) resumable.delete(resumable.keys().next().value!);
      resumable.set(this.#protocol, new Map(this.#channels));
    }
    this.#channels.clear();
    this.#pendingAcks.clear();
  }
}
