import t, { type Test } from 'tap';
import { build } from '../helper.js';

/*
 * Rocket.Chat's own e2e cases for video conferences (apps/meteor/tests/end-to-end/apps/video-conferences.ts,
 * "Apps - Video Conferences"), run over HTTP against the emulator. The server's test app registers the
 * providers `test`, `unconfigured` and `persistentchat`; here `jitsi` stands in for `test` (its URLs for
 * the test app's `test/videoconference/<callId>/<roomName>[/<userId>[/mic]]`), `unconfigured` is
 * registered unconfigured as the app leaves it, and the app's install and removal (`installTestApp`,
 * `cleanupApps`) and `updateSetting` are the control plane's `PATCH …/rocketchat/settings`. Assertions
 * are the originals' (chai `expect` read as tap), except the three the app's own capabilities decide.
 * Not ported: the persistent-chat cases (Enterprise, or the `persistentchat` app's URLs and discussions).
 */

const roomName = `apps-e2etest-room-${1769904000000}-videoconf`;
const roomId = 'Ap5VcRoomE2EtestQ';
const adminUsername = 'rocketchat.internal.admin.test';

const APPS = [
  { key: 'jitsi', label: 'Jitsi' },
  { key: 'googlemeet', label: 'GoogleMeet' },
  { key: 'unconfigured', label: 'Unconfigured', configured: false },
];

t.test('Apps - Video Conferences', async (t) => {
  const app = await build(t, { rateLimits: false });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const control = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}/_emulator${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    t.equal(res.status, method === 'POST' ? 201 : 200, `${method} ${path}`);
    return res.json();
  };
  // getCredentials(): the admin of the test server; createRoom({type: 'p', name: roomName}).
  const world = await control('POST', '/worlds', {
    name: 'video-conferences-e2e',
    fixtures: {
      rocketchat: {
        videoConfProviders: APPS,
        users: [{ _id: 'rbAXPnMktTFbNpwtJ', username: adminUsername, name: 'RocketChat Internal Admin Test', roles: ['admin', 'user'] }],
        rooms: [{ _id: roomId, t: 'p', name: roomName, members: ['rbAXPnMktTFbNpwtJ'], roles: { rbAXPnMktTFbNpwtJ: ['owner'] } }],
      },
    },
  });
  const admin = world.credentials.rocketchat.users[0];
  const credentials = { 'X-User-Id': admin.userId as string, 'X-Auth-Token': admin.authToken as string };
  const updateSetting = (key: string, value: unknown) => control('PATCH', `/worlds/${world.id}/rocketchat/settings`, { settings: { [key]: value } });
  const cleanupApps = () => control('PATCH', `/worlds/${world.id}/rocketchat/settings`, { videoConfProviders: [] });
  const installTestApp = () => control('PATCH', `/worlds/${world.id}/rocketchat/settings`, { videoConfProviders: APPS });
  const request = async (method: 'GET' | 'POST', endpoint: string, data: Record<string, unknown> = {}) => {
    const url = new URL(`/api/v1/${endpoint}`, baseUrl);
    if (method === 'GET') for (const [k, v] of Object.entries(data)) url.searchParams.set(k, String(v));
    const res = await fetch(url, {
      method,
      headers: { ...credentials, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      body: method === 'POST' ? JSON.stringify(data) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };
  const storedUrl = (callId: string) => `https://meet.jit.si/RocketChat${callId}`;

  await t.test('[With No App]', async (t) => {
    await cleanupApps();

    await t.test('should fail to load capabilities', async (t) => {
      const res = await request('GET', 'video-conference.capabilities');
      t.equal(res.status, 400);
      t.equal(res.body.success, false);
      t.equal(res.body.error, 'no-videoconf-provider-app');
    });

    await t.test('should fail to start a call', async (t) => {
      const res = await request('POST', 'video-conference.start', { roomId });
      t.equal(res.status, 400);
      t.equal(res.body.success, false);
      t.equal(res.body.error, 'no-videoconf-provider-app');
    });
  });

  await t.test('[With Test App]', async (t) => {
    await cleanupApps();
    await installTestApp();
    await updateSetting('Discussion_enabled', true);

    await t.test('[/video-conference.capabilities]', async (t) => {
      await t.test('should fail to load capabilities with no default provider', async (t) => {
        await updateSetting('VideoConf_Default_Provider', '');
        const res = await request('GET', 'video-conference.capabilities');
        t.equal(res.status, 400);
        t.equal(res.body.success, false);
        t.equal(res.body.error, 'no-active-video-conf-provider');
      });

      await t.test('should fail to load capabilities with an invalid default provider', async (t) => {
        await updateSetting('VideoConf_Default_Provider', 'invalid');
        const res = await request('GET', 'video-conference.capabilities');
        t.equal(res.status, 400);
        t.equal(res.body.success, false);
        t.equal(res.body.error, 'no-active-video-conf-provider');
      });

      await t.test('should fail to load capabilities with a default provider lacking configuration', async (t) => {
        await updateSetting('VideoConf_Default_Provider', 'unconfigured');
        const res = await request('GET', 'video-conference.capabilities');
        t.equal(res.status, 400);
        t.equal(res.body.success, false);
        t.equal(res.body.error, 'video-conf-provider-not-configured');
      });

      await t.test('should load capabilities successfully with a valid default provider', async (t) => {
        await updateSetting('VideoConf_Default_Provider', 'jitsi');
        const res = await request('GET', 'video-conference.capabilities');
        t.equal(res.status, 200);
        t.equal(res.body.success, true);
        t.equal(res.body.providerName, 'jitsi');
        t.type(res.body.capabilities, 'object');
        t.equal(res.body.capabilities.mic, true);
        // The test app has cam false and persistentChat false; Jitsi's capabilities are its own.
        t.equal(res.body.capabilities.cam, true);
        t.equal(res.body.capabilities.title, true);
        t.notOk('persistentChat' in res.body.capabilities);
      });
    });

    await t.test('[/video-conference.start]', async (t) => {
      const fails = (setting: string, error: string) =>
        t.test(`should fail to start a call with ${setting === '' ? 'no' : setting === 'invalid' ? 'an invalid' : 'a default provider lacking configuration:'} default provider`, async (t) => {
          await updateSetting('VideoConf_Default_Provider', setting);
          const res = await request('POST', 'video-conference.start', { roomId });
          t.equal(res.status, 400);
          t.equal(res.body.success, false);
          t.equal(res.body.error, error);
        });
      await fails('', 'no-active-video-conf-provider');
      await fails('invalid', 'no-active-video-conf-provider');
      await fails('unconfigured', 'video-conf-provider-not-configured');

      for (const [name, body] of [
        ['should start a call successfully with a valid default provider', { roomId }],
        ['should start a call successfully when sending a title', { roomId, title: 'Conference Title' }],
        ['should start a call successfully when sending the allowRinging attribute', { roomId, title: 'Conference Title', allowRinging: true }],
      ] as const) {
        await t.test(name, async (t) => {
          await updateSetting('VideoConf_Default_Provider', 'jitsi');
          const res = await request('POST', 'video-conference.start', body);
          t.equal(res.status, 200);
          t.equal(res.body.success, true);
          t.type(res.body.data, 'object');
          t.equal(res.body.data.providerName, 'jitsi');
          t.equal(res.body.data.type, 'videoconference');
          t.type(res.body.data.callId, 'string');
        });
      }
    });

    await t.test('[/video-conference.join]', async (t) => {
      await updateSetting('VideoConf_Default_Provider', 'jitsi');
      const callId: string = (await request('POST', 'video-conference.start', { roomId })).body.data.callId;
      const prefix = `${storedUrl(callId)}#config.desktopSharingChromeExtId=%22nocfbnnmjnndkbipkabodnheejiegccf%22&config.callDisplayName=%22${roomName}%22`;
      const user = '&userInfo.displayName=%22RocketChat%20Internal%20Admin%20Test%22&config.prejoinPageEnabled=false&config.prejoinConfig.enabled=false';

      await t.test('should join a videoconference successfully', async (t) => {
        const res = await request('POST', 'video-conference.join', { callId });
        t.equal(res.status, 200);
        t.equal(res.body.success, true);
        t.equal(res.body.providerName, 'jitsi');
        t.equal(res.body.url, `${prefix}${user}`);
      });

      await t.test('should join a videoconference using the specified state', async (t) => {
        const res = await request('POST', 'video-conference.join', { callId, state: { mic: true, cam: false } });
        t.equal(res.status, 200);
        t.equal(res.body.success, true);
        t.equal(res.body.providerName, 'jitsi');
        t.equal(res.body.url, `${prefix}&config.startWithAudioMuted=false&config.startWithVideoMuted=true${user}`);
      });
    });

    const loadsTheCall = async (t: Test, callId: string) => {
      const res = await request('GET', 'video-conference.info', { callId });
      t.equal(res.status, 200);
      t.equal(res.body.success, true);
      t.equal(res.body.providerName, 'jitsi');
      t.notOk('providerData' in res.body);
      t.equal(res.body._id, callId);
      t.equal(res.body.url, storedUrl(callId));
      t.equal(res.body.type, 'videoconference');
      t.equal(res.body.rid, roomId);
      t.strictSame(res.body.users, []);
      t.equal(res.body.status, 1);
      t.equal(res.body.title, roomName);
      t.type(res.body.messages, 'object');
      t.type(res.body.messages.started, 'string');
      t.type(res.body.createdBy, 'object');
      t.equal(res.body.createdBy._id, credentials['X-User-Id']);
      t.equal(res.body.createdBy.username, adminUsername);
      return res.body;
    };

    await t.test('[/video-conference.info]', async (t) => {
      await updateSetting('VideoConf_Default_Provider', 'jitsi');
      const callId: string = (await request('POST', 'video-conference.start', { roomId })).body.data.callId;
      await t.test('should load the video conference data successfully', (t) => loadsTheCall(t, callId));
    });

    await t.test('[video-conference.start + video-conference.info]', async (t) => {
      await t.test('[Test provider with the persistent chat feature disabled]', async (t) => {
        await updateSetting('VideoConf_Default_Provider', 'jitsi');
        await updateSetting('Discussion_enabled', true);
        const callId: string = (await request('POST', 'video-conference.start', { roomId })).body.data.callId;
        await t.test('should load the video conference data successfully', async (t) => {
          const body = await loadsTheCall(t, callId);
          t.notOk('discussionRid' in body);
        });
      });
    });

    await t.test('[/video-conference.list]', async (t) => {
      await t.test('[Test provider]', async (t) => {
        await updateSetting('VideoConf_Default_Provider', 'jitsi');
        await updateSetting('Discussion_enabled', true);
        app.emulator.worlds.get(world.id)!.clock.advance(1000);
        const callId1: string = (await request('POST', 'video-conference.start', { roomId })).body.data.callId;
        app.emulator.worlds.get(world.id)!.clock.advance(1000);
        const callId2: string = (await request('POST', 'video-conference.start', { roomId })).body.data.callId;

        await t.test('should load the list of video conferences sorted by new', async (t) => {
          const res = await request('GET', 'video-conference.list', { roomId });
          t.equal(res.status, 200);
          t.equal(res.body.success, true);
          t.ok(res.body.count >= 2);
          t.equal(res.body.data.length, res.body.count);
          const [call2, call1] = res.body.data;
          t.equal(call1._id, callId1);
          t.equal(call1.url, storedUrl(callId1));
          t.equal(call1.type, 'videoconference');
          t.equal(call1.rid, roomId);
          t.strictSame(call1.users, []);
          t.equal(call1.status, 1);
          t.equal(call1.title, roomName);
          t.type(call1.messages, 'object');
          t.type(call1.messages.started, 'string');
          t.type(call1.createdBy, 'object');
          t.equal(call1.createdBy._id, credentials['X-User-Id']);
          t.equal(call1.createdBy.username, adminUsername);
          t.notOk('discussionRid' in call1);
          t.equal(call2._id, callId2);
        });
      });
    });
  });
});
