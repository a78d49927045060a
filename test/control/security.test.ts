import t from 'tap';
import { build, call } from '../helper.js';

t.test('by default the control plane answers loopback callers only', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/_emulator/health', remoteAddress: '10.1.2.3' });
  t.equal(res.status, 403);
  t.same(res.body, {
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
    detail: 'The control plane answers loopback callers only; start the emulator with --admin-token to open it',
  });
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
    t.equal((await call(app, { method: 'GET', url: '/_emulator/health', remoteAddress: address })).status, 200, address);
  }
  const provider = await call(app, { method: 'GET', url: '/api/v1/video-conference.providers', remoteAddress: '10.1.2.3' });
  t.equal(provider.status, 401, 'provider APIs are open to everyone');
});

t.test('with an admin token everyone needs it', async (t) => {
  const app = await build(t, { adminToken: 's3cret' });
  let res = await call(app, { method: 'GET', url: '/_emulator/health' });
  t.same([res.status, res.body.detail], [401, 'The control plane needs Authorization: Bearer <admin token>']);
  res = await call(app, { method: 'GET', url: '/_emulator/health', headers: { authorization: 'Bearer wrong' } });
  t.equal(res.status, 401);
  res = await call(app, { method: 'GET', url: '/_emulator/health', headers: { authorization: 'Bearer s3cret' }, remoteAddress: '172.17.0.1' });
  t.equal(res.status, 200);
});
