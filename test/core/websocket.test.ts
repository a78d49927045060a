import { once } from 'node:events';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { WebSocket } from 'ws';
import { WorldEvents, type DomainEvent } from '../../src/core/events.js';
import { mountWebSockets, sendFrame } from '../../src/core/websocket.js';

async function echoServer(t: Test, maxBuffered = 4 * 1024 * 1024) {
  const app = Fastify();
  const accepted: WebSocket[] = [];
  mountWebSockets(
    app,
    [
      {
        paths: ['/echo', '/echo/'],
        connect(socket) {
          accepted.push(socket);
          socket.on('message', (data) => sendFrame(socket, String(data), { maxPayload: 1024, maxBuffered }));
        },
      },
    ],
    { maxPayload: 1024, maxBuffered },
  );
  app.get('/plain', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const { port } = app.server.address() as { port: number };
  return { app, port, accepted };
}

t.test('an upgrade on a routed path is accepted and frames flow both ways', async (t) => {
  const { port } = await echoServer(t);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/echo?x=1`);
  await once(ws, 'open');
  ws.send('hello');
  const [data] = await once(ws, 'message');
  t.equal(String(data), 'hello');
  ws.close();
  await once(ws, 'close');
});

t.test('an upgrade on any other path is refused with 404 and plain HTTP is untouched', async (t) => {
  const { port } = await echoServer(t);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/nowhere`);
  const [, res] = await once(ws, 'unexpected-response');
  t.equal(res.statusCode, 404);
  const plain = await fetch(`http://127.0.0.1:${port}/plain`);
  t.equal(plain.status, 200);
  t.same(await plain.json(), { ok: true });
});

t.test('a frame over maxPayload closes the socket with 1009', async (t) => {
  const { port } = await echoServer(t);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`);
  await once(ws, 'open');
  ws.send('x'.repeat(2048));
  const [code] = await once(ws, 'close');
  t.equal(code, 1009);
});

t.test('sendFrame closes a socket whose queue passed the limit and sends nothing more', async (t) => {
  const { port, accepted } = await echoServer(t, 10);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/echo`);
  await once(ws, 'open');
  const server = accepted[0];
  t.equal(sendFrame(server, 'x'.repeat(11), { maxPayload: 1024, maxBuffered: 10 }), false);
  const [code] = await once(ws, 'close');
  t.equal(code, 1008);
  t.equal(sendFrame(server, 'late'), false, 'a closed socket takes no frame');
});

t.test('closing the app terminates open sockets', async (t) => {
  const app = Fastify();
  mountWebSockets(app, [{ paths: ['/s'], connect() {} }]);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/s`);
  await once(ws, 'open');
  const closed = once(ws, 'close');
  await app.close();
  await closed;
  t.pass('closed');
});

t.test('no routes mounts nothing', async (t) => {
  const app = Fastify();
  mountWebSockets(app, []);
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  t.equal(app.server.listenerCount('upgrade'), 0);
});

t.test('world events reach listeners while they listen, and a failing listener harms no other', async (t) => {
  const events = new WorldEvents();
  t.equal(events.listening, false);
  events.emit({ provider: 'p', type: 'nobody', at: 0, data: {} });
  const seen: DomainEvent[] = [];
  const offBad = events.on(() => {
    throw new Error('broken listener');
  });
  const off = events.on((e) => seen.push(e));
  t.equal(events.listening, true);
  events.emit({ provider: 'p', type: 'a', at: 1, data: { id: 1 } });
  off();
  offBad();
  events.emit({ provider: 'p', type: 'b', at: 2, data: {} });
  t.same(seen, [{ provider: 'p', type: 'a', at: 1, data: { id: 1 } }]);
  t.equal(events.listening, false);
});
