import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';
import { sha256Hex } from './hash.js';
import { ROOT } from './paths.js';

// ajv is loaded when something is first compiled, not at start-up: a built emulator runs the
// standalone validators made by the build, and only tests check responses.
const requireCjs = createRequire(import.meta.url);

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
  validator(part: RequestPart): ValidateFunction | undefined;
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

/** `source`: keep the generated code, for the build's standalone validators (scripts/build-specs.js). */
export function newAjv(options: { coerce: boolean; allErrors: boolean; source?: boolean }): Ajv {
  // strict:false because OpenAPI schemas carry `example`, `x-…` and other non-JSON-Schema keywords.
  // validateSchema:false: the specs are checked by `npm run lint` (swagger-parser); checking them
  // again here would compile the JSON Schema meta-schema on the first request (~20 ms).
  const { Ajv: AjvClass } = requireCjs('ajv') as { Ajv: typeof Ajv };
  // ajv-formats is CommonJS: its export is the function itself.
  const addFormats = requireCjs('ajv-formats') as typeof addFormatsModule.default;
  const ajv = new AjvClass({
    allErrors: options.allErrors,
    coerceTypes: options.coerce,
    strict: false,
    useDefaults: false,
    validateSchema: false,
    ...(options.source ? { code: { source: true } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

export type RequestPart = 'path' | 'query' | 'body';

/** Parameters are coerced to their documented types (they arrive as text), bodies never. */
export const COERCED: Record<RequestPart, boolean> = { path: true, query: true, body: false };

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

/**
 * Where the build keeps a spec's request validators as ajv standalone code (CommonJS, as
 * ajv-formats emits it): one module for the coerced parts (path, query), one for bodies. Each
 * exports its `stamp` ({@link validatorsStamp}) and one validator per `<operationId>:<part>`.
 */
export function compiledValidatorsPath(file: string, coerced: boolean): string {
  return join(ROOT, 'dist', 'openapi', `${basename(file, '.yaml')}.${coerced ? 'params' : 'body'}.cjs`);
}

/** The schema ajv checks for each validated request part of each operation, by `<operationId>:<part>`. */
export function requestSchemas(document: Record<string, any>): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  for (const item of Object.values<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op || op['x-validate'] === false || op.requestBody?.['x-validate'] === false) continue;
      const params: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const parts: Record<RequestPart, JsonSchema | undefined> = {
        path: objectSchemaFromParameters(params.filter((p) => p.in === 'path')),
        query: objectSchemaFromParameters(params.filter((p) => p.in === 'query')),
        body: op.requestBody?.content?.['application/json']?.schema,
      };
      for (const [part, schema] of Object.entries(parts)) if (schema) out.set(`${op.operationId}:${part}`, schema);
    }
  }
  return out;
}

// Bump when the schemas made from a spec (requestSchemas) or the ajv options (newAjv) change.
const VALIDATORS_FORMAT = 1;

/** What the build's validators must be stamped with to be used: the YAML, this code's format, the ajv version. */
export function validatorsStamp(yamlSha256: string): string {
  return `${yamlSha256}:${VALIDATORS_FORMAT}:ajv@${(requireCjs('ajv/package.json') as { version: string }).version}`;
}

/** The build's validators of one kind for this YAML, if they were made from it as it is now, by this code. */
function loadCompiledValidators(file: string, sha: string, coerced: boolean): Record<string, ValidateFunction> {
  const path = compiledValidatorsPath(file, coerced);
  if (!existsSync(path)) return {};
  const module = requireCjs(path) as Record<string, unknown>;
  return module.stamp === validatorsStamp(sha) ? (module as Record<string, ValidateFunction>) : {};
}

/** The compiled form of a spec: the dereferenced document and the hash of the YAML it came from. */
export interface CompiledSpec {
  sha256: string;
  document: Record<string, any>;
}


/** Parses and dereferences an OpenAPI YAML file. */
export async function compileSpec(file: string): Promise<CompiledSpec> {
  // Imported on demand: a built emulator reads the compiled JSON and never needs them.
  const [{ default: $RefParser }, { CORE_SCHEMA, load }] = await Promise.all([import('@apidevtools/json-schema-ref-parser'), import('js-yaml')]);
  const text = readFileSync(file, 'utf8');
  // The YAML 1.2 core schema keeps timestamps as strings.
  const raw = load(text, { schema: CORE_SCHEMA });
  return { sha256: sha256Hex(text), document: (await $RefParser.dereference(raw as object)) as Record<string, any> };
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
    if (candidate.sha256 === sha256Hex(readFileSync(file, 'utf8'))) compiled = candidate;
  }
  const { document } = compiled ?? (await compileSpec(file));
  const schemas = requestSchemas(document);
  // Loaded on first use: the control plane's validators, say, are never needed by most runs.
  const prebuilt: Partial<Record<'params' | 'body', Record<string, ValidateFunction>>> = {};
  const prebuiltFor = (coerced: boolean) => (prebuilt[coerced ? 'params' : 'body'] ??= compiled ? loadCompiledValidators(file, compiled.sha256, coerced) : {});
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      // null: the part has no schema. Asked on every request, so the answer is kept either way.
      const validators: Partial<Record<RequestPart, ValidateFunction | null>> = {};
      // The build's standalone code when it matches; else compiled on the operation's first request.
      const validator = (part: RequestPart) => {
        let validate = validators[part];
        if (validate === undefined) {
          const key = `${op.operationId}:${part}`;
          const schema = schemas.get(key);
          validate = validators[part] = !schema
            ? null
            : (prebuiltFor(COERCED[part])[key] ??
              (COERCED[part] ? (paramAjv ??= newAjv({ coerce: true, allErrors: false })) : (bodyAjv ??= newAjv({ coerce: false, allErrors: false }))).compile(schema));
        }
        return validate ?? undefined;
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
