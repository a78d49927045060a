import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { PushLog, type Push } from '../../src/core/pushes.js';
import { IdSource } from '../../src/core/ids.js';
import { build, call, T0, T0_MS } from '../helper.js';

// The push log and push faults (src/core/pushes.ts), and their control routes, fed directly: the
// providers' realtime tests cover the pushes they make.

const push = (over: Partial<Push> = {}): Push => ({
  at: T0_MS,
  world: 'default',
  provider: 'rocketchat',
  connection: 'c1',
  subject: 'u1',
  channel: 'stream-notify-user/u1/video-conference',
  event: 'ring',
  callId: 'call1',
  frame: '{"msg":"changed"}',
  ...over,
});

t.test('deliver logs each push with its state; query filters, newest first; the ring is bounded', async (t) => {
  const log = new PushLog(3, new IdSource('p'));
  const sent: string[] = [];
  const ok = (frame: string) => (sent.push(frame), true);
  t.equal(log.deliver(push(), ok), 1);
  t.equal(log.deliver(push({ event: 'end', frame: 'b', at: T0_MS + 1000 }), ok), 2);
  t.equal(log.deliver(push({ subject: 'u2', frame: 'c' }), () => false), 3);
  t.same(sent, ['{"msg":"changed"}', 'b']);
  t.same(log.query().map((e) => [e.id, e.state]), [[3, 'dropped'], [2, 'sent'], [1, 'sent']]);
  t.same(log.query({ event: 'end' })[0], {
    id: 2, time: '2026-02-01T00:00:01.000Z', world: 'default', provider: 'rocketchat', connection: 'c1', subject: 'u1',
    channel: 'stream-notify-user/u1/video-conference', event: 'end', callId: 'call1', frame: 'b', state: 'sent', fault: null,
  });
  t.same(log.query({ since: T0_MS + 1 }).map((e) => e.id), [2]);
  t.same(log.query({ state: ['sent', 'acked'], limit: 1 }).map((e) => e.id), [2]);
  t.same(log.query({ after: 1, subject: 'u1' }).map((e) => e.id), [2]);
  t.equal(log.count({ connection: 'c1' }), 3);
  t.equal(log.count({ world: 'w2' }), 0);
  log.deliver(push({ frame: 'd' }), ok);
  t.equal(log.length, 3);
  t.same(log.query().map((e) => e.id), [4, 3, 2]);
  t.ok(log.ack(4));
  t.notOk(log.ack(4), 'already acked');
  t.notOk(log.ack(3), 'dropped');
  t.notOk(log.ack(1), 'no longer held');
  t.notOk(log.ack(9), 'never logged');
  t.equal(log.query({ state: 'acked' })[0].id, 4);
  log.clear();
  t.equal(log.length, 0);
  t.same(log.query(), []);
  const off = new PushLog(0, new IdSource('p'));
  t.equal(off.deliver(push(), ok), 1, 'size 0 keeps nothing but still sends');
  t.same(off.query(), []);
});

t.test('push faults drop or delay matching pushes, times and probability', async (t) => {
  const log = new PushLog(10, new IdSource('p'));
  const sent: string[] = [];
  const ok = (frame: string) => (sent.push(frame), true);
  const seen: string[] = [];
  const off = log.subscribe((e) => seen.push(`${e.id}:${e.state}`));
  t.ok(log.listening);
  const drop = log.addFault({ match: { provider: 'rocketchat', event: 'ring', world: 'default', subject: 'u1', channel: 'stream-notify-user/u1/video-conference' }, action: { drop: true }, times: 1 });
  log.addFault({ match: { provider: 'signalwire' }, action: { drop: true }, probability: 0 });
  log.deliver(push({ frame: 'a' }), ok);
  t.same(log.faults().map((f) => f.id).includes(drop.id), false, 'spent');
  log.deliver(push({ frame: 'b' }), ok);
  log.deliver(push({ provider: 'signalwire', frame: 'x' }), ok);
  log.deliver(push({ world: 'other', frame: 'w' }), ok);
  const delay = log.addFault({ match: { event: 'end' }, action: { delayMs: 30 } });
  log.deliver(push({ event: 'end', frame: 'late' }), ok);
  log.deliver(push({ event: 'end', frame: 'never' }), () => false);
  t.same(sent, ['b', 'x', 'w']);
  const entry = log.query({ event: 'end' });
  t.same(entry.map((e) => [e.state, e.fault]), [['delayed', delay.id], ['delayed', delay.id]]);
  await new Promise((resolve) => setTimeout(resolve, 80));
  t.same(sent, ['b', 'x', 'w', 'late']);
  t.same(log.query({ event: 'end' }).map((e) => e.state), ['dropped', 'sent']);
  t.equal(log.faults()[1].hits, 2);
  t.same(seen, ['1:dropped', '2:sent', '3:sent', '4:sent', '5:delayed', '6:delayed', '5:sent', '6:dropped']);
  t.ok(log.removeFault(delay.id));
  t.notOk(log.removeFault(delay.id));
  log.addFault({ match: {}, action: { delayMs: 1000 } });
  log.deliver(push({ frame: 'held' }), ok);
  log.stop();
  t.equal(log.query({ limit: 1 })[0].state, 'delayed', 'a stopped log sends nothing held');
  log.clearFaults();
  t.same(log.faults(), []);
  off();
  t.notOk(log.listening);
});

t.test('waitFor: a logged push, the next one, or undefined on timeout or abort', async (t) => {
  const log = new PushLog(10, new IdSource('p'));
  const ok = () => true;
  log.deliver(push({ event: 'ring' }), ok);
  log.deliver(push({ event: 'ring', frame: 'second' }), ok);
  t.equal((await log.waitFor({ event: 'ring' }, 10))?.id, 1, 'the oldest logged match');
  t.equal((await log.waitFor({ event: 'ring', after: 1 }, 10))?.id, 2);
  t.equal(await log.waitFor({ event: 'end' }, 10), undefined);
  const next = log.waitFor({ event: 'end', subject: 'u2' }, 1000);
  log.deliver(push({ event: 'end' }), ok);
  log.deliver(push({ event: 'end', subject: 'u2' }), () => false);
  log.deliver(push({ event: 'end', subject: 'u2', frame: 'this' }), ok);
  t.equal((await next)?.frame, 'this', 'a dropped push is not delivered');
  const acked = log.waitFor({ event: 'join', state: 'acked' }, 1000);
  const id = log.deliver(push({ event: 'join' }), ok);
  log.ack(id);
  t.equal((await acked)?.state, 'acked');
  const abort = new AbortController();
  const aborted = log.waitFor({ event: 'never' }, 10_000, abort.signal);
  abort.abort();
  t.equal(await aborted, undefined);
  t.notOk(log.listening, 'no listener left behind');
});

t.test('control routes: list, wait, clear, push faults, reset', async (t) => {
  const app = await build(t);
  const { pushes } = app.emulator;
  pushes.deliver(push(), () => true);
  pushes.deliver(push({ event: 'end', subject: 'u2', callId: null, channel: null }), () => true);

  let res = await call(app, { method: 'GET', url: '/_emulator/pushes?event=ring' });
  t.equal(res.status, 200);
  t.same(res.body, { pushes: [{ id: 1, time: T0, world: 'default', provider: 'rocketchat', connection: 'c1', subject: 'u1', channel: 'stream-notify-user/u1/video-conference', event: 'ring', callId: 'call1', frame: '{"msg":"changed"}', state: 'sent', fault: null }] });
  res = await call(app, { method: 'GET', url: '/_emulator/pushes?state=delivered&after=1&since=2026-02-01T00:00:00.000Z&limit=5&world=default&provider=rocketchat&connection=c1' });
  t.same(res.body.pushes.map((p: { id: number }) => p.id), [2]);
  res = await call(app, { method: 'GET', url: '/_emulator/pushes?state=nope' });
  t.equal(res.status, 400);

  res = await call(app, { method: 'GET', url: '/_emulator/pushes/wait?subject=u2&event=end&timeoutMs=10' });
  t.equal(res.status, 200);
  t.equal(res.body.push.id, 2);
  res = await call(app, { method: 'GET', url: '/_emulator/pushes/wait?subject=u3&timeoutMs=10' });
  t.equal(res.status, 408);
  t.same(res.body, { type: 'about:blank', title: 'Request Timeout', status: 408, detail: 'No matching push within 10 ms' });
  const waiting = call(app, { method: 'GET', url: '/_emulator/pushes/wait?subject=u3&callId=call9&channel=c&state=sent' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  pushes.deliver(push({ subject: 'u3', callId: 'call9', channel: 'c' }), () => true);
  res = await waiting;
  t.equal(res.status, 200);
  t.equal(res.body.push.id, 3);

  res = await call(app, { method: 'POST', url: '/_emulator/pushes/faults', payload: { match: { provider: 'nope' }, action: { drop: true } } });
  t.equal(res.status, 400);
  t.same(res.body.errors, [{ path: 'body/match/provider', message: 'must be one of rocketchat, signalwire, dingtalk' }]);
  res = await call(app, { method: 'POST', url: '/_emulator/pushes/faults', payload: { match: { provider: 'rocketchat' }, action: {} } });
  t.equal(res.status, 400);
  res = await call(app, { method: 'POST', url: '/_emulator/pushes/faults', payload: { match: { provider: 'rocketchat', event: 'ring' }, action: { drop: true }, times: 2 } });
  t.equal(res.status, 201);
  const faultId = res.body.id;
  res = await call(app, { method: 'POST', url: '/_emulator/pushes/faults', payload: { action: { delayMs: 5 }, probability: 0.5 } });
  t.equal(res.status, 201);
  res = await call(app, { method: 'GET', url: '/_emulator/pushes/faults' });
  t.same(res.body.faults.map((f: { id: string; hits: number; times?: number }) => [f.id, f.hits, f.times]), [[faultId, 0, 2], [res.body.faults[1].id, 0, undefined]]);
  pushes.deliver(push(), () => true);
  t.same((await call(app, { method: 'GET', url: '/_emulator/pushes?limit=1' })).body.pushes[0].fault, faultId);
  t.equal((await call(app, { method: 'DELETE', url: `/_emulator/pushes/faults/${faultId}` })).status, 204);
  t.equal((await call(app, { method: 'DELETE', url: `/_emulator/pushes/faults/${faultId}` })).status, 404);
  t.equal((await call(app, { method: 'DELETE', url: '/_emulator/pushes/faults' })).status, 204);
  t.same((await call(app, { method: 'GET', url: '/_emulator/pushes/faults' })).body, { faults: [] });
  t.equal((await call(app, { method: 'DELETE', url: '/_emulator/pushes' })).status, 204);
  t.same((await call(app, { method: 'GET', url: '/_emulator/pushes' })).body, { pushes: [] });
  pushes.deliver(push(), () => true);
  pushes.addFault({ match: {}, action: { drop: true } });
  t.equal((await call(app, { method: 'POST', url: '/_emulator/reset' })).status, 204);
  t.same((await call(app, { method: 'GET', url: '/_emulator/pushes' })).body, { pushes: [] });
  t.same(pushes.faults(), []);
});

function open(url: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, { headers }, resolve).on('error', reject).end());
}

t.test('GET /_emulator/pushes/stream: live pushes and state changes; Last-Event-ID replays; a closed wait leaves no listener', async (t) => {
  const app = await build(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { pushes } = app.emulator;
  pushes.deliver(push({ frame: 'old' }), () => true);
  pushes.deliver(push({ frame: 'other', subject: 'u9' }), () => true);
  const res = await open(`${base}/_emulator/pushes/stream?subject=u1`, { 'last-event-id': '0' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
  res.setEncoding('utf8');
  let text = '';
  res.on('data', (chunk: string) => (text += chunk));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await until(() => text.includes('"frame":"old"'));
  pushes.addFault({ match: {}, action: { delayMs: 20 }, times: 1 });
  pushes.deliver(push({ frame: 'new' }), () => true);
  pushes.deliver(push({ frame: 'skipped', subject: 'u9' }), () => true);
  await until(() => text.includes('"state":"sent"') && text.split('"frame":"new"').length === 3);
  const events = text.split('\n\n').filter((b) => b.startsWith('id:')).map((b) => {
    const [id, data] = b.split('\n');
    return [id, JSON.parse(data.slice(6)).frame, JSON.parse(data.slice(6)).state];
  });
  t.same(events, [['id: 1', 'old', 'sent'], ['id: 3', 'new', 'delayed'], ['id: 3', 'new', 'sent']]);
  res.destroy();

  const wait = open(`${base}/_emulator/pushes/wait?event=never&timeoutMs=60000`);
  await until(() => pushes.listening && !text.includes('never'));
  const req = await Promise.race([wait, new Promise((resolve) => setTimeout(resolve, 50))]);
  t.equal(req, undefined, 'still waiting');
  app.server.closeAllConnections();
  await until(() => !pushes.listening);
  t.notOk(pushes.listening);
  await wait.catch(() => undefined);
});
