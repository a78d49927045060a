// Uses the package the way an embedding test suite does: by its name, through package.json `exports`.
import t from 'tap';
import { startEmulator, type RunningEmulator } from 'vconf-emulator';

t.test('startEmulator from a test suite: listen, worlds, journal, reset, close', async (t) => {
  const emulator: RunningEmulator = await startEmulator({ port: 0, logLevel: 'silent' });
  t.teardown(() => emulator.close());
  t.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.equal(emulator.url, `http://127.0.0.1:${emulator.port}`);

  const world = await emulator.createWorld({ name: 'embedding' });
  t.equal(world.name, 'embedding');
  const john = world.credentials.rocketchat!.users.find((u) => u.username === 'john.doe')!;
  const headers = { 'X-User-Id': john.userId, 'X-Auth-Token': john.authToken! };
  const res = await fetch(`${emulator.url}/api/v1/video-conference.start`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ roomId: '674eca3e43725ce31dd9a2e8' }),
  });
  t.equal(res.status, 200);

  const project = world.credentials.signalwire!.projects[0];
  const sw = await fetch(`${emulator.url}/api/video/conferences`, {
    headers: { Authorization: `Basic ${Buffer.from(`${project.projectId}:${project.token}`).toString('base64')}` },
  });
  t.equal(sw.status, 200);

  const starts = await emulator.requests({ operationId: 'post-api-v1-video-conference.start', world: world.id });
  t.equal(starts.length, 1, 'called exactly once in that world');
  t.equal(starts[0].headers['x-auth-token'], '[redacted]');
  t.same(await emulator.requests({ provider: 'signalwire', world: 'default' }), []);

  await emulator.reset();
  t.same(await emulator.requests(), [], 'reset empties the journal');
  const list = await fetch(`${emulator.url}/api/v1/video-conference.list?roomId=674eca3e43725ce31dd9a2e8`, { headers });
  t.equal((await list.json()).total, 2, "reset put the world's calls back");
  await t.rejects(emulator.createWorld({ fixtures: { zoom: {} } as never }), { message: /^POST \/_emulator\/worlds: 400 / });
});

t.test('startEmulator with an admin token still drives its own control plane', async (t) => {
  const emulator = await startEmulator({ adminToken: 'local-secret' });
  t.teardown(() => emulator.close());
  const world = await emulator.createWorld({ fixtures: 'empty' });
  t.same(world.credentials.rocketchat, { users: [] });
  t.equal((await fetch(`${emulator.url}/_emulator/worlds`)).status, 401, 'others need the token');
  t.equal((await fetch(`${emulator.url}/_emulator/health`)).status, 200, 'health answers everyone');
});
