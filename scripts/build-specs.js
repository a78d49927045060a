// Build step: every openapi/*.yaml parsed and dereferenced once, into dist/openapi/<slug>.json,
// so that a built emulator starts without parsing YAML (most of its start-up time otherwise), and
// its request validators generated as ajv standalone code (dist/openapi/<slug>.{params,body}.cjs),
// so that no request waits for ajv to compile one.
// The YAML stays the source of truth: src/core/openapi.ts uses these files only if they were made
// from the YAML as it is now (same SHA-256; the validators also by the same code and ajv version),
// else parses the YAML and compiles on demand.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { COERCED, compileSpec, compiledSpecPath, compiledValidatorsPath, newAjv, requestSchemas, validatorsStamp } from '../dist/src/core/openapi.js';

const standaloneCode = standaloneModule.default;

const dir = new URL('../openapi/', import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const path = new URL(file, dir).pathname;
  const target = compiledSpecPath(path);
  mkdirSync(new URL('.', `file://${target}`).pathname, { recursive: true });
  const compiled = await compileSpec(path);
  writeFileSync(target, JSON.stringify(compiled));

  const schemas = [...requestSchemas(compiled.document)];
  for (const coerced of [true, false]) {
    const ajv = newAjv({ coerce: coerced, allErrors: false, source: true });
    const exports = {};
    for (const [key, schema] of schemas) {
      if (COERCED[key.slice(key.lastIndexOf(':') + 1)] !== coerced) continue;
      ajv.addSchema(schema, key);
      exports[key] = key;
    }
    const code = Object.keys(exports).length === 0 ? '"use strict";' : standaloneCode(ajv, exports);
    writeFileSync(compiledValidatorsPath(path, coerced), `${code}\nexports.stamp = ${JSON.stringify(validatorsStamp(compiled.sha256))};\n`);
  }
}
