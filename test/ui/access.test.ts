import t from 'tap';
import { build } from '../helper.js';
import { listen, openBrowser } from './browser.js';

t.test('with an admin token the page asks for it once and sends it on every call', async (t) => {
  const app = await build(t, { adminToken: 'qa-secret' });
  const base = await listen(app);
  const { page, errors, shot } = await openBrowser(t, base);
  const seen: (string | undefined)[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/_emulator/') && !req.url().includes('/_emulator/ui')) seen.push(req.headers().authorization);
  });

  await page.goto(`${base}/_emulator/ui/`);
  const dialog = page.locator('form.dialog');
  await dialog.getByRole('heading', { name: 'Admin token' }).waitFor();
  await shot('admin-token');
  await dialog.getByLabel('Admin token').fill('qa-secret');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.worlds-table tr[data-world="default"]').waitFor();
  await page.locator('.live', { hasText: 'live' }).first().waitFor();
  t.equal(await dialog.count(), 0, 'the dialog is gone');
  t.equal(await page.evaluate(() => sessionStorage.getItem('vconf-emulator.admin-token')), 'qa-secret', 'kept for the tab');

  // Another view, a reload: no second prompt, every call carries the token.
  seen.length = 0;
  await page.reload();
  await page.locator('.worlds-table tr[data-world="default"]').waitFor();
  await page.goto(`${base}/_emulator/ui/#/faults`);
  await page.getByText('No faults: every request gets its real answer.').waitFor();
  t.equal(await dialog.count(), 0, 'not asked again');
  t.ok(seen.length > 0);
  t.same([...new Set(seen)], ['Bearer qa-secret']);

  // Before the token: the page's first calls were refused with 401, which the browser logs; nothing else.
  t.ok(errors.length > 0);
  t.same(errors.filter((e) => !/status of 401/.test(e)), [], 'no console error but the 401s');
});
