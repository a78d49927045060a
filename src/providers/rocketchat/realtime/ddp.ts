import type { WebSocket } from 'ws';
import { sendFrame } from '../../../core/websocket.js';

/**
 * Meteor's DDP server (meteor/meteor `packages/ddp-server/livedata_server.js`, DDP 1), the part a
 * client sees: the welcome frame, version negotiation, heartbeats, methods with `result` and
 * `updated`, named subscriptions with `ready` and `nosub`, and the `error` frames for what it cannot
 * read. What methods and publications exist is the application's (`DdpApp`).
 */

/** `DDPCommon.SUPPORTED_DDP_VERSIONS`, preferred first. */
const VERSIONS = ['1', 'pre2', 'pre1'];

/**
 * The server's heartbeat (Meteor's defaults): once connected, a ping after `intervalMs` without a
 * frame from the client and a close `timeoutMs` later without one; before `connect`, a close after
 * `idleMs` (the stream server's raw WebSocket timeout).
 */
export const HEARTBEAT = { intervalMs: 15_000, timeoutMs: 15_000, idleMs: 45_000 };

/** A `Meteor.Error` as DDP serialises it (own fields in the order the constructor sets them). */
export interface MeteorErrorJson {
  isClientSafe: true;
  error: string | number;
  reason?: string;
  message: string;
  errorType: 'Meteor.Error';
}

export function meteorError(error: string | number, reason?: string): MeteorErrorJson {
  const out: Partial<MeteorErrorJson> = { isClientSafe: true, error };
  if (reason) out.reason = reason;
  out.message = reason ? `${reason} [${error}]` : `[${error}]`;
  out.errorType = 'Meteor.Error';
  return out as MeteorErrorJson;
}

/** Thrown by a method or publication: the client gets `json`. Anything else thrown reads as Meteor's 500. */
export class MeteorError extends Error {
  readonly json: MeteorErrorJson;
  /** The failing method still wrote (a failed login is recorded): `updated` follows the result. */
  readonly wrote: boolean;

  constructor(error: string | number, reason?: string, wrote = false) {
    const json = meteorError(error, reason);
    super(json.message);
    this.json = json;
    this.wrote = wrote;
  }
}

/** `wrapInternalException`: what the client is told about a thrown value. */
function clientError(err: unknown): MeteorErrorJson {
  return err instanceof MeteorError ? err.json : meteorError(500, 'Internal server error');
}

export interface MethodOutcome {
  result?: unknown;
  /** The method wrote to the database: Meteor sends `updated` only once the writes are seen, after `result`. */
  wrote?: boolean;
}

/** A named subscription a publication accepted. */
export interface DdpSub {
  id: string;
  name: string;
  params: unknown[];
}

/** The application served over DDP. */
export interface DdpApp {
  /** A method's outcome; throws a `MeteorError` to fail it. `undefined` when no such method exists. */
  method(session: DdpSession, name: string, params: unknown[]): MethodOutcome | undefined;
  /** Whether `name` is a publication. */
  publishes(name: string): boolean;
  /** Runs publication `sub.name` for the session's current user; throws to refuse (`nosub` with the error). */
  publish(session: DdpSession, sub: DdpSub): void;
  /** A subscription ended (unsub, refused on a rerun, or the connection closed). */
  unpublished(session: DdpSession, sub: DdpSub): void;
  closed(session: DdpSession): void;
}

type Frame = Record<string, unknown>;

/** One client connection: a Meteor session once it has sent `connect`. */
export class DdpSession {
  readonly id: string;
  readonly socket: WebSocket;
  readonly #app: DdpApp;
  #version: string | null = null;
  /** Named subscriptions that are live, by client id. */
  readonly subs = new Map<string, DdpSub>();
  /** The logged-in user, and what the application keeps about the login. */
  userId: string | null = null;
  #timer: NodeJS.Timeout;
  #awaitingPong = false;

  constructor(id: string, socket: WebSocket, app: DdpApp) {
    this.id = id;
    this.socket = socket;
    this.#app = app;
    // Meteor's stream server greets every raw WebSocket so (a pre-0.7 client reloads on it).
    this.sendText('{"server_id":"0"}');
    socket.on('message', (data, isBinary) => this.#receive(isBinary ? '' : String(data)));
    socket.on('close', () => this.#close());
    this.#timer = setTimeout(() => this.#beat(), HEARTBEAT.idleMs).unref();
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#beat(), ms).unref();
  }

  #beat(): void {
    // Without a heartbeat (before connect, or DDP pre1) the idle timeout closes the socket.
    if (this.#awaitingPong || this.#version === null || this.#version === 'pre1') {
      this.socket.close();
      return;
    }
    this.#awaitingPong = true;
    this.send({ msg: 'ping' });
    this.#arm(HEARTBEAT.timeoutMs);
  }

  /** Queues a frame unless the client stopped reading (then the socket is closed): false when not sent. */
  sendText(text: string): boolean {
    return sendFrame(this.socket, text);
  }

  send(frame: Frame): boolean {
    return this.sendText(JSON.stringify(frame));
  }

  #sendError(reason: string, offending?: unknown): void {
    const frame: Frame = { msg: 'error', reason };
    if (offending) frame.offendingMessage = offending;
    this.send(frame);
  }

  #receive(text: string): void {
    // Any frame shows the client is alive.
    if (this.#awaitingPong) {
      this.#awaitingPong = false;
      this.#arm(HEARTBEAT.intervalMs);
    } else {
      this.#timer.refresh();
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = null;
    }
    // `DDPCommon.parseDDP` discards what is not a JSON object; the server answers that as a bad request.
    if (msg === null || typeof msg !== 'object') return this.#sendError('Bad request');
    const frame = msg as Frame;
    if (!frame.msg) return this.#sendError('Bad request', frame);
    if (frame.msg === 'connect') return this.#connect(frame);
    if (this.#version === null) return this.#sendError('Must connect first', frame);
    if (this.#version !== 'pre1' && frame.msg === 'ping') {
      this.send(frame.id === undefined ? { msg: 'pong' } : { msg: 'pong', id: frame.id });
      return;
    }
    if (this.#version !== 'pre1' && frame.msg === 'pong') return;
    if (frame.msg === 'method') return this.#method(frame);
    if (frame.msg === 'sub') return this.#sub(frame);
    if (frame.msg === 'unsub') return this.#unsub(frame);
    this.#sendError('Bad request', frame);
  }

  #connect(frame: Frame): void {
    if (this.#version !== null) return this.#sendError('Already connected', frame);
    const { version, support } = frame;
    if (!(typeof version === 'string' && Array.isArray(support) && support.every((v) => typeof v === 'string') && support.includes(version))) {
      this.send({ msg: 'failed', version: VERSIONS[0] });
      this.socket.close();
      return;
    }
    const agreed = (support as string[]).find((v) => VERSIONS.includes(v)) ?? VERSIONS[0];
    if (version !== agreed) {
      this.send({ msg: 'failed', version: agreed });
      this.socket.close();
      return;
    }
    this.#version = agreed;
    this.send({ msg: 'connected', session: this.id });
    if (agreed !== 'pre1') this.#arm(HEARTBEAT.intervalMs);
  }

  #method(frame: Frame): void {
    const { id, method, params } = frame;
    if (typeof id !== 'string' || typeof method !== 'string' || ('params' in frame && !Array.isArray(params)) || ('randomSeed' in frame && typeof frame.randomSeed !== 'string')) {
      return this.#sendError('Malformed method invocation', frame);
    }
    let outcome: MethodOutcome | undefined;
    let error: MeteorErrorJson | undefined;
    // Meteor's write fence: `updated` is sent once the method's writes are seen. With none, the fence
    // fires before the result goes out; an unknown method's result is sent before the fence is armed.
    let updatedFirst = true;
    try {
      outcome = this.#app.method(this, method, (params as unknown[] | undefined) ?? []);
      if (outcome === undefined) {
        error = meteorError(404, `Method '${method}' not found`);
        updatedFirst = false;
      } else if (outcome.wrote) updatedFirst = false;
    } catch (err) {
      error = clientError(err);
      if (err instanceof MeteorError && err.wrote) updatedFirst = false;
    }
    const result: Frame = { msg: 'result', id };
    if (error) result.error = error;
    else if (outcome?.result !== undefined) result.result = outcome.result;
    const updated = { msg: 'updated', methods: [id] };
    if (updatedFirst) this.send(updated);
    this.send(result);
    if (!updatedFirst) this.send(updated);
  }

  #sub(frame: Frame): void {
    const { id, name, params } = frame;
    if (typeof id !== 'string' || typeof name !== 'string' || ('params' in frame && !Array.isArray(params))) {
      return this.#sendError('Malformed subscription', frame);
    }
    if (!this.#app.publishes(name)) {
      this.send({ msg: 'nosub', id, error: meteorError(404, `Subscription '${name}' not found`) });
      return;
    }
    // A second sub with a live id is ignored (Meteor: subscriptions are idempotent across reconnects).
    if (this.subs.has(id)) return;
    const sub: DdpSub = { id, name, params: (params as unknown[] | undefined) ?? [] };
    try {
      this.#app.publish(this, sub);
    } catch (err) {
      this.send({ msg: 'nosub', id, error: clientError(err) });
      return;
    }
    this.subs.set(id, sub);
    this.send({ msg: 'ready', subs: [id] });
  }

  #unsub(frame: Frame): void {
    const sub = this.subs.get(frame.id as string);
    if (sub) {
      this.subs.delete(sub.id);
      this.#app.unpublished(this, sub);
    }
    this.send({ msg: 'nosub', id: frame.id });
  }

  /**
   * The user changed (login, logout): every subscription runs again as the new user (Meteor's
   * `_setUserId`). One refused now is ended with `nosub` and its error; the others are ready again.
   */
  rerunSubscriptions(): void {
    const ready: string[] = [];
    for (const sub of [...this.subs.values()]) {
      this.#app.unpublished(this, sub);
      try {
        this.#app.publish(this, sub);
        ready.push(sub.id);
      } catch (err) {
        this.subs.delete(sub.id);
        this.send({ msg: 'nosub', id: sub.id, error: clientError(err) });
      }
    }
    if (ready.length > 0) this.send({ msg: 'ready', subs: ready });
  }

  #close(): void {
    clearTimeout(this.#timer);
    for (const sub of this.subs.values()) this.#app.unpublished(this, sub);
    this.subs.clear();
    this.#app.closed(this);
  }
}
