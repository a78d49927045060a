import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './paths.js';

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
  /** The ajv validator of a request part, compiled on first use and kept; `undefined` when not validated. */
  validator(part: 'path' | 'query' | 'body'): ValidateFunction | undefined;
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

function newAjv(options: { coerce: boolean; allErrors: boolean }): Ajv {
  // strict:false because OpenAPI schemas carry `example`, `x-…` and other non-JSON-Schema keywords.
  // validateSchema:false: the specs are checked by `npm run lint` (swagger-parser); checking them
  // again here would compile the JSON Schema meta-schema on the first request (~20 ms).
  const ajv = new Ajv({ allErrors: options.allErrors, coerceTypes: options.coerce, strict: false, useDefaults: false, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

// Created on first use (start-up time). Parameters are coerced to their documented types, bodies never.
let paramAjv: Ajv | undefined;
let bodyAjv: Ajv | undefined;
let responseAjv: Ajv | undefined;

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

/** Where the build keeps a spec already parsed and dereferenced (`scripts/build-specs.js`). */
export function compiledSpecPath(file: string): string {
  return join(ROOT, 'dist', 'openapi', `${basename(file, '.yaml')}.json`);
}

/** The compiled form of a spec: the dereferenced document and the hash of the YAML it came from. */
export interface CompiledSpec {
  sha256: string;
  document: Record<string, any>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Parses and dereferences an OpenAPI YAML file. */
export async function compileSpec(file: string): Promise<CompiledSpec> {
  // Imported on demand: a built emulator reads the compiled JSON and never needs them.
  const [{ default: $RefParser }, { CORE_SCHEMA, load }] = await Promise.all([import('@apidevtools/json-schema-ref-parser'), import('js-yaml')]);
  const text = readFileSync(file, 'utf8');
  // The YAML 1.2 core schema keeps timestamps as strings.
  const raw = load(text, { schema: CORE_SCHEMA });
  return { sha256: sha256(text), document: (await $RefParser.dereference(raw as object)) as Record<string, any> };
}

/**
 * Reads an OpenAPI file once, at start-up: the build's compiled JSON when it was made from this
 * very YAML (parsing YAML is most of the start-up time), else the YAML itself.
 */
export async function loadSpec(provider: string, file: string): Promise<Spec> {
  const compiledPath = compiledSpecPath(file);
  let compiled: CompiledSpec | undefined;
  if (existsSync(compiledPath)) {
    const candidate = JSON.parse(readFileSync(compiledPath, 'utf8')) as CompiledSpec;
    if (candidate.sha256 === sha256(readFileSync(file, 'utf8'))) compiled = candidate;
  }
  const { document } = compiled ?? (await compileSpec(file));
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const validate = op['x-validate'] !== false && op.requestBody?.['x-validate'] !== false;
      const schemas: Partial<Record<'path' | 'query' | 'body', JsonSchema>> = validate
        ? {
            path: objectSchemaFromParameters(params.filter((p) => p.in === 'path')),
            query: objectSchemaFromParameters(params.filter((p) => p.in === 'query')),
            body: op.requestBody?.content?.['application/json']?.schema,
          }
        : {};
      const compiled: Partial<Record<'path' | 'query' | 'body', ValidateFunction>> = {};
      // Compiled once, on the operation's first request: most runs use few of the operations.
      const validator = (part: 'path' | 'query' | 'body') => {
        const schema = schemas[part];
        if (!schema) return undefined;
        if (!compiled[part]) {
          const ajv =
            part === 'body' ? (bodyAjv ??= newAjv({ coerce: false, allErrors: false })) : (paramAjv ??= newAjv({ coerce: true, allErrors: false }));
          compiled[part] = ajv.compile(schema);
        }
        return compiled[part];
      };
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
        validator,
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
    validate = (responseAjv ??= newAjv({ coerce: false, allErrors: true })).compile(schema);
    responseValidators.set(schema, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${op.operationId} ${status}: ${e.instancePath || '/'} ${e.message}`);
}
