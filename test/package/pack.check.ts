// The npm package as a user installs it: `npm pack`, then `npm install ./vconf-emulator-*.tgz` in a fresh
// folder (one install, better-sqlite3 built there from source), then the bin, ESM and CommonJS. Slow (an
// install and a native build): run by `npm run pack:check`, its own CI step, not by `npm test`.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const ROOT = new URL('../..', import.meta.url).pathname;
// Stated in the README (Embedding). Most of it is the specs (JSON builds and YAML) of the 33 SignalWire and 48 DingTalk operations.
const MAX_TARBALL_BYTES = 640 * 1024;
const john = { 'X-User-Id': 'CkCPNctrgCDfmWLqC', 'X-Auth-Token': '1Dd4iN_ClKn5jl-xPC36snQ4s9Zd5GZnXCQuCNSKcVE' };

const dir = mkdtempSync(join(tmpdir(), 'vconf-pack-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
// Killed before tap's --timeout, so a stuck install does not outlive the test.
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 540_000 });

const [pack] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as { filename: string; size: number; files: { path: string }[] }[];
const paths = pack.files.map((f) => f.path);

t.test('the tarball holds the build, specs and fixtures, and no tests, bench or source maps', async (t) => {
  for (const f of ['package.json', 'README.md', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'openapi/emulator.yaml', 'fixtures/schema.json']) {
    t.ok(paths.includes(f), f);
  }
  t.same(paths.filter((p) => /^(test|bench|scripts|src|\.ci)\/|\.map$|\.test\./.test(p)), []);
  t.ok(pack.size < MAX_TARBALL_BYTES, `${pack.size} bytes < ${MAX_TARBALL_BYTES}`);
});

t.test('installed from the tarball in a fresh folder', async (t) => {
  const app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true }));
  npm(['install', join(dir, pack.filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

  t.test('npx vconf-emulator --help', async (t) => {
    const out = execFileSync('npx', ['--no-install', 'vconf-emulator', '--help'], { cwd: app, encoding: 'utf8' });
    t.match(out, /^usage: vconf-emulator /);
  });

  t.test('npx vconf-emulator serves the default fixtures', async (t) => {
    const child = spawn('npx', ['--no-install', 'vconf-emulator', '--port', '0', '--log-level', 'silent'], { cwd: app, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    while (!/listening on (http:\/\/\S+)/.test(out)) await once(child.stdout, 'data');
    const url = /listening on (http:\/\/\S+)/.exec(out)![1];
    const res = await fetch(`${url}/api/v1/video-conference.info?callId=697866d5c8b053302078137a`, { headers: john });
    t.equal(res.status, 200);
    t.equal((await res.json()).title, 'testdiscussion');
    process.kill(-child.pid!, 'SIGTERM');
    await once(child, 'exit');
  });

  const script = `
    const { startEmulator } = await import('vconf-emulator');
    const emulator = await startEmulator({ port: 0 });
    const res = await fetch(emulator.url + '/api/v1/video-conference.info?callId=697866d5c8b053302078137a', { headers: ${JSON.stringify(john)} });
    console.log(JSON.stringify({ status: res.status, title: (await res.json()).title }));
    await emulator.close();`;
  const runNode = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' }));

  t.test("ESM: import { startEmulator } from 'vconf-emulator'", async (t) => {
    writeFileSync(join(app, 'esm.mjs'), script.replace("const { startEmulator } = await import('vconf-emulator');", "import { startEmulator } from 'vconf-emulator';"));
    t.same(runNode(join(app, 'esm.mjs')), { status: 200, title: 'testdiscussion' });
  });

  t.test("CommonJS: await import('vconf-emulator'), and require where Node loads ES modules with it", async (t) => {
    writeFileSync(join(app, 'cjs.cjs'), `(async () => {${script}})();`);
    t.same(runNode(join(app, 'cjs.cjs')), { status: 200, title: 'testdiscussion' });
    writeFileSync(join(app, 'require.cjs'), `
      try { console.log(JSON.stringify({ type: typeof require('vconf-emulator').startEmulator })); }
      catch (err) { console.log(JSON.stringify({ code: err.code })); }`);
    const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true;
    t.same(runNode(join(app, 'require.cjs')), canRequireEsm ? { type: 'function' } : { code: 'ERR_REQUIRE_ESM' });
  });
});
