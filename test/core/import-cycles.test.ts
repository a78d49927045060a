import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

// The check `npm run lint` runs on src/ (scripts/lint-cycles.js), run here on small folders.
const SCRIPT = new URL('../../scripts/lint-cycles.js', import.meta.url).pathname;

function check(files: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, dir], (err, _stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: err ? (err.code as number) : 0, stderr });
    });
  });
}

t.test('a cycle fails the check, even through a type-only import', async (t) => {
  const result = await check({
    'a.ts': "import type { B } from './b.js';\nexport const a = 1;\nexport type A = B;\n",
    'b.ts': "import { a } from './a.js';\nexport type B = number;\nexport const b = a;\n",
  });
  t.equal(result.code, 1);
  t.equal(result.stderr, 'import cycle: a.ts -> b.ts -> a.ts\n');
});

t.test('an import that resolves to no file fails the check', async (t) => {
  const result = await check({ 'c.ts': "import { x } from './missing.js';\nexport const c = x;\n" });
  t.equal(result.code, 1);
  t.equal(result.stderr, 'unresolved import: ./missing.js\n');
});

t.test('a folder that reads bottom-up passes', async (t) => {
  const result = await check({
    'a.ts': "import type { B } from './b.js';\nexport const a: B = 1;\n",
    'b.ts': 'export type B = number;\n',
  });
  t.equal(result.code, 0);
  t.equal(result.stderr, '');
});
