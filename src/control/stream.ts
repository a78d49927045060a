import type { ServerResponse } from 'node:http';
import type { JournalEntry, JournalFilter } from '../core/journal.js';
import type { Handler } from '../core/provider.js';
import type { Runtime } from '../core/runtime.js';

/** Unsent bytes a listener may fall behind by before it is disconnected (it reconnects with Last-Event-ID). */
const MAX_UNSENT = 1024 * 1024;
const KEEPALIVE_MS = 15_000;

type StreamFilter = Pick<JournalFilter, 'provider' | 'operationId' | 'status' | 'world'>;

const matches = (e: JournalEntry, f: StreamFilter) =>
  (f.provider === undefined || e.provider === f.provider) &&
  (f.operationId === undefined || e.operationId === f.operationId) &&
  (f.status === undefined || e.status === f.status) &&
  (f.world === undefined || e.world === f.world);

/** An entry as one event: its id, and the JSON `GET /_emulator/requests` gives for it. */
function event(entry: JournalEntry): string {
  const { timeMs: _t, ...shown } = entry;
  return `id: ${entry.id}\ndata: ${JSON.stringify(shown)}\n\n`;
}

/**
 * `GET /_emulator/requests/stream` (openapi/emulator.yaml): the journal as Server-Sent Events. The
 * journal calls the listener only while a stream is open; `closeAll` ends every stream (on close).
 */
export function requestStream(runtime: Runtime): { streamRequests: Handler; closeAll: () => void } {
  const open = new Set<ServerResponse>();

  const streamRequests: Handler = (ctx) => {
    const filter = ctx.query as StreamFilter;
    const reply = ctx.reply;
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    let text = ': open\n\n';
    const last = Number(ctx.req.headers['last-event-id']);
    if (Number.isInteger(last)) {
      for (const entry of runtime.journal.query(filter).reverse()) if (entry.id > last) text += event(entry);
    }
    res.write(text);
    const close = () => {
      unsubscribe();
      clearInterval(keepAlive);
      open.delete(res);
    };
    const unsubscribe = runtime.journal.subscribe((entry) => {
      if (!matches(entry, filter)) return;
      // A listener that does not read is dropped, not buffered for.
      if (res.writableLength > MAX_UNSENT) {
        close();
        res.destroy();
        return;
      }
      res.write(event(entry));
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS).unref();
    open.add(res);
    res.on('close', close);
    return reply;
  };

  const closeAll = () => {
    for (const res of open) res.end();
  };
  return { streamRequests, closeAll };
}
