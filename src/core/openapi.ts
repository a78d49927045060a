import { readFileSync } from 'node:fs';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type JsonSchema = Record<string, unknown>;

export interface RateLimitSpec {
  limit: number;
  intervalMs: number;
  key?: string;
}

/** How an operation authenticates, read from OpenAPI `security`. */
export type AuthMode = 'none' | 'required' | 'optional';

export interface Operation {
  provider: string;
  operationId: string;
  method: Uppercase<HttpMethod>;
  /** The OpenAPI path template, e.g. `/api/video/conferences/{id}`. */
  path: string;
  /** The same path in Fastify's syntax, e.g. `/api/video/conferences/:id`. */
  url: string;
  auth: AuthMode;
  rateLimit?: RateLimitSpec;
  requiredScopes: string[];
  /** Vendor extensions of the operation (`x-…`), for provider-specific facts. */
  extensions: Record<string, unknown>;
  validators: Partial<Record<'path' | 'query' | 'body', ValidateFunction>>;
  /** Whether the spec requires a request body (an optional one may be absent and is then not validated). */
  bodyRequired: boolean;
  /** Response schemas by status code (`'200'`, `'4XX'`, `'default'`). */
  responseSchemas: Map<string, JsonSchema | undefined>;
}

export interface Spec {
  provider: string;
  file: string;
  document: Record<string, any>;
  operations: Operation[];
}

function newAjv(coerce: boolean): Ajv {
  // strict:false because OpenAPI schemas carry `example`, `x-…` and other non-JSON-Schema keywords.
  const ajv = new Ajv({ allErrors: false, coerceTypes: coerce, strict: false, useDefaults: false });
  addFormats(ajv);
  return ajv;
}

/** ajv instances shared by every spec: parameters are coerced to their documented types, bodies never. */
export const paramAjv = newAjv(true);
export const bodyAjv = newAjv(false);
const responseAjv = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
})();

function objectSchemaFromParameters(params: any[]): JsonSchema | undefined {
  if (params.length === 0) return undefined;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema ?? {};
    if (p.required === true) required.push(p.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function authMode(security: unknown): AuthMode {
  if (!Array.isArray(security) || security.length === 0) return 'none';
  return security.some((s) => s && typeof s === 'object' && Object.keys(s).length === 0) ? 'optional' : 'required';
}

/** Reads and dereferences an OpenAPI file once, at start-up, and compiles its parameter validators. */
export async function loadSpec(provider: string, file: string): Promise<Spec> {
  const raw = parseYaml(readFileSync(file, 'utf8'));
  const document = (await $RefParser.dereference(structuredClone(raw))) as Record<string, any>;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const validate = op['x-validate'] !== false && op.requestBody?.['x-validate'] !== false;
      const validators: Operation['validators'] = {};
      if (validate) {
        const pathSchema = objectSchemaFromParameters(params.filter((p) => p.in === 'path'));
        const querySchema = objectSchemaFromParameters(params.filter((p) => p.in === 'query'));
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        if (pathSchema) validators.path = paramAjv.compile(pathSchema);
        if (querySchema) validators.query = paramAjv.compile(querySchema);
        if (bodySchema) validators.body = bodyAjv.compile(bodySchema);
      }
      const responseSchemas = new Map<string, JsonSchema | undefined>();
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        const content = response.content ?? {};
        const media = content['application/json'] ?? content['application/problem+json'] ?? Object.values(content)[0];
        responseSchemas.set(status, media?.schema);
      }
      const extensions = Object.fromEntries(Object.entries(op).filter(([k]) => k.startsWith('x-')));
      operations.push({
        provider,
        operationId: op.operationId,
        method: method.toUpperCase() as Uppercase<HttpMethod>,
        path,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
        auth: authMode(op.security ?? document.security),
        rateLimit: op['x-rate-limit'],
        requiredScopes: op['x-required-scopes'] ?? [],
        extensions,
        validators,
        bodyRequired: op.requestBody?.required === true,
        responseSchemas,
      });
    }
  }
  return { provider, file, document, operations };
}

const responseValidators = new WeakMap<object, ValidateFunction>();

/**
 * Checks a response against the schema its operation documents for that status. Used by the
 * test suite on every response (an `onSend` hook), so every behaviour test is a contract test.
 * Returns a list of problems, empty when the response matches.
 */
export function checkResponse(op: Operation, status: number, body: unknown): string[] {
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => op.responseSchemas.has(k));
  if (key === undefined) return [`${op.operationId}: status ${status} is not documented`];
  const schema = op.responseSchemas.get(key);
  if (schema === undefined) return body === undefined || body === '' ? [] : [`${op.operationId}: ${status} documents no body`];
  let validate = responseValidators.get(schema);
  if (!validate) {
    validate = responseAjv.compile(schema);
    responseValidators.set(schema, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${op.operationId} ${status}: ${e.instancePath || '/'} ${e.message}`);
}
