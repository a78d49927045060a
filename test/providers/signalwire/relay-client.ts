import { once } from 'node:events';
import type { Test } from 'tap';
import { WebSocket } from 'ws';

type Frame = Record<string, any>;

/** A bare JSON-RPC client of the Relay WebSocket, for the frames the SDK hides. */
export class RelayClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly #waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  #seq = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      const waiter = this.#waiters.findIndex((w) => w.match(frame));
      if (waiter === -1) this.frames.push(frame);
      else this.#waiters.splice(waiter, 1)[0].resolve(frame);
    });
  }

  static async open(t: Test, url: string): Promise<RelayClient> {
    const ws = new WebSocket(url);
    await once(ws, 'open');
    t.teardown(() => ws.terminate());
    return new RelayClient(ws);
  }

  /** The next frame matching `match`: one already received, or the next to arrive. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const i = this.frames.findIndex(match);
    if (i !== -1) return Promise.resolve(this.frames.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  event(type: string): Promise<Frame> {
    return this.next((f) => f.method === 'signalwire.event' && f.params.event_type === type);
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends a request and waits for the response with its id. */
  request(method: string, params?: unknown): Promise<Frame> {
    const id = `req-${++this.#seq}`;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
    return this.next((f) => f.id === id && !('method' in f));
  }

  connect(authentication: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Frame> {
    return this.request('signalwire.connect', { version: { major: 3, minor: 0, revision: 0 }, agent: 'test', authentication, ...extra });
  }
}
