import t from 'tap';
import { build } from '../helper.js';
import { listen, openBrowser } from './browser.js';

t.test('Swagger UI on a random port: "Try it out" → "Execute" calls this emulator', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  t.not(new URL(base).port, '4010');
  const { page, errors, shot } = await openBrowser(t, base);
  const called: string[] = [];
  page.on('request', (req) => {
    if (!new URL(req.url()).pathname.startsWith('/docs')) called.push(`${req.method()} ${req.url()}`);
  });

  await page.goto(`${base}/docs`);
  await page.locator('.topbar select').waitFor();
  const definition = async (title: string) => {
    await page.locator('.topbar select').selectOption({ label: title });
    await page.locator('.servers select').waitFor();
    t.same(await page.locator('.servers select option').allInnerTexts(), [base], `${title}: the one server is this emulator`);
  };

  // A provider operation, with the example body (a fixture app's key and secret).
  await definition('DingTalk video conference API');
  const token = page.locator('.opblock', { has: page.locator('.opblock-summary-path', { hasText: /^\/v1\.0\/oauth2\/accessToken$/ }) });
  await token.locator('.opblock-summary').click();
  await token.getByRole('button', { name: 'Try it out' }).click();
  await token.getByRole('button', { name: 'Execute' }).click();
  const tokenStatus = token.locator('.live-responses-table tbody .response-col_status');
  await tokenStatus.waitFor();
  t.equal((await tokenStatus.innerText()).trim(), '200');
  t.match(await token.locator('.live-responses-table tbody .response-col_description').innerText(), /"accessToken":/);
  await shot('docs-try-it-out');

  // The emulator's own API.
  await definition('vconf-emulator control plane');
  const health = page.locator('.opblock', { has: page.locator('.opblock-summary-path', { hasText: /^\/_emulator\/health$/ }) });
  await health.locator('.opblock-summary').click();
  await health.getByRole('button', { name: 'Try it out' }).click();
  await health.getByRole('button', { name: 'Execute' }).click();
  const healthStatus = health.locator('.live-responses-table tbody .response-col_status');
  await healthStatus.waitFor();
  t.equal((await healthStatus.innerText()).trim(), '200');

  t.same(called, [`POST ${base}/v1.0/oauth2/accessToken`, `GET ${base}/_emulator/health`], 'only this emulator was called');
  t.same(errors, [], 'no console error');
});
