import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'vconf-emulator') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('vconf-emulator: package root not found');
    dir = parent;
  }
}

/** The package root, the same whether running from `src/` (tests) or `dist/src/` (built). */
export const ROOT = findRoot();
export const OPENAPI_DIR = join(ROOT, 'openapi');
export const FIXTURES_DIR = join(ROOT, 'fixtures');
export const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
