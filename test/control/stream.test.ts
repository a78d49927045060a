import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { build, call } from '../helper.js';
import { INFO_CALL, JOHN } from '../providers/rocketchat/fixtures.js';
import { AUTH, WEEKLY_SYNC } from '../providers/signalwire/fixtures.js';

// GET /_emulator/requests/stream over a real socket.

type App = Awaited<ReturnType<typeof build>>;
const WAIT_MS = 5000;

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Reads an event stream as a list of messages (blank-line separated blocks); `next()` waits at most WAIT_MS. */
function reader(res: IncomingMessage) {
  let buffer = '';
  const blocks: string[] = [];
  let wake: (() => void) | undefined;
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let at;
    while ((at = buffer.indexOf('\n\n')) !== -1) {
      blocks.push(buffer.slice(0, at));
      buffer = buffer.slice(at + 2);
    }
    wake?.();
  });
  return {
    async next(): Promise<string> {
      const deadline = Date.now() + WAIT_MS;
      while (blocks.length === 0) {
        if (Date.now() > deadline) throw new Error('no event in time');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return blocks.shift()!;
    },
  };
}

function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { headers }, resolve).on('error', reject).end());
}

/** Waits (bounded) until `check` holds: the server notices a closed socket asynchronously. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const latest = async (app: App, query = '') => (await call(app, { method: 'GET', url: `/_emulator/requests?limit=1${query}` })).body.requests[0];

t.test('one event per journal entry, the same JSON as GET /_emulator/requests, filtered', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const res = await open(`${base}/_emulator/requests/stream?provider=rocketchat`);
  t.teardown(() => res.destroy());
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
  t.equal(res.headers['cache-control'], 'no-cache');
  const events = reader(res);
  t.equal(await events.next(), ': open');
  t.equal(app.emulator.journal.listeners, 1);

  await fetch(`${base}/api/video/conferences/${WEEKLY_SYNC}`, { headers: AUTH });
  await fetch(`${base}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN });
  const entry = await latest(app, '&provider=rocketchat');
  t.equal(entry.headers['x-auth-token'], '[redacted]');
  t.equal(await events.next(), `id: ${entry.id}\ndata: ${JSON.stringify(entry)}`, 'only the Rocket.Chat request, as listRequests gives it');

  await fetch(`${base}/api/v1/video-conference.info?callId=nope`, { headers: JOHN });
  const second = await latest(app);
  t.equal(second.status, 400);
  t.equal(await events.next(), `id: ${second.id}\ndata: ${JSON.stringify(second)}`);
});

t.test('closing the connection unsubscribes; Last-Event-ID replays what the journal holds', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  let res = await open(`${base}/_emulator/requests/stream?status=200&world=default`);
  t.equal(await reader(res).next(), ': open');
  t.equal(app.emulator.journal.listeners, 1);
  res.destroy();
  await until(() => app.emulator.journal.listeners === 0);
  t.pass('unsubscribed');

  for (let i = 0; i < 3; i++) await fetch(`${base}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN });
  await fetch(`${base}/api/v1/video-conference.info?callId=nope`, { headers: JOHN });
  const entries = (await call(app, { method: 'GET', url: '/_emulator/requests?status=200' })).body.requests.reverse();
  res = await open(`${base}/_emulator/requests/stream?status=200`, { 'last-event-id': String(entries[0].id) });
  t.teardown(() => res.destroy());
  const events = reader(res);
  t.equal(await events.next(), ': open');
  for (const entry of entries.slice(1)) t.equal(await events.next(), `id: ${entry.id}\ndata: ${JSON.stringify(entry)}`, `replayed ${entry.id}`);
});

t.test('with an admin token: fetch() streaming with Authorization: Bearer; without it 401', async (t) => {
  const app = await build(t, { adminToken: 's3cret' });
  const base = await listen(app);
  const denied = await fetch(`${base}/_emulator/requests/stream`);
  t.same([denied.status, denied.headers.get('content-type'), await denied.json()], [
    401,
    'application/problem+json',
    { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The control plane needs Authorization: Bearer <admin token>' },
  ]);
  const controller = new AbortController();
  t.teardown(() => controller.abort());
  const res = await fetch(`${base}/_emulator/requests/stream?operationId=get-api-v1-video-conference.info`, { headers: { authorization: 'Bearer s3cret' }, signal: controller.signal });
  t.equal(res.status, 200);
  const stream = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const read = async (until: string) => {
    const deadline = Date.now() + WAIT_MS;
    while (!text.includes(until)) {
      if (Date.now() > deadline) throw new Error('no event in time');
      const { value, done } = await stream.read();
      if (done) throw new Error('stream ended');
      text += value;
    }
  };
  await read(': open\n\n');
  await fetch(`${base}/api/v1/video-conference.info?callId=${INFO_CALL}`, { headers: JOHN });
  const entry = (await (await fetch(`${base}/_emulator/requests?limit=1`, { headers: { authorization: 'Bearer s3cret' } })).json()).requests[0];
  await read(`data: ${JSON.stringify(entry)}\n\n`);
  t.equal(text, `: open\n\nid: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`);
});

t.test('the stream answers loopback callers only by default, and checks its filters', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/_emulator/requests/stream', remoteAddress: '10.1.2.3' });
  t.same([res.status, res.headers['content-type'], res.body.title], [403, 'application/problem+json', 'Forbidden']);
  res = await call(app, { method: 'GET', url: '/_emulator/requests/stream?status=abc' });
  t.same([res.status, res.body.errors], [400, [{ path: 'query/status', message: 'must be integer' }]]);
  res = await call(app, { method: 'GET', url: '/_emulator/requests/stream?limit=1' });
  t.same([res.status, res.body.errors], [400, [{ path: 'query', message: 'must NOT have additional properties' }]]);
});

t.test('a client that does not read is disconnected, not buffered for', async (t) => {
  const app = await build(t, { validateResponses: false });
  const base = await listen(app);
  const res = await open(`${base}/_emulator/requests/stream`);
  t.equal(await reader(res).next(), ': open');
  res.pause();
  const closed = new Promise<void>((resolve) => res.on('close', resolve));
  // Each event is about 1 KB: the socket's buffers fill, then 1 MiB more queues in the server.
  let sent = 0;
  while (app.emulator.journal.listeners > 0 && sent < 50_000) {
    await call(app, { method: 'GET', url: `/api/v1/video-conference.info?callId=${INFO_CALL}`, headers: JOHN });
    sent++;
  }
  t.equal(app.emulator.journal.listeners, 0, `dropped after ${sent} requests`);
  res.resume();
  await closed;
});

t.test('closing the emulator ends open streams', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const res = await open(`${base}/_emulator/requests/stream`);
  t.equal(await reader(res).next(), ': open');
  const ended = new Promise<void>((resolve) => res.on('end', resolve));
  await app.close();
  await ended;
  t.equal(app.emulator.journal.listeners, 0);
});
