// Many clients joining one call at once, over real HTTP (app.listen + fetch) so that requests truly
// interleave in the server: every join is applied, none is lost or doubled.
import t from 'tap';
import { build, T0 } from '../helper.js';

const ROOM = 'concurrencyroom00000001';
const CALL = '697866d5c8b0533020aaaaaa';
const USERS = 100;
const JOINS = 1000;

// 'bot' bypasses the Rocket.Chat rate limiter (api-bypass-rate-limit), as the real server does.
const fixtures = {
  rocketchat: {
    settings: { VideoConf_Default_Provider: 'jitsi' },
    users: Array.from({ length: USERS }, (_, i) => ({
      _id: `user${String(i).padStart(4, '0')}concurrent`.slice(0, 17),
      username: `user${i}`,
      name: `User ${i}`,
      roles: ['user', 'bot'],
      authTokens: [`token-${i}`],
    })),
    rooms: [{ _id: ROOM, t: 'c', name: 'concurrency' }],
    calls: [
      {
        _id: CALL,
        type: 'videoconference',
        users: [],
        messages: { started: 'cOnCurrEnCyMsg001' },
        status: 1,
        anonymousUsers: 0,
        createdAt: T0,
        providerName: 'jitsi',
        title: 'concurrency',
        rid: ROOM,
        createdBy: { _id: 'user0000concurren', name: 'User 0', username: 'user0' },
        _updatedAt: T0,
        url: `https://meet.jit.si/RocketChat${CALL}`,
      },
    ],
  },
};

t.test(`${JOINS} concurrent joins of one call by ${USERS} users: exactly ${USERS} entries in users`, async (t) => {
  const app = await build(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const created = await fetch(`${base}/_emulator/worlds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'joins', fixtures }) });
  t.equal(created.status, 201, 'world created');
  const world = (await created.json()) as { credentials: { rocketchat: { users: { userId: string; authToken: string }[] } } };
  const users = world.credentials.rocketchat.users;
  t.equal(users.length, USERS);

  const replies = await Promise.all(
    Array.from({ length: JOINS }, async (_, i) => {
      const user = users[i % USERS];
      const res = await fetch(`${base}/api/v1/video-conference.join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': user.userId, 'x-auth-token': user.authToken },
        body: JSON.stringify({ callId: CALL, state: { mic: i % 2 === 0 } }),
      });
      return { status: res.status, body: (await res.json()) as { success: boolean } };
    }),
  );
  t.same(
    replies.filter((r) => r.status !== 200 || r.body.success !== true),
    [],
    'every join succeeded',
  );

  const user = users[0];
  const info = await fetch(`${base}/api/v1/video-conference.info?callId=${CALL}`, { headers: { 'x-user-id': user.userId, 'x-auth-token': user.authToken } });
  const call = (await info.json()) as { users: { _id: string }[] };
  t.equal(call.users.length, USERS, `exactly ${USERS} users`);
  t.same(new Set(call.users.map((u) => u._id)), new Set(users.map((u) => u.userId)), 'each user once');
});
