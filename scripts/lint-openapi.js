// Validates every spec in openapi/ against the OpenAPI 3.0 schema (swagger-parser), and checks
// the conventions the code relies on (openapi/README.md): unique operationIds, x-rate-limit shape.
import { readdirSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';

const dir = new URL('../openapi/', import.meta.url);
let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  try {
    const api = await SwaggerParser.validate(new URL(file, dir).pathname);
    const ids = new Set();
    for (const [path, item] of Object.entries(api.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (typeof op !== 'object' || !op.responses) continue;
        if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
        if (ids.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        const limit = op['x-rate-limit'];
        if (limit && !(Number.isInteger(limit.limit) && Number.isInteger(limit.intervalMs))) {
          throw new Error(`${op.operationId}: x-rate-limit needs integer limit and intervalMs`);
        }
      }
    }
    console.log(`openapi/${file}: valid OpenAPI ${api.openapi}, ${ids.size} operations`);
  } catch (err) {
    failed = true;
    console.error(`openapi/${file}: ${err.message}`);
  }
}
process.exit(failed ? 1 : 0);
