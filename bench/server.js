// One benchmark server, in its own process so that its RSS is its own. Plain JavaScript on the
// built emulator (dist/): no TypeScript loader in the measured process.
// Usage: node bench/server.js '<case json>'   (spawned by bench/run.ts with an IPC channel)
//   {"kind":"bare"}                                      Fastify answering a constant 1 KB JSON
//   {"kind":"emulator","db":":memory:","rateLimits":true,"roomCalls":100000,"journalSize":1000,"logging":"json"}
import Fastify from 'fastify';

const DIST = new URL('../dist/src/', import.meta.url);
const BENCH_ROOM = 'benchroom0000000000000001';

const spec = JSON.parse(process.argv[2] ?? '{"kind":"bare"}');

// 1 KB of JSON, serialised per request like any handler's object.
const KB = { success: true, items: Array.from({ length: 12 }, (_, i) => ({ id: `item-${String(i).padStart(4, '0')}`, name: 'constant', value: i * 7, ok: true })) };

/** A public room holding `n` ended calls (no deadline: nothing to settle), inserted straight into the store. */
function seedRoom(app, n) {
  const db = app.emulator.db;
  const world = 'default';
  db.prepare('INSERT INTO rocketchat_rooms (world, _id, t, name, fname, ro, archived, muted, unmuted) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)').run(
    world,
    BENCH_ROOM,
    'c',
    'bench',
    'bench',
    '[]',
    '[]',
  );
  const insert = db.prepare('INSERT INTO rocketchat_calls (world, _id, rid, created_at, mark, deadline, callee_id, doc) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)');
  const base = Date.parse('2025-01-01T00:00:00.000Z');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = base + i * 1000;
      const id = Math.floor(at / 1000).toString(16).padStart(8, '0') + i.toString(16).padStart(16, '0');
      const iso = new Date(at).toISOString();
      const doc = {
        _id: id,
        type: 'videoconference',
        users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', avatarETag: null, ts: iso }],
        messages: { started: `m${i.toString(36).padStart(16, '0')}` },
        status: 3,
        anonymousUsers: 0,
        createdAt: iso,
        providerName: 'googlemeet',
        title: `bench call ${i}`,
        rid: BENCH_ROOM,
        createdBy: { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' },
        _updatedAt: iso,
        url: `http://g.co/meet/RocketChat_${id}`,
        endedAt: new Date(at + 600_000).toISOString(),
      };
      insert.run(world, id, BENCH_ROOM, at, at, JSON.stringify(doc));
    }
    db.prepare('INSERT INTO rocketchat_room_call_counts (world, rid, total) VALUES (?, ?, ?)').run(world, BENCH_ROOM, n);
  })();
}

let app;
if (spec.kind === 'bare') {
  app = Fastify({ logger: false });
  app.get('/bare', async () => KB);
} else {
  const { buildApp } = await import(new URL('app.js', DIST).href);
  app = await buildApp({
    db: spec.db ?? ':memory:',
    rateLimits: spec.rateLimits ?? true,
    ...(spec.journalSize === undefined ? {} : { journalSize: spec.journalSize }),
    // What the CLI does by default: level info, JSON when stdout is not a terminal (pretty on one).
    ...(spec.logging ? { logLevel: 'info', logFormat: spec.logging } : {}),
  });
  if (spec.roomCalls) {
    seedRoom(app, spec.roomCalls);
    // The seeding's garbage (100k documents built in JS) would otherwise be collected during the measured load.
    globalThis.gc?.();
  }
}
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ port: app.server.address().port });

process.on('message', (msg) => {
  if (msg === 'rss') {
    process.send?.({ rss: process.memoryUsage().rss });
  } else if (msg === 'memory') {
    // After a full collection: what is held, not what is waiting to be collected.
    globalThis.gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    process.send?.({ memory: { rss, heapUsed, external } });
  } else if (msg === 'close') {
    app.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
