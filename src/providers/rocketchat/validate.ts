import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv, type JsonSchema, type Spec } from '../../core/openapi.js';
import { passwordDigest } from './crypto.js';
import type { RocketChatStore } from './store.js';
import type { User } from './types.js';

/** The user a login body names (reference §9 `loginCompatibility`), or `null` for an unrecognised body. */
export function loginTarget(store: RocketChatStore, world: string, body: Record<string, unknown>): { user: User | undefined } | null {
  const { user, username, email } = body;
  if (typeof user === 'string') return { user: user.includes('@') ? store.userByEmail(world, user) : store.userByUsername(world, user) };
  if (user && typeof user === 'object') {
    const u = user as Record<string, unknown>;
    if (typeof u.username === 'string') return { user: store.userByUsername(world, u.username) };
    if (typeof u.email === 'string') return { user: store.userByEmail(world, u.email) };
    if (typeof u.id === 'string') return { user: store.userById(world, u.id) };
    return null;
  }
  if (typeof username === 'string') return { user: store.userByUsername(world, username) };
  if (typeof email === 'string') return { user: store.userByEmail(world, email) };
  return null;
}

export function passwordDigestOf(password: unknown): string | null {
  if (typeof password === 'string') return passwordDigest(password);
  if (password && typeof password === 'object') {
    const { digest, algorithm } = password as Record<string, unknown>;
    if (typeof digest === 'string' && algorithm === 'sha-256') return digest;
  }
  return null;
}

/**
 * The body validators of the server's own ajv (`packages/rest-typings/src/v1/Ajv.ts`: `coerceTypes: true`,
 * reference §12) for the operations whose request body the spec marks `x-coerce-types`: `"true"` is a
 * boolean there and `123` a string. Compiled on an operation's first request, kept after.
 */
export function coercingBodyValidators(spec: Spec): (operationId: string) => ValidateFunction | undefined {
  const schemas = new Map<string, JsonSchema>();
  for (const item of Object.values<Record<string, any>>(spec.document.paths ?? {})) {
    for (const op of Object.values<any>(item)) {
      const body = op?.requestBody;
      if (body?.['x-coerce-types'] === true) schemas.set(op.operationId, body.content['application/json'].schema);
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  let ajv: Ajv | undefined;
  return (operationId) => {
    let validate = compiled.get(operationId);
    if (validate) return validate;
    const schema = schemas.get(operationId);
    if (!schema) return undefined;
    validate = (ajv ??= newAjv({ coerce: true, allErrors: false })).compile(schema);
    compiled.set(operationId, validate);
    return validate;
  };
}
