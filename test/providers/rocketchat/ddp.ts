import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { WebSocket } from 'ws';
import type { build } from '../../helper.js';

// A raw DDP client for the /websocket tests, and the frames they expect.

export type App = Awaited<ReturnType<typeof build>>;
const WAIT_MS = 5000;

export async function listen(app: App): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** A raw client: every frame received, parsed, in order; `next()` waits for the next one. */
export class Client {
  readonly ws: WebSocket;
  readonly frames: any[] = [];
  #wake?: () => void;
  #n = 0;

  constructor(port: number, headers: Record<string, string> = {}, path = '/websocket') {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.#wake?.();
    });
  }

  async open(): Promise<this> {
    await once(this.ws, 'open');
    return this;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async next(): Promise<any> {
    const deadline = Date.now() + WAIT_MS;
    while (this.frames.length === 0) {
      if (Date.now() > deadline) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.frames.shift();
  }

  /** The next frames, `n` of them. */
  async take(n: number): Promise<any[]> {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  /** Nothing more arrives within `ms`. */
  async quiet(ms = 100): Promise<any[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.frames.splice(0);
  }

  /** Welcome, connect, connected. */
  async connect(): Promise<string> {
    await this.open();
    const welcome = await this.next();
    if (welcome.server_id !== '0') throw new Error('no welcome');
    this.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    const connected = await this.next();
    return connected.session;
  }

  call(method: string, ...params: unknown[]): string {
    const id = `m${++this.#n}`;
    this.send({ msg: 'method', method, params, id });
    return id;
  }

  /** Connect and log in with a resume token: the frames up to `updated` are checked. */
  async login(token: string): Promise<void> {
    await this.connect();
    const id = this.call('login', { resume: token });
    const [result, updated] = await this.take(2);
    if (result.msg !== 'result' || result.error || updated.msg !== 'updated' || updated.methods[0] !== id) throw new Error(`login failed: ${JSON.stringify(result)}`);
  }

  sub(name: string, ...params: unknown[]): string {
    const id = `s${++this.#n}`;
    this.send({ msg: 'sub', id, name, params });
    return id;
  }

  close(): void {
    this.ws.close();
  }
}

export async function client(t: Test, port: number, headers?: Record<string, string>): Promise<Client> {
  const c = new Client(port, headers);
  t.teardown(() => c.ws.terminate());
  return c;
}

export const meteorError = (error: string | number, reason?: string) => ({
  isClientSafe: true,
  error,
  ...(reason ? { reason } : {}),
  message: reason ? `${reason} [${error}]` : `[${error}]`,
  errorType: 'Meteor.Error',
});

export const changed = (collection: string, eventName: string, args: unknown[]) => ({ msg: 'changed', collection, id: 'id', fields: { eventName, args } });
export const userEvent = (uid: string, action: string, params: unknown) => changed('stream-notify-user', `${uid}/video-conference`, [{ action, params }]);

export async function rest(app: App, url: string, auth: Record<string, string>, body?: unknown) {
  const res = await app.inject({ method: body === undefined ? 'GET' : 'POST', url: `/api/v1/${url}`, headers: auth, payload: body as object });
  return { status: res.statusCode, body: res.json() };
}

