import t from 'tap';
import { build, call } from '../helper.js';
import { AUTH } from '../providers/signalwire/fixtures.js';
import { APP, STARTED } from '../providers/dingtalk/fixtures.js';

t.test('the scale applies to SignalWire and DingTalk limits too', async (t) => {
  const app = await build(t, { rateLimitScale: 0.0001 });
  const create = () => call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'Scaled' } });
  const first = await create();
  t.same([first.status, first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining']], [200, '1', '0'], '13,800 × 0.0001 rounds to 1');
  const second = await create();
  t.same([second.status, second.body, second.headers['x-ratelimit-limit']], [429, { error: 'Too Many Requests' }, '1']);

  const scaled = await build(t, { rateLimitScale: 0.1 });
  const token = (await call(scaled, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: APP })).body.accessToken;
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await call(scaled, { method: 'GET', url: `/v1.0/conference/videoConferences/${STARTED}`, headers: { 'x-acs-dingtalk-access-token': token } })).status);
  }
  t.same(statuses, [200, 200, 403], '20 per second × 0.1 = 2');
});
