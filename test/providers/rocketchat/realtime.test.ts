import { once } from 'node:events';
import t from 'tap';
import { WebSocket } from 'ws';
import { build, T0_MS } from '../../helper.js';
import { changed, Client, client, listen, meteorError, rest, userEvent } from './ddp.js';
import { DM, JANE, JOHN, OUTSIDER, PRIVATE_ROOM, UI_TEST } from './fixtures.js';

// The DDP protocol at /websocket, frame by frame (reference events.md §1; Meteor's livedata_server.js).

const GENERAL_ROOM = 'GENERAL';

t.test('connect: welcome, session, version negotiation, errors for frames it cannot read', async (t) => {
  const app = await build(t);
  const port = await listen(app);
  const c = await client(t, port);
  await c.open();
  t.same(await c.next(), { server_id: '0' });
  c.send({ msg: 'ping' });
  t.same(await c.next(), { msg: 'error', reason: 'Must connect first', offendingMessage: { msg: 'ping' } });
  c.send('{not json');
  t.same(await c.next(), { msg: 'error', reason: 'Bad request' });
  c.send('[1,2]');
  t.same(await c.next(), { msg: 'error', reason: 'Bad request', offendingMessage: [1, 2] });
  c.send('42');
  t.same(await c.next(), { msg: 'error', reason: 'Bad request' });
  c.send({ hello: 1 });
  t.same(await c.next(), { msg: 'error', reason: 'Bad request', offendingMessage: { hello: 1 } });
  c.ws.send(Buffer.from([0xff, 0x00]), { binary: true });
  t.same(await c.next(), { msg: 'error', reason: 'Bad request' });
  c.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
  const connected = await c.next();
  t.same(Object.keys(connected), ['msg', 'session']);
  t.equal(connected.msg, 'connected');
  t.match(connected.session, /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
  c.send({ msg: 'connect', version: '1', support: ['1'] });
  t.same(await c.next(), { msg: 'error', reason: 'Already connected', offendingMessage: { msg: 'connect', version: '1', support: ['1'] } });
  c.send({ msg: 'ping', id: 'p1' });
  t.same(await c.next(), { msg: 'pong', id: 'p1' });
  c.send({ msg: 'ping' });
  t.same(await c.next(), { msg: 'pong' });
  c.send({ msg: 'pong' });
  c.send({ msg: 'nonsense', id: 1 });
  t.same(await c.next(), { msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'nonsense', id: 1 } });
  c.send({ msg: 'method', method: 'login' });
  t.same(await c.next(), { msg: 'error', reason: 'Malformed method invocation', offendingMessage: { msg: 'method', method: 'login' } });
  c.send({ msg: 'method', method: 'x', id: '1', params: {} });
  t.equal((await c.next()).reason, 'Malformed method invocation');
  c.send({ msg: 'method', method: 'x', id: '1', randomSeed: 5 });
  t.equal((await c.next()).reason, 'Malformed method invocation');
  c.send({ msg: 'sub', id: 7, name: 'x' });
  t.same(await c.next(), { msg: 'error', reason: 'Malformed subscription', offendingMessage: { msg: 'sub', id: 7, name: 'x' } });
  c.send({ msg: 'sub', id: 's', name: 'x', params: 'no' });
  t.equal((await c.next()).reason, 'Malformed subscription');
  c.send({ msg: 'method', method: 'logout', id: 'bare' });
  t.same(await c.take(2), [{ msg: 'result', id: 'bare' }, { msg: 'updated', methods: ['bare'] }], 'params may be left out');
  c.send({ msg: 'sub', id: 'bare', name: 'stream-notify-user' });
  t.same(await c.next(), { msg: 'nosub', id: 'bare', error: meteorError(500, 'Internal server error') }, 'a stream needs its event name');
  const id = c.call('no.such.method', 1);
  t.same(await c.take(2), [{ msg: 'result', id, error: meteorError(404, "Method 'no.such.method' not found") }, { msg: 'updated', methods: [id] }]);
  const sid = c.sub('no-such-stream');
  t.same(await c.next(), { msg: 'nosub', id: sid, error: meteorError(404, "Subscription 'no-such-stream' not found") });
  c.send({ msg: 'unsub', id: 'never-subscribed' });
  t.same(await c.next(), { msg: 'nosub', id: 'never-subscribed' });
  t.same(await c.quiet(), []);

  // A version the client does not itself support, or none the server speaks: `failed`, then the socket closes.
  for (const [connect, version] of [
    [{ msg: 'connect', version: '2', support: ['1'] }, '1'],
    [{ msg: 'connect', version: 'pre1', support: ['pre2', 'pre1'] }, 'pre2'],
    [{ msg: 'connect', version: 'x', support: ['x'] }, '1'],
  ] as const) {
    const f = await client(t, port);
    await f.open();
    await f.next();
    f.send(connect);
    t.same(await f.next(), { msg: 'failed', version });
    await once(f.ws, 'close');
  }
  // A client speaking pre1 gets no heartbeat; its ping is an unknown message.
  const old = await client(t, port);
  await old.open();
  await old.next();
  old.send({ msg: 'connect', version: 'pre1', support: ['pre1'] });
  t.equal((await old.next()).msg, 'connected');
  old.send({ msg: 'ping' });
  t.same(await old.next(), { msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'ping' } });
});

t.test('other paths are not the DDP endpoint; the /websocket/ form is', async (t) => {
  const app = await build(t);
  const port = await listen(app);
  const slash = new Client(port, {}, '/websocket/');
  t.teardown(() => slash.ws.terminate());
  await slash.open();
  t.same(await slash.next(), { server_id: '0' });
  const other = new WebSocket(`ws://127.0.0.1:${port}/sockjs/websocket`);
  const [, res] = await once(other, 'unexpected-response');
  t.equal(res.statusCode, 404);
});

t.test('login: resume token and password forms, Meteor errors, logout', async (t) => {
  const app = await build(t);
  const port = await listen(app);
  const c = await client(t, port);
  await c.connect();

  let id = c.call('login', { resume: JANE['x-auth-token'] });
  t.same(await c.take(2), [
    { msg: 'result', id, result: { id: JANE['x-user-id'], token: JANE['x-auth-token'], tokenExpires: { $date: T0_MS + 90 * 86_400_000 }, type: 'resume' } },
    { msg: 'updated', methods: [id] },
  ]);
  const failures: [unknown, object][] = [
    [{ resume: 'nope' }, meteorError(403, "You've been logged out by the server. Please log in again.")],
    [{ resume: 5 }, meteorError(400, 'Match failed')],
    ['jane', meteorError(400, 'Match failed')],
    [[{ resume: JANE['x-auth-token'] }], meteorError(400, 'Match failed')],
    [{ user: { username: 'jane.doe' } }, meteorError(400, 'Unrecognized options for login request')],
    [{ user: { username: 'nobody' }, password: 'x' }, meteorError(403, 'User not found')],
    [{ user: { username: 'jane.doe' }, password: 'wrong' }, meteorError(403, 'Incorrect password')],
    [{ user: { username: 'jane.doe' }, password: { digest: 'x', algorithm: 'md5' } }, meteorError(400, 'Match failed')],
    [{ user: { nickname: 'jane' }, password: 'jane-pass' }, meteorError(400, 'Match failed')],
  ];
  for (const [options, error] of failures) {
    id = c.call('login', options);
    t.same(await c.take(2), [{ msg: 'result', id, error }, { msg: 'updated', methods: [id] }], JSON.stringify(options));
  }
  id = c.call('login');
  t.same((await c.take(2))[0], { msg: 'result', id, error: meteorError(400, 'Match failed') });

  // The password forms: plain or sha-256 digest, by username or email; each login is a new token of the world.
  id = c.call('login', { user: { email: 'john@example.com' }, password: 'john-pass' });
  const [result] = await c.take(2);
  t.match(result.result, { id: JOHN['x-user-id'], token: /^[A-Za-z0-9_-]{43}$/, tokenExpires: { $date: T0_MS + 90 * 86_400_000 }, type: 'password' });
  const me = await rest(app, 'me', { 'x-user-id': JOHN['x-user-id'], 'x-auth-token': result.result.token });
  t.equal(me.status, 200, 'the new token works over REST');
  id = c.call('login', { user: { username: 'jane.doe' }, password: { digest: '1b6a4f1c5f7a5d7b1c5d8d34ecf3b0c4d6f3b8f0d8bd7f5a1f6b1f1e1d3a2b1c', algorithm: 'sha-256' } });
  t.same((await c.take(2))[0].error, meteorError(403, 'Incorrect password'));

  // Logout removes the token it logged in with, and the user's subscriptions end.
  const sid = c.sub('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, false);
  t.same(await c.next(), { msg: 'ready', subs: [sid] });
  id = c.call('logout');
  t.same(await c.take(3), [{ msg: 'nosub', id: sid, error: meteorError('not-allowed') }, { msg: 'result', id }, { msg: 'updated', methods: [id] }]);
  t.equal((await rest(app, 'me', { 'x-user-id': JOHN['x-user-id'], 'x-auth-token': result.result.token })).status, 401);
  id = c.call('logout');
  t.same(await c.take(2), [{ msg: 'result', id }, { msg: 'updated', methods: [id] }], 'logging out twice is harmless');

  // A token removed closes every connection logged in with it: by a DDP logout elsewhere, or by REST logout.
  const first = await client(t, port);
  await first.connect();
  first.call('login', { user: { username: 'jane.doe' }, password: 'jane-pass' });
  const token = (await first.take(2))[0].result.token;
  const second = await client(t, port);
  await second.login(token);
  const third = await client(t, port);
  await third.login(JANE['x-auth-token']);
  const secondClosed = once(second.ws, 'close');
  id = first.call('logout');
  t.same(await first.take(2), [{ msg: 'result', id }, { msg: 'updated', methods: [id] }]);
  await secondClosed;
  t.equal(third.ws.readyState, WebSocket.OPEN, 'another token of the same user stays');
  const thirdClosed = once(third.ws, 'close');
  t.equal((await rest(app, 'logout', JANE, {})).status, 200);
  await thirdClosed;
  t.equal(first.ws.readyState, WebSocket.OPEN, 'a logged-out connection stays open');

  // A password login looks in the world the upgrade names.
  const created = await app.inject({ method: 'POST', url: '/_emulator/worlds', payload: { name: 'other' } });
  const world = created.json();
  const johnThere = world.credentials.rocketchat.users.find((u: any) => u.username === 'john.doe');
  for (const headers of [{ 'x-emulator-world': world.id }, {}] as Record<string, string>[]) {
    const w = new Client(port, headers, Object.keys(headers).length ? '/websocket' : `/websocket?world=${world.id}`);
    t.teardown(() => w.ws.terminate());
    await w.connect();
    const lid = w.call('login', { user: { username: 'john.doe' }, password: 'john-pass' });
    const [res] = await w.take(2);
    t.equal(res.result.id, johnThere.userId);
    t.equal((await rest(app, 'me', { 'x-user-id': johnThere.userId, 'x-auth-token': res.result.token })).status, 200);
    t.equal(lid, res.id);
  }
  const nowhere = await client(t, port, { 'x-emulator-world': 'no-such-world' });
  await nowhere.connect();
  id = nowhere.call('login', { user: { username: 'john.doe' }, password: 'john-pass' });
  t.same((await nowhere.take(2))[0].error, meteorError(403, 'User not found'));
});

t.test('subscriptions: own user stream only, room streams by room access, the Streamer errors', async (t) => {
  const app = await build(t);
  const port = await listen(app);
  const anon = await client(t, port);
  await anon.connect();
  let sid = anon.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
  t.same(await anon.next(), { msg: 'nosub', id: sid, error: meteorError('not-allowed') }, 'before login');
  sid = anon.sub('stream-notify-all', 'public-settings-changed', false);
  t.same(await anon.next(), { msg: 'ready', subs: [sid] }, 'notify-all is open to all');
  sid = anon.sub('stream-notify-room', `${UI_TEST}/videoconf`, false);
  t.same(await anon.next(), { msg: 'nosub', id: sid, error: meteorError('not-allowed') }, 'a room stream needs a user');
  sid = anon.sub('stream-notify-logged', 'user-status', false);
  t.same(await anon.next(), { msg: 'nosub', id: sid, error: meteorError('not-allowed') });

  const jane = await client(t, port);
  await jane.login(JANE['x-auth-token']);
  const cases: [unknown[], string | object][] = [
    [[`${JANE['x-user-id']}/video-conference`, false], 'ready'],
    [[`${JANE['x-user-id']}/video-conference`, { useCollection: false, args: [null] }], 'ready'],
    [[`${JANE['x-user-id']}/rooms-changed`], 'ready'],
    [[`${JOHN['x-user-id']}/video-conference`, false], meteorError('not-allowed')],
    [['', false], meteorError('invalid-event-name')],
    [[[], false], meteorError('invalid-event-name')],
    [[undefined, false], meteorError(500, 'Internal server error')],
    [[42, false], meteorError(500, 'Internal server error')],
    [[`${JANE['x-user-id']}/video-conference`, null], meteorError(500, 'Internal server error')],
  ];
  for (const [params, expected] of cases) {
    sid = jane.sub('stream-notify-user', ...params);
    t.same(await jane.next(), expected === 'ready' ? { msg: 'ready', subs: [sid] } : { msg: 'nosub', id: sid, error: expected }, JSON.stringify(params));
  }
  for (const [name, eventName, allowed] of [
    ['stream-notify-room', `${UI_TEST}/videoconf`, true],
    ['stream-notify-room', `${PRIVATE_ROOM}/videoconf`, true],
    ['stream-notify-room', `${DM}/${'697887e3c8b0533020781a4a'}`, true],
    ['stream-notify-room', 'no-such-room/videoconf', false],
    ['stream-room-messages', UI_TEST, true],
    ['stream-room-messages', '__my_messages__', true],
    ['stream-room-data', 'no-such-room', false],
    ['stream-notify-room-users', `${UI_TEST}/video-conference`, false],
    ['stream-notify-logged', 'user-status', true],
    ['stream-importers', 'progress', true],
  ] as const) {
    sid = jane.sub(name, eventName, false);
    t.same(await jane.next(), allowed ? { msg: 'ready', subs: [sid] } : { msg: 'nosub', id: sid, error: meteorError('not-allowed') }, `${name} ${eventName}`);
  }
  // useCollection: the stream's document is added before ready.
  sid = jane.sub('stream-notify-user', `${JANE['x-user-id']}/notification`, true);
  t.same(await jane.take(2), [{ msg: 'added', collection: 'stream-notify-user', id: 'id', fields: { eventName: `${JANE['x-user-id']}/notification` } }, { msg: 'ready', subs: [sid] }]);
  sid = jane.sub('stream-notify-user', `${JANE['x-user-id']}/otr`, { useCollection: true });
  t.equal((await jane.take(2))[1].msg, 'ready');
  // A sub id already live is ignored; unsub answers nosub.
  jane.send({ msg: 'sub', id: sid, name: 'stream-notify-user', params: [`${JANE['x-user-id']}/otr`] });
  t.same(await jane.quiet(), []);
  jane.send({ msg: 'unsub', id: sid });
  t.same(await jane.next(), { msg: 'nosub', id: sid });

  // The outsider has no access to the private room.
  const outsider = await client(t, port);
  await outsider.login(OUTSIDER['x-auth-token']);
  sid = outsider.sub('stream-notify-room', `${PRIVATE_ROOM}/videoconf`, false);
  t.same(await outsider.next(), { msg: 'nosub', id: sid, error: meteorError('not-allowed') });

  // Logging in again as another user runs every subscription again: ready again, or refused now.
  const switcher = await client(t, port);
  await switcher.login(JANE['x-auth-token']);
  const mine = switcher.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
  const shared = switcher.sub('stream-notify-room', `${UI_TEST}/videoconf`, false);
  t.same(await switcher.take(2), [{ msg: 'ready', subs: [mine] }, { msg: 'ready', subs: [shared] }]);
  const id = switcher.call('login', { resume: JOHN['x-auth-token'] });
  t.same(await switcher.take(4), [
    { msg: 'nosub', id: mine, error: meteorError('not-allowed') },
    { msg: 'ready', subs: [shared] },
    { msg: 'result', id, result: { id: JOHN['x-user-id'], token: JOHN['x-auth-token'], tokenExpires: { $date: T0_MS + 90 * 86_400_000 }, type: 'resume' } },
    { msg: 'updated', methods: [id] },
  ]);
});

t.test('server pushes: ring, join, end, the room events, each frame as the 8.x server sends it', async (t) => {
  const app = await build(t, { rateLimits: false });
  const port = await listen(app);
  const jane = await client(t, port);
  await jane.login(JANE['x-auth-token']);
  const john = await client(t, port);
  await john.login(JOHN['x-auth-token']);
  const outsider = await client(t, port);
  await outsider.login(OUTSIDER['x-auth-token']);
  for (const [c, uid] of [[jane, JANE['x-user-id']], [john, JOHN['x-user-id']], [outsider, OUTSIDER['x-user-id']]] as const) {
    c.sub('stream-notify-user', `${uid}/video-conference`, false);
    await c.next();
  }
  jane.sub('stream-notify-room', `${UI_TEST}/videoconf`, false);
  jane.sub('stream-notify-room', `${DM}/videoconf`, false);
  await jane.take(2);

  // A group call without ringing rings no one; with ringing, every member but the caller.
  await rest(app, 'video-conference.start', JOHN, { roomId: UI_TEST });
  t.same(await jane.quiet(), []);
  const group = (await rest(app, 'video-conference.start', JOHN, { roomId: UI_TEST, allowRinging: true })).body.data.callId;
  t.same(await jane.next(), userEvent(JANE['x-user-id'], 'ring', { callId: group, rid: UI_TEST, uid: JOHN['x-user-id'] }));
  t.same(await john.quiet(), [], 'not the caller');
  t.same(await outsider.quiet(), [], 'not a member');
  // Someone joining a group call: the room event (the deprecated <rid>/<callId> first, to its subscribers).
  jane.sub('stream-notify-room', `${UI_TEST}/${group}`, false);
  await jane.next();
  await rest(app, 'video-conference.join', JANE, { callId: group });
  t.same(await jane.take(2), [changed('stream-notify-room', `${UI_TEST}/${group}`, []), changed('stream-notify-room', `${UI_TEST}/videoconf`, [group])]);
  await rest(app, 'video-conference.join', JANE, { callId: group });
  t.same(await jane.quiet(), [], 'a repeat join changes nothing');
  await app.inject({ method: 'POST', url: '/api/v1/video-conference.join', payload: { callId: group } });
  t.same(await jane.quiet(), [], 'an anonymous join pushes nothing');

  // A direct call: nothing at start; the callee joining tells both, then the room; ending tells the caller.
  const direct = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  t.same(await jane.quiet(), []);
  await rest(app, 'video-conference.join', JOHN, { callId: direct });
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'join', { rid: DM, uid: JOHN['x-user-id'], callId: direct }), 'the caller joining its own call');
  await rest(app, 'video-conference.join', JANE, { callId: direct });
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'join', { rid: DM, uid: JANE['x-user-id'], callId: direct }));
  t.same(await jane.take(2), [userEvent(JANE['x-user-id'], 'join', { rid: DM, uid: JANE['x-user-id'], callId: direct }), changed('stream-notify-room', `${DM}/videoconf`, [direct])]);
  await app.inject({ method: 'POST', url: `/_emulator/rocketchat/calls/${direct}/end`, payload: {} });
  t.same(await jane.next(), changed('stream-notify-room', `${DM}/videoconf`, [direct]));
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId: direct }));
  t.same(await jane.quiet(), [], 'jane had joined: no end for her');

  // Cancelled while ringing: the room event; ended through the control plane before anyone joined: both are told.
  const cancelled = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  await rest(app, 'video-conference.cancel', JOHN, { callId: cancelled });
  t.same(await jane.next(), changed('stream-notify-room', `${DM}/videoconf`, [cancelled]));
  const unanswered = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  await app.inject({ method: 'POST', url: `/_emulator/rocketchat/calls/${unanswered}/end`, payload: {} });
  t.same(await jane.take(2), [changed('stream-notify-room', `${DM}/videoconf`, [unanswered]), userEvent(JANE['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId: unanswered })]);
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId: unanswered }));
  // Ending a group call: the room event only.
  await app.inject({ method: 'POST', url: `/_emulator/rocketchat/calls/${group}/end`, payload: {} });
  t.same(await jane.take(2), [changed('stream-notify-room', `${UI_TEST}/${group}`, []), changed('stream-notify-room', `${UI_TEST}/videoconf`, [group])]);
  t.same(await john.quiet(), []);

  // Every frame is in the push log, with its recipient.
  const log = (await app.inject({ method: 'GET', url: `/_emulator/pushes?subject=${JOHN['x-user-id']}` })).json();
  t.same(log.pushes.map((p: any) => [p.event, p.callId, p.state]).reverse(), [
    ['join', direct, 'sent'],
    ['join', direct, 'sent'],
    ['end', direct, 'sent'],
    ['end', unanswered, 'sent'],
  ]);
});

t.test('the 40 s ring timeout on the world clock: end to the caller and the callee, then the decline', async (t) => {
  const app = await build(t, { rateLimits: false });
  const port = await listen(app);
  const jane = await client(t, port);
  await jane.login(JANE['x-auth-token']);
  const john = await client(t, port);
  await john.login(JOHN['x-auth-token']);
  john.sub('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, false);
  jane.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
  jane.sub('stream-notify-room', `${DM}/videoconf`, false);
  await john.next();
  await jane.take(2);

  const callId = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 39_999 } });
  t.same(await jane.quiet(), [], 'still ringing');
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 1 } });
  const params = { rid: DM, uid: JOHN['x-user-id'], callId };
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'end', params));
  t.same(await jane.take(2), [userEvent(JANE['x-user-id'], 'end', params), changed('stream-notify-room', `${DM}/videoconf`, [callId])]);
  t.equal((await rest(app, `video-conference.info?callId=${callId}`, JANE)).body.status, 4, 'declined already');
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 60_000 } });
  t.same(await jane.quiet(), [], 'once');

  // An answered direct call: at 40 s the server still tells the caller it ended (its timer does not look), not the callee who joined.
  const answered = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  await rest(app, 'video-conference.join', JANE, { callId: answered });
  t.equal((await john.next()).fields.args[0].action, 'join');
  await jane.take(2);
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 40_000 } });
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId: answered }));
  t.same(await jane.quiet(), []);
  t.equal((await rest(app, `video-conference.info?callId=${answered}`, JANE)).body.status, 1, 'the call goes on');

  // 24 h on, the answered call expires: the server pushes nothing for that.
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 24 * 3_600_000 } });
  t.same(await jane.quiet(), []);
  t.same(await john.quiet(), []);
  t.equal((await rest(app, `video-conference.info?callId=${answered}`, JANE)).body.status, 2, 'expired');

  // The clock set backwards, then forwards again.
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { now: new Date(T0_MS).toISOString() } });
  t.same(await jane.quiet(), []);
});

t.test('the ring timeout fires in real time on a running clock', async (t) => {
  const app = await build(t, { rateLimits: false, frozen: false });
  const port = await listen(app);
  const john = await client(t, port);
  await john.login(JOHN['x-auth-token']);
  john.sub('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, false);
  await john.next();
  const callId = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  // 39.9 s later on the world clock; the last 100 ms pass in real time.
  await app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceMs: 39_900 } });
  t.same(john.frames, []);
  t.same(await john.next(), userEvent(JOHN['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId }));
  t.equal((await rest(app, `video-conference.info?callId=${callId}`, JOHN)).body.status, 4);
});

t.test('client-to-client actions: checked as VideoConf.validateAction does, relayed to the peer only', async (t) => {
  const app = await build(t, { rateLimits: false });
  const port = await listen(app);
  const jane = await client(t, port);
  await jane.login(JANE['x-auth-token']);
  const jane2 = await client(t, port);
  await jane2.login(JANE['x-auth-token']);
  const john = await client(t, port);
  await john.login(JOHN['x-auth-token']);
  const outsider = await client(t, port);
  await outsider.login(OUTSIDER['x-auth-token']);
  for (const [c, uid] of [[jane, JANE['x-user-id']], [jane2, JANE['x-user-id']], [john, JOHN['x-user-id']]] as const) {
    c.sub('stream-notify-user', `${uid}/video-conference`, false);
    await c.next();
  }
  const callId = (await rest(app, 'video-conference.start', JOHN, { roomId: DM, allowRinging: true })).body.data.callId;
  const call = { action: 'call', params: { callId, uid: JOHN['x-user-id'], rid: DM } };
  const relay = async (from: Client, target: string, data: unknown) => {
    const id = from.call('stream-notify-user', `${target}/video-conference`, data);
    t.same(await from.take(2), [{ msg: 'updated', methods: [id] }, { msg: 'result', id }], 'no result, no error, whether relayed or not');
  };
  await relay(john, JANE['x-user-id'], call);
  t.same(await jane.next(), changed('stream-notify-user', `${JANE['x-user-id']}/video-conference`, [call]));
  t.same(await jane2.next(), changed('stream-notify-user', `${JANE['x-user-id']}/video-conference`, [call]), "every connection of the peer's");
  // Jane's answer reaches john; her other connection is subscribed to her stream, not john's.
  const accepted = { action: 'accepted', params: { callId, uid: JANE['x-user-id'], rid: DM } };
  await relay(jane, JOHN['x-user-id'], accepted);
  t.same(await john.next(), changed('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, [accepted]));
  // A connection never hears its own write, even on its own stream.
  await relay(jane, JANE['x-user-id'], accepted);
  t.same(await jane.quiet(), []);
  t.same(await jane2.next(), changed('stream-notify-user', `${JANE['x-user-id']}/video-conference`, [accepted]));

  // Refused silently: missing ids, someone without access to the room, an unknown call, bad shapes, other events.
  for (const [from, data] of [
    [jane, { action: 'rejected', params: { callId, uid: JANE['x-user-id'] } }],
    [outsider, { action: 'call', params: { callId, uid: OUTSIDER['x-user-id'], rid: DM } }],
    [jane, { action: 'call', params: { callId, uid: OUTSIDER['x-user-id'], rid: DM } }],
    [jane, { action: 'call', params: { callId, uid: 'no-such-user', rid: DM } }],
    [jane, { action: 'call', params: { callId: 'ffffffffffffffffffffffff', uid: JANE['x-user-id'], rid: DM } }],
    [jane, { action: 'call', params: { callId: 7, uid: JANE['x-user-id'], rid: DM } }],
    [jane, { action: 5, params: {} }],
    [jane, { action: 'call' }],
    [jane, 'call'],
    [jane, null],
  ] as const) {
    await relay(from, JOHN['x-user-id'], data);
  }
  const other = jane.call('stream-notify-user', `${JOHN['x-user-id']}/webrtc`, { any: 1 });
  t.same((await jane.take(2))[1], { msg: 'result', id: other });
  t.same(await john.quiet(), []);
  // Not logged in: refused too. A non-string event name is Meteor's 500.
  const anon = await client(t, port);
  await anon.connect();
  let id = anon.call('stream-notify-user', `${JOHN['x-user-id']}/video-conference`, call);
  t.same((await anon.take(2))[1], { msg: 'result', id });
  id = anon.call('stream-notify-user', 42);
  t.same((await anon.take(2))[1], { msg: 'result', id, error: meteorError(500, 'Internal server error') });
  for (const stream of ['stream-notify-room', 'stream-notify-logged']) {
    id = jane.call(stream, `${UI_TEST}/user-activity`, 'jane.doe', ['user-typing']);
    t.same((await jane.take(2))[1], { msg: 'result', id });
    id = jane.call(stream);
    t.same((await jane.take(2))[1], { msg: 'result', id, error: meteorError(500, 'Internal server error') });
  }

  // `end` always passes; once the call has ended, other actions fail and a caller still sending `call` is told `end`.
  const end = { action: 'end', params: { callId, uid: JOHN['x-user-id'], rid: DM } };
  await app.inject({ method: 'POST', url: `/_emulator/rocketchat/calls/${callId}/end`, payload: {} });
  t.equal((await john.next()).fields.args[0].action, 'end');
  t.equal((await jane.next()).fields.args[0].action, 'end');
  await jane2.next();
  await relay(john, JANE['x-user-id'], end);
  t.same(await jane.next(), changed('stream-notify-user', `${JANE['x-user-id']}/video-conference`, [end]));
  await jane2.next();
  await relay(jane, JOHN['x-user-id'], accepted);
  t.same(await john.quiet(), []);
  id = john.call('stream-notify-user', `${JANE['x-user-id']}/video-conference`, call);
  t.same(await john.take(3), [userEvent(JOHN['x-user-id'], 'end', { rid: DM, uid: JOHN['x-user-id'], callId }), { msg: 'updated', methods: [id] }, { msg: 'result', id }]);
  t.same(await jane.quiet(), []);
});

t.test('push faults drop or delay frames; the log shows it', async (t) => {
  const app = await build(t, { rateLimits: false });
  const port = await listen(app);
  const jane = await client(t, port);
  await jane.login(JANE['x-auth-token']);
  jane.sub('stream-notify-user', `${JANE['x-user-id']}/video-conference`, false);
  await jane.next();
  await app.inject({ method: 'POST', url: '/_emulator/pushes/faults', payload: { match: { provider: 'rocketchat', event: 'ring' }, action: { drop: true }, times: 1 } });
  const first = (await rest(app, 'video-conference.start', JOHN, { roomId: UI_TEST, allowRinging: true })).body.data.callId;
  t.same(await jane.quiet(), [], 'dropped');
  await app.inject({ method: 'POST', url: '/_emulator/pushes/faults', payload: { match: { subject: JANE['x-user-id'] }, action: { delayMs: 150 }, times: 1 } });
  const second = (await rest(app, 'video-conference.start', JOHN, { roomId: GENERAL_ROOM, allowRinging: true })).body.data.callId;
  t.same(await jane.quiet(50), [], 'held');
  t.same((await jane.next()).fields.args[0].params.callId, second);
  const log = (await app.inject({ method: 'GET', url: '/_emulator/pushes?event=ring' })).json().pushes;
  t.same(log.map((p: any) => [p.callId, p.state, p.fault !== null]), [[second, 'sent', true], [first, 'dropped', true]]);
});


