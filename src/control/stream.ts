import type { ServerResponse } from 'node:http';
import type { JournalEntry, JournalFilter } from '../core/journal.js';
import type { Handler, HandlerContext } from '../core/provider.js';
import { pushMatches, type PushEntry, type PushFilter } from '../core/pushes.js';
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

interface Source<E extends { id: number }> {
  /** Logged entries matching the request's filters, newest first. */
  backlog(ctx: HandlerContext): E[];
  /** Listens until the returned function is called. */
  subscribe(listener: (entry: E) => void): () => void;
  matches(entry: E, ctx: HandlerContext): boolean;
  /** The entry as `data`. */
  shown(entry: E): unknown;
}

/**
 * A log as Server-Sent Events: one event per entry (`id` its id, `data` its JSON), a backlog after
 * `Last-Event-ID`, a keep-alive comment every 15 s, and a listener that does not read disconnected.
 */
function eventStream<E extends { id: number }>(source: Source<E>, open: Set<ServerResponse>): Handler {
  const event = (entry: E) => `id: ${entry.id}\ndata: ${JSON.stringify(source.shown(entry))}\n\n`;
  return (ctx) => {
    const reply = ctx.reply;
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    let text = ': open\n\n';
    const last = Number(ctx.req.headers['last-event-id']);
    if (Number.isInteger(last)) {
      for (const entry of source.backlog(ctx).reverse()) if (entry.id > last) text += event(entry);
    }
    res.write(text);
    const close = () => {
      unsubscribe();
      clearInterval(keepAlive);
      open.delete(res);
    };
    const unsubscribe = source.subscribe((entry) => {
      if (!source.matches(entry, ctx)) return;
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
}

/**
 * `GET /_emulator/requests/stream` and `GET /_emulator/pushes/stream` (openapi/emulator.yaml): the
 * journal and the push log as Server-Sent Events. Each log calls the listener only while a stream is
 * open; `closeAll` ends every stream (on close).
 */
export function logStreams(runtime: Runtime, pushFilter: (ctx: HandlerContext) => PushFilter): { streamRequests: Handler; streamPushes: Handler; closeAll: () => void } {
  const open = new Set<ServerResponse>();
  const streamRequests = eventStream<JournalEntry>(
    {
      backlog: (ctx) => runtime.journal.query(ctx.query as StreamFilter),
      subscribe: (listener) => runtime.journal.subscribe(listener),
      matches: (entry, ctx) => matches(entry, ctx.query as StreamFilter),
      shown: ({ timeMs: _t, ...shown }) => shown,
    },
    open,
  );
  const streamPushes = eventStream<PushEntry>(
    {
      backlog: (ctx) => runtime.pushes.query(pushFilter(ctx)),
      subscribe: (listener) => runtime.pushes.subscribe(listener),
      matches: (entry, ctx) => pushMatches(entry, pushFilter(ctx)),
      shown: (entry) => entry,
    },
    open,
  );
  const closeAll = () => {
    for (const res of open) res.end();
  };
  return { streamRequests, streamPushes, closeAll };
}
