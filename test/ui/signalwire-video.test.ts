import t from 'tap';
import { build } from '../helper.js';
import { listen, openBrowser } from './browser.js';

const AUTH = { authorization: `Basic ${Buffer.from('72a7ce5a-0281-4be1-a238-49fc41fafb42:PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5').toString('base64')}`, 'content-type': 'application/json' };

t.test('the SignalWire view shows rooms, room tokens issued, recordings and logs; a room session starts from a room', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const post = async (path: string, body: unknown) => (await (await fetch(`${base}${path}`, { method: 'POST', headers: AUTH, body: JSON.stringify(body) })).json()) as any;
  const room = await post('/api/video/rooms', { name: 'dashboard_room', display_name: 'Dashboard Room', record_on_start: true });
  const token = await post('/api/video/room_tokens', { room_name: 'dashboard_room', user_name: 'Dana' });
  const jti = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString()).jti;
  const { page, errors, shot } = await openBrowser(t, base);

  await page.goto(`${base}/_emulator/ui/#/state`);
  await page.getByRole('button', { name: 'SignalWire' }).click();
  const row = page.locator(`tr[data-room="${room.id}"]`);
  t.match(await row.innerText(), /Dashboard Room/);
  t.match(await page.locator(`tr[data-room-token="${jti}"]`).innerText(), /dashboard_room[\s\S]*Dana[\s\S]*member/);
  await row.getByRole('button', { name: 'Start session' }).click();
  await row.getByRole('button', { name: 'Start session' }).waitFor({ state: 'detached' });
  const session = (await (await fetch(`${base}/_emulator/worlds/default/signalwire/room_sessions?conferenceId=${room.id}`)).json()).room_sessions[0];
  t.equal(session.status, 'in-progress');
  const recording = page.locator(`tr[data-recording="${session.recordings[0].id}"]`);
  await recording.getByRole('button', { name: 'Stop' }).click();
  await recording.locator('.badge', { hasText: 'completed' }).waitFor();
  t.match(await page.locator('[data-section="signalwire-logs"]').innerText(), /room[\s\S]*dashboard_room[\s\S]*in-progress/);
  await shot('state-signalwire-video');
  t.same(errors, []);
});
