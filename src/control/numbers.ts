import type { FastifyRequest } from 'fastify';
import { HTTP_METHODS } from '../core/openapi.js';
import { Problem } from '../core/problem.js';

// The text of a JSON number: no hexadecimal, binary or octal, no `Infinity`, no blanks, which ajv's
// type coercion (`Number(text)`) would all take.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

type NumericParams = Map<string, 'integer' | 'number'>;

/** Each operation's numeric query parameters, by operationId, read once from the spec. */
export function numericQueryParams(document: Record<string, any>): Map<string, NumericParams> {
  const out = new Map<string, NumericParams>();
  for (const item of Object.values<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      const params = new Map<string, 'integer' | 'number'>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const type = p?.schema?.type;
        if (p.in === 'query' && (type === 'integer' || type === 'number')) params.set(p.name, type);
      }
      if (params.size > 0) out.set(op.operationId, params);
    }
  }
  return out;
}

/**
 * A numeric query parameter is read as the text of a finite JSON number of its type (the spec's
 * bounds are then ajv's); a body holds no non-finite number (JSON.parse reads `1e400` as Infinity).
 */
export function checkNumbers(req: FastifyRequest, params: NumericParams | undefined): void {
  if (params) {
    const query = req.query as Record<string, unknown>;
    for (const [name, type] of params) {
      const text = query[name];
      if (typeof text !== 'string') continue;
      const n = JSON_NUMBER.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
        throw new Problem(400, 'Invalid query', [{ path: `query/${name}`, message: `must be ${type}` }]);
      }
    }
  }
  const path = nonFiniteNumber(req.body);
  if (path !== undefined) throw new Problem(400, 'Invalid body', [{ path: `body${path}`, message: 'must be a finite number' }]);
}

/** Where a parsed JSON value holds a non-finite number, as a JSON pointer; without recursion (bodies nest deep). */
function nonFiniteNumber(root: unknown): string | undefined {
  if (typeof root !== 'object' || root === null) return typeof root === 'number' && !Number.isFinite(root) ? '' : undefined;
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return at;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) stack.push([child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return undefined;
}
