// Build step: the dashboard's sources (src/ui/) copied to dist/ui/, where the emulator serves them
// at /_emulator/ui/, and the browser builds of its npm libraries copied to dist/ui/vendor/ (the page
// imports them from there: offline, no CDN, nothing vendored into the repository).
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'dist', 'ui');
const require = createRequire(join(root, 'package.json'));

// package → its ES module builds, as dist/ui/vendor/<package>/<file>
const VENDOR = {
  preact: ['dist/preact.module.js', 'hooks/dist/hooks.module.js'],
  htm: ['dist/htm.module.js', 'preact/index.module.js'],
};

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const source = join(root, 'src', 'ui');
if (existsSync(source)) cpSync(source, target, { recursive: true });
for (const [name, files] of Object.entries(VENDOR)) {
  let dir;
  try {
    dir = dirname(require.resolve(`${name}/package.json`));
  } catch {
    continue; // not a dependency (yet): the page does not use it
  }
  for (const file of files) {
    const to = join(target, 'vendor', name, file);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(dir, file), to);
  }
}
