// Fails when any module of a folder (src/ by default) imports itself through a chain of imports.
// Type-only imports count: a folder must read bottom-up, types included (eslint-plugin-import-x's
// no-cycle skips them, madge does not).
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.argv[2] ?? `${root}src`;
const graph = await madge(dir, {
  fileExtensions: ['ts'],
  tsConfig: `${root}tsconfig.json`,
  detectiveOptions: { ts: { skipTypeImports: false } },
});
const cycles = graph.circular();
for (const cycle of cycles) console.error(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
const skipped = graph.warnings().skipped;
for (const file of skipped) console.error(`unresolved import: ${file}`);
if (cycles.length > 0 || skipped.length > 0) process.exit(1);
