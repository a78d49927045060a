import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { ROOT } from '../../src/core/paths.js';

export const SCREENSHOTS = join(ROOT, '.tap/screenshots');

/** Flags for a headless browser on a machine without a display, a GPU or a user namespace sandbox (CI, containers, root). */
const MACHINE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where a system Chromium (or Chrome) usually lives, first found wins. */
export const SYSTEM_CHROMIUMS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Why this one: the `CHROMIUM_PATH` variable, a browser installed on the system, or the one npm installed. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
}

const require = createRequire(import.meta.url);
const SPARTICUZ_DIR = dirname(dirname(dirname(require.resolve('@sparticuz/chromium'))));
const SPARTICUZ_VERSION = (JSON.parse(readFileSync(join(SPARTICUZ_DIR, 'package.json'), 'utf8')) as { version: string }).version;
/** The npm browser, unpacked once per version of the package and kept beside the other tool caches. */
export const NPM_CHROMIUM_DIR = join(ROOT, 'node_modules/.cache/vconf-chromium', SPARTICUZ_VERSION);

/**
 * The Chromium that `@sparticuz/chromium` ships (brotli-compressed in the package), unpacked on first use.
 * The package unpacks into `os.tmpdir()` and takes any file already there as done, so test files
 * starting together would launch each other's half-written binary: each unpacks into a directory of its
 * own (a child process with its own `TMPDIR`), then renames it into place; the first rename wins.
 */
export async function npmChromium(dir = NPM_CHROMIUM_DIR): Promise<string> {
  const executable = join(dir, 'chromium');
  if (existsSync(executable)) return executable;
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.unpacking-`);
  try {
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, TMPDIR: staging } });
    if (stdout !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${stdout}, expected ${staging}`);
    try {
      renameSync(staging, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

/** `CHROMIUM_PATH` when set, else a system Chromium when there is one, else the one npm installed. */
export async function chooseChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  unpack: () => Promise<string> = npmChromium,
): Promise<ChromiumChoice> {
  if (env.CHROMIUM_PATH) return { executablePath: env.CHROMIUM_PATH, args: MACHINE_ARGS, source: 'CHROMIUM_PATH' };
  const system = SYSTEM_CHROMIUMS.find((path) => exists(path));
  if (system) return { executablePath: system, args: MACHINE_ARGS, source: 'system' };
  if (process.platform !== 'linux') throw new Error(`no Chromium found (looked at ${SYSTEM_CHROMIUMS.join(', ')}) and @sparticuz/chromium runs on Linux only: set CHROMIUM_PATH`);
  const { default: sparticuz } = await import('@sparticuz/chromium');
  // Without a GPU: no SwiftShader WebGL flags.
  sparticuz.setGraphicsMode = false;
  return { executablePath: await unpack(), args: [...sparticuz.args, ...MACHINE_ARGS], source: 'npm' };
}

let choice: Promise<ChromiumChoice> | undefined;

/** The emulator on 127.0.0.1, port 0; its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  shot(name: string): Promise<void>;
}

const FONT_FILES = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
const FONT_CACHE = join(ROOT, 'node_modules/.cache/vconf-fonts');

/** A WOFF 1.0 font as the TrueType/OpenType file it wraps (https://www.w3.org/TR/WOFF/): tables inflated, offsets redone. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const packed = woff.subarray(offset, offset + compLength);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? inflateSync(packed) : packed };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const head = Buffer.alloc(12 + 16 * numTables);
  woff.copy(head, 0, 4, 8);
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(16 << entrySelector, 6);
  head.writeUInt16BE(entrySelector, 8);
  head.writeUInt16BE(numTables * 16 - (16 << entrySelector), 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach(({ tag, checksum, data }, i) => {
    tag.copy(head, 12 + i * 16);
    head.writeUInt32BE(checksum, 12 + i * 16 + 4);
    head.writeUInt32BE(offset, 12 + i * 16 + 8);
    head.writeUInt32BE(data.length, 12 + i * 16 + 12);
    const padded = Buffer.alloc((data.length + 3) & ~3);
    data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

/**
 * A fontconfig file: the system's fonts plus Noto Sans SC from its npm package (regular and bold), named
 * in the dashboard's font stack. DingTalk titles are Chinese: a machine without a CJK font draws them as
 * boxes in the screenshots. Installed fonts are there before the first paint, unlike web fonts, whose
 * subsets loaded late Chromium did not always redraw; Chromium takes TrueType/OpenType files only, so
 * the package's WOFF files are unwrapped once.
 */
function cjkFontConfig(): string {
  const file = join(FONT_CACHE, 'fonts.conf');
  if (existsSync(file)) return file;
  const dir = join(FONT_CACHE, 'noto-sans-sc');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(FONT_FILES)) {
    if (!/-(400|700)-normal\.woff$/.test(name)) continue;
    const target = join(dir, name.replace(/\.woff$/, '.otf'));
    writeFileSync(`${target}.${process.pid}`, woffToSfnt(readFileSync(join(FONT_FILES, name))));
    renameSync(`${target}.${process.pid}`, target);
  }
  writeFileSync(`${file}.${process.pid}`, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${dir}</dir>
  <cachedir>${join(FONT_CACHE, 'cache')}</cachedir>
</fontconfig>
`);
  renameSync(`${file}.${process.pid}`, file);
  return file;
}

/** A headless Chromium (chooseChromium) with a fresh profile; closed on teardown. */
export async function openBrowser(t: Test, origin: string, viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const { executablePath, args } = await (choice ??= chooseChromium());
  const profile = mkdtempSync(join(tmpdir(), 'vconf-ui-'));
  const env = process.platform === 'linux' ? { ...process.env, FONTCONFIG_FILE: cjkFontConfig() } : undefined;
  const context = await chromium.launchPersistentContext(profile, { executablePath, args, env, headless: true, viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}${msg.location().url ? ` (${msg.location().url})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => dialog.accept());
  mkdirSync(SCREENSHOTS, { recursive: true });
  t.teardown(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const shot = async (name: string) => {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  return { context, page, errors, shot };
}
