// Build step: the dashboard (src/ui, plain ES modules) into dist/ui, with Preact and htm copied from
// node_modules into dist/ui/vendor (served offline, resolved by the page's import map), and
// dist/ui/catalogue.json: each provider's operations and the fault codes createFault accepts.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/ui');
const require = createRequire(import.meta.url);
// Both packages' main entry sits in their dist/ folder.
const pkgDir = (name) => join(dirname(require.resolve(name)), '..');

rmSync(out, { recursive: true, force: true });
cpSync(join(root, 'src/ui'), out, { recursive: true });
mkdirSync(join(out, 'vendor'), { recursive: true });
const vendor = [
  ['preact', 'dist/preact.module.js', 'preact.module.js'],
  ['preact', 'hooks/dist/hooks.module.js', 'hooks.module.js'],
  ['htm', 'dist/htm.module.js', 'htm.module.js'],
];
for (const [name, from, to] of vendor) cpSync(join(pkgDir(name), from), join(out, 'vendor', to));

const { providers } = await import('../dist/src/providers/index.js');
const catalogue = {};
for (const { slug } of providers) {
  const { document } = JSON.parse(readFileSync(join(root, `dist/openapi/${slug}.json`), 'utf8'));
  const operations = [];
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item)) if (op && typeof op === 'object' && op.operationId) operations.push(op.operationId);
  }
  const { FAULT_CODES } = await import(`../dist/src/providers/${slug}/errors.js`);
  catalogue[slug] = { operations: operations.sort(), faultCodes: FAULT_CODES ?? [] };
}
writeFileSync(join(out, 'catalogue.json'), JSON.stringify(catalogue));
