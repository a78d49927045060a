// Build step: every openapi/*.yaml parsed and dereferenced once, into dist/openapi/<slug>.json,
// so that a built emulator starts without parsing YAML (most of its start-up time otherwise).
// The YAML stays the source of truth: src/core/openapi.ts uses the JSON only if it was made from
// the YAML as it is now (same SHA-256), else parses the YAML.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { compileSpec, compiledSpecPath } from '../dist/src/core/openapi.js';

const dir = new URL('../openapi/', import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const path = new URL(file, dir).pathname;
  const target = compiledSpecPath(path);
  mkdirSync(new URL('.', `file://${target}`).pathname, { recursive: true });
  writeFileSync(target, JSON.stringify(await compileSpec(path)));
}
