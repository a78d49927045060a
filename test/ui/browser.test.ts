import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chromium } from 'playwright-core';
import { build } from '../helper.js';
import { chooseChromium, listen, npmChromium, SYSTEM_CHROMIUMS, woffToSfnt } from './browser.js';

const never = () => {
  throw new Error('not expected');
};

t.test('CHROMIUM_PATH wins over a system Chromium', async (t) => {
  const choice = await chooseChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, () => true, never);
  t.match(choice, { executablePath: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
  t.ok(choice.args.includes('--no-sandbox'));
});

t.test('without CHROMIUM_PATH, the first system Chromium found', async (t) => {
  const seen: string[] = [];
  const choice = await chooseChromium({}, (path) => (seen.push(path), path === '/usr/bin/chromium-browser'), never);
  t.match(choice, { executablePath: '/usr/bin/chromium-browser', source: 'system' });
  t.same(seen, SYSTEM_CHROMIUMS.slice(0, 2), 'looked in order, stopped at the first');
});

t.test('with no system Chromium, the one npm installed, with its flags and the machine flags', async (t) => {
  const choice = await chooseChromium({ CHROMIUM_PATH: '' }, () => false, async () => '/cache/chromium');
  t.equal(choice.source, 'npm');
  t.equal(choice.executablePath, '/cache/chromium');
  for (const flag of ['--single-process', '--disable-webgl', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']) {
    t.ok(choice.args.includes(flag), flag);
  }
});

t.test('the npm Chromium unpacks once, even when two start together, and opens the dashboard', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'vconf-npm-chromium-')), 'browser');
  t.teardown(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
  const [a, b] = await Promise.all([npmChromium(dir), npmChromium(dir)]);
  t.equal(a, join(dir, 'chromium'));
  t.equal(b, a);
  t.equal(await npmChromium(dir), a, 'then found as unpacked');
  const { args } = await chooseChromium({}, () => false, async () => a);
  const app = await build(t);
  const base = await listen(app);
  const browser = await chromium.launch({ executablePath: a, args, headless: true });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const res = await page.goto(`${base}/_emulator/ui/`);
  t.equal(res?.status(), 200);
  t.equal(await page.title(), 'vconf-emulator · dashboard');
  await page.locator('.worlds-table tr[data-world="default"]').waitFor();
});

t.test('a WOFF font unwrapped is the OpenType font inside', async (t) => {
  const require = createRequire(import.meta.url);
  const woff = readFileSync(require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-4-400-normal.woff'));
  const font = woffToSfnt(woff);
  const numTables = woff.readUInt16BE(12);
  t.equal(font.readUInt32BE(0), woff.readUInt32BE(4), 'the flavour');
  t.equal(font.readUInt16BE(4), numTables);
  const tags = Array.from({ length: numTables }, (_, i) => font.toString('latin1', 12 + i * 16, 16 + i * 16));
  t.ok(tags.includes('head') && tags.includes('cmap') && tags.includes('glyf'), tags.join(' '));
  const head = tags.indexOf('head');
  const at = font.readUInt32BE(12 + head * 16 + 8);
  t.equal(font.readUInt32BE(at + 12), 0x5f0f3cf5, "the head table's magic number, inflated in place");
  t.equal(font.readUInt32BE(12 + head * 16 + 12), woff.readUInt32BE(44 + head * 20 + 12), 'its original length');
  t.throws(() => woffToSfnt(Buffer.from('wOF2....')), /not a WOFF 1.0 font/);
});
