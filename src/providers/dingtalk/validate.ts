import type { HandlerContext } from '../../core/provider.js';
import { errors, paramError } from './errors.js';
import type { Principal } from './types.js';

type Ctx = HandlerContext<Principal>;

/** What the content-type parser yields for a body that is not JSON; the route decides what it means. */
export class InvalidBody {
  constructor(readonly detail: string) {}
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof InvalidBody);
}

/** The JSON object body of a POST route, or that route's parameter error. */
export function jsonObject(ctx: Ctx): Record<string, unknown> {
  const body: unknown = ctx.body;
  if (body instanceof InvalidBody) throw paramError(ctx.op, body.detail);
  if (body === undefined || body === null) throw paramError(ctx.op, 'body is required');
  if (!isObject(body)) throw paramError(ctx.op, 'body must be a JSON object');
  return body;
}

export const blank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/** Fastify 5 hands an empty path segment to the param as `""` (reference §2.4). */
export function conferenceIdParam(ctx: Ctx): string {
  const id = (ctx.params as { conferenceId?: unknown }).conferenceId;
  if (blank(id)) throw errors.missingRoomId();
  return id as string;
}

/** Optional boolean fields of a JSON body, each checked (the route's parameter error names the first wrong one). */
export function optionalBooleans<K extends string>(ctx: Ctx, body: Record<string, unknown>, names: readonly K[]): Partial<Record<K, boolean>> {
  const out: Partial<Record<K, boolean>> = {};
  for (const name of names) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw paramError(ctx.op, `${name} must be a boolean`);
    out[name] = value;
  }
  return out;
}

/** A required string field of a JSON body (blank counts as missing). */
export function requiredString(ctx: Ctx, body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined) throw paramError(ctx.op, `${name} is required`);
  if (typeof value !== 'string') throw paramError(ctx.op, `${name} must be a string`);
  if (value.trim() === '') throw paramError(ctx.op, `${name} is required`);
  return value;
}

/** An optional string field of a JSON body. */
export function optionalString(ctx: Ctx, body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw paramError(ctx.op, `${name} must be a string`);
  return value;
}

/** One of the words an `action` field allows, or the route's parameter error. */
export function action<A extends string>(ctx: Ctx, body: Record<string, unknown>, allowed: readonly A[]): A {
  const value = requiredString(ctx, body, 'action');
  if (!(allowed as readonly string[]).includes(value)) throw paramError(ctx.op, `action must be one of ${allowed.join(', ')}`);
  return value as A;
}

/** A `userList` of `{unionId, participantId?}` (kick, mute, co-hosts): required, non-empty, de-duplicated. */
export function userList(ctx: Ctx, body: Record<string, unknown>): string[] {
  const list = body.userList;
  if (list === undefined) throw paramError(ctx.op, 'userList is required');
  if (!Array.isArray(list)) throw paramError(ctx.op, 'userList must be an array');
  if (list.length === 0) throw paramError(ctx.op, 'userList must not be empty');
  return [
    ...new Set(
      list.map((u, i) => {
        if (!isObject(u)) throw paramError(ctx.op, `userList[${i}] must be an object`);
        if (u.participantId !== undefined && typeof u.participantId !== 'string') throw paramError(ctx.op, `userList[${i}].participantId must be a string`);
        if (typeof u.unionId !== 'string' || u.unionId.trim() === '') throw paramError(ctx.op, `userList[${i}].unionId is required`);
        return u.unionId;
      }),
    ),
  ];
}
