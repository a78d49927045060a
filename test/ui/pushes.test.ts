import t from 'tap';
import { build, T0_MS } from '../helper.js';
import { listen, openBrowser } from './browser.js';

t.test('the Pushes view: pushes live with their state, the frame, push faults added and removed', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const { page, errors, shot } = await openBrowser(t, base);
  const { pushes } = app.emulator;
  const frame = '{"msg":"changed","collection":"stream-notify-user","id":"id","fields":{"eventName":"u1/video-conference","args":[{"action":"ring","params":{"callId":"call1"}}]}}';
  const push = { at: T0_MS, world: 'default', provider: 'rocketchat', connection: 'c1', subject: 'u1', channel: 'stream-notify-user/u1/video-conference', event: 'ring', callId: 'call1', frame };
  pushes.deliver(push, () => true);

  await page.goto(`${base}/_emulator/ui/#/pushes`);
  const first = page.locator('table.pushes-table tr[data-push="1"]');
  await first.waitFor();
  t.match(await first.innerText(), /ring[\s\S]*call1[\s\S]*sent/);
  await page.locator('.pushes .live', { hasText: 'live' }).waitFor();

  // Arrives live; a delayed push changes state in place.
  pushes.addFault({ match: { event: 'end' }, action: { delayMs: 300 }, times: 1 });
  pushes.deliver({ ...push, event: 'end', frame: '{"msg":"changed"}' }, () => true);
  const second = page.locator('table.pushes-table tr[data-push="2"]');
  await second.locator('.badge', { hasText: 'delayed' }).waitFor();
  await second.locator('.badge', { hasText: 'sent' }).waitFor();
  await first.click();
  t.match(await page.locator('aside.detail pre.frame').innerText(), '"action": "ring"', 'the frame, pretty-printed');
  await shot('pushes');

  await page.getByLabel('Event').nth(1).fill('ring');
  await page.getByRole('button', { name: 'Add push fault' }).click();
  const row = page.locator('table.push-faults-table tr[data-fault]');
  await row.waitFor();
  t.match(await row.innerText(), /event\s+ring[\s\S]*drop/);
  t.same(pushes.faults().map((f) => [f.match, f.action]), [[{ event: 'ring' }, { drop: true }]]);
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('No push faults: every push is sent at once.').waitFor();

  await page.getByRole('button', { name: 'Clear pushes' }).click();
  await page.getByText('No push yet.', { exact: false }).waitFor();
  t.equal(pushes.length, 0);
  t.same(errors, [], 'no console error');
});
