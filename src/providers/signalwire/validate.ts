import { JOIN_AS, LAYOUTS, MEDIA_ALLOWED, QUALITIES, ROOM_TOKEN_PERMISSIONS, SIZES, type RoomTokenInput } from './domain/index.js';
import { MESSAGES, fieldError, type FieldError } from './errors.js';
import type { Conference, Room } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|([+-])(\d{2}):(\d{2})))?$/;

/**
 * RFC 3339 with any offset and an optional fraction, or a date alone (midnight UTC), as epoch ms;
 * `undefined` when unparsable or not a real calendar instant (reference §2.10).
 */
export function parseDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  // `Date.UTC` reads years 0-99 as 1900-1999: set the full year explicitly.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const ms = date.getTime();
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return ms - offset;
}

/** `starts_after` / `ends_before`: RFC 3339, a date, or Unix seconds (reference §3.1). */
export function parseTimeFilter(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  return parseDateTime(value);
}

type Body = Record<string, unknown>;
/** A field's first failing rule (a Rails message), or its accepted value. */
type Outcome = { error: string } | { value: unknown };

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && /^\s*$/u.test(v));
const length = (s: string) => Array.from(s).length;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const NAME = /^[A-Za-z0-9_-]+$/;

function text(max: number, nullable: boolean) {
  return (v: unknown): Outcome => {
    if (v === null && nullable) return { value: null };
    if (typeof v !== 'string') return { error: MESSAGES.invalid };
    if (length(v) > max) return { error: MESSAGES.tooLong(max) };
    return { value: v };
  };
}

function dateTime(v: unknown): Outcome {
  if (v === null) return { value: null };
  if (typeof v !== 'string') return { error: MESSAGES.invalid };
  const ms = parseDateTime(v);
  return ms === undefined ? { error: MESSAGES.invalid } : { value: ms };
}

function oneOf(list: string[]) {
  return (v: unknown): Outcome => {
    if (v !== null && typeof v !== 'string') return { error: MESSAGES.invalid };
    return typeof v === 'string' && list.includes(v) ? { value: v } : { error: MESSAGES.inclusion };
  };
}

const bool = (v: unknown): Outcome => (typeof v === 'boolean' ? { value: v } : { error: MESSAGES.invalid });
const colour = (v: unknown): Outcome => (typeof v === 'string' && COLOUR.test(v) ? { value: v } : { error: MESSAGES.invalid });
const meta = (v: unknown): Outcome => (v === null || (typeof v === 'object' && !Array.isArray(v)) ? { value: v } : { error: MESSAGES.invalid });

function displayName(v: unknown): Outcome {
  if (isBlank(v)) return { error: MESSAGES.blank };
  return text(200, false)(v);
}

const colours = ['dark', 'light'].flatMap((theme) =>
  ['primary', 'background', 'foreground', 'success', 'negative'].map((c) => [`${theme}_${c}`, colour] as [string, Rule]),
);

type Rule = (v: unknown) => Outcome;

/** The create body's fields after `name`, in the order of the §4.1 table (video-api/conferences/models/requests.tsp). */
const CREATE_FIELDS: [string, Rule][] = [
  ['display_name', displayName],
  ['description', text(3000, true)],
  ['join_from', dateTime],
  ['join_until', dateTime],
  ['quality', oneOf(QUALITIES)],
  ['layout', oneOf(LAYOUTS)],
  ['size', oneOf(SIZES)],
  ['record_on_start', bool],
  ['enable_chat', bool],
  ['enable_room_previews', bool],
  ...colours,
];

/** The update body's fields: the create's without `name`, plus the three joining switches. */
const UPDATE_FIELDS: [string, Rule][] = [
  ...CREATE_FIELDS.slice(0, 8),
  ['tone_on_entry_and_exit', bool],
  ['user_join_video_off', bool],
  ['room_join_video_off', bool],
  ...CREATE_FIELDS.slice(8),
];

/** A fixture conference may set every stored field, `meta` included (fixtures/README.md). */
const FIXTURE_FIELDS: [string, Rule][] = [...UPDATE_FIELDS, ['meta', meta]];

export interface ConferenceInput {
  errors: FieldError[];
  /** The accepted fields; `name` is absent when it must be generated (create) or is unchanged (update). */
  values: Partial<Conference>;
}

/**
 * Validates a create or update body with the rules of the spec's request models and reference §2.6:
 * one entry per invalid field (its first failing rule), in field order. Keys the request model does
 * not have (`name` and `meta` on update, `meta` and the joining switches on create) are ignored like
 * any unknown key; `display_name` is required on both (video-api/conferences/models/requests.tsp).
 */
export function validateConference(body: Body, mode: 'create' | 'update' | 'fixture', nameTaken: (name: string) => boolean): ConferenceInput {
  const errors: FieldError[] = [];
  const values: Partial<Conference> = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);

  if (mode !== 'update' && has('name') && body.name !== null) {
    const name = body.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      errors.push(fieldError('name', typeof name === 'string' && length(name) > 100 ? MESSAGES.tooLong(100) : MESSAGES.invalid));
    } else if (length(name) > 100) {
      errors.push(fieldError('name', MESSAGES.tooLong(100)));
    } else if (nameTaken(name)) {
      errors.push(fieldError('name', MESSAGES.unique, 'value_not_unique'));
    } else {
      values.name = name;
    }
  }

  for (const [key, rule] of mode === 'create' ? CREATE_FIELDS : mode === 'update' ? UPDATE_FIELDS : FIXTURE_FIELDS) {
    if (!has(key) && key !== 'display_name') continue;
    const outcome = rule(body[key]);
    if ('error' in outcome) errors.push(fieldError(key, outcome.error));
    else (values as Record<string, unknown>)[key] = outcome.value;
  }
  return { errors, values };
}

/** An integer body field within bounds (`exclusiveMin`: the value must be greater than it). */
function integer(min: number, max: number, exclusiveMin = false): Rule {
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return { error: MESSAGES.invalid };
    if (exclusiveMin ? v <= min : v < min) return { error: exclusiveMin ? MESSAGES.greaterThan(min) : MESSAGES.atLeast(min) };
    if (v > max) return { error: MESSAGES.atMost(max) };
    return { value: v };
  };
}

const nullable = (rule: Rule): Rule => (v) => (v === null ? { value: null } : rule(v));

/** A JSON object of at most `max` characters once serialized (room `meta`, token `room_meta` and `meta`). */
function jsonObject(max: number): Rule {
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: MESSAGES.invalid };
    return length(JSON.stringify(v)) > max ? { error: MESSAGES.tooLong(max) } : { value: v };
  };
}

/** A room `name` or a token's `room_name`: required, ≤ 100, `A-Za-z0-9_-`. */
function roomName(v: unknown): Outcome {
  if (isBlank(v)) return { error: MESSAGES.blank };
  if (typeof v !== 'string') return { error: MESSAGES.invalid };
  if (length(v) > 100) return { error: MESSAGES.tooLong(100) };
  return NAME.test(v) ? { value: v } : { error: MESSAGES.invalid };
}

/** The room body's fields after `name` (video-api/rooms/models/requests.tsp `RoomRequestProperties`). */
const ROOM_FIELDS: [keyof Room, Rule][] = [
  ['display_name', text(200, false)],
  ['description', text(3000, true)],
  ['max_members', integer(1, 300)],
  ['quality', oneOf(QUALITIES)],
  ['join_from', dateTime],
  ['join_until', dateTime],
  ['remove_at', dateTime],
  ['remove_after_seconds_elapsed', nullable(integer(1, 200000))],
  ['layout', oneOf(LAYOUTS)],
  ['record_on_start', bool],
  ['enable_room_previews', bool],
  ['meta', nullable(jsonObject(2000))],
  ['sync_audio_video', bool],
];

/** A create (`name` required, unique among the project's rooms and conferences) or update body of a room. */
export function validateRoom(body: Body, mode: 'create' | 'update', nameTaken: (name: string) => boolean): { errors: FieldError[]; values: Partial<Room> } {
  const errors: FieldError[] = [];
  const values: Partial<Room> = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);
  if (mode === 'create') {
    const outcome = roomName(body.name);
    if ('error' in outcome) errors.push(fieldError('name', outcome.error));
    else if (nameTaken(outcome.value as string)) errors.push(fieldError('name', MESSAGES.unique, 'value_not_unique'));
    else values.name = outcome.value as string;
  }
  for (const [key, rule] of ROOM_FIELDS) {
    if (!has(key)) continue;
    const outcome = rule(body[key]);
    if ('error' in outcome) errors.push(fieldError(key, outcome.error));
    else (values as Record<string, unknown>)[key] = outcome.value;
  }
  return { errors, values };
}

function permissionList(v: unknown): Outcome {
  if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) return { error: MESSAGES.invalid };
  return v.every((p) => ROOM_TOKEN_PERMISSIONS.includes(p)) ? { value: [...new Set(v as string[])] } : { error: MESSAGES.inclusion };
}

/** The create-room-token body's fields (video-api/room-tokens/models/requests.tsp), in the model's order. */
const ROOM_TOKEN_FIELDS: [keyof RoomTokenInput, Rule][] = [
  ['room_name', roomName],
  ['user_name', text(100, false)],
  ['permissions', permissionList],
  ['join_from', dateTime],
  ['join_until', dateTime],
  ['remove_at', dateTime],
  ['remove_after_seconds_elapsed', integer(0, 200000, true)],
  ['join_audio_muted', bool],
  ['join_video_muted', bool],
  ['auto_create_room', bool],
  ['enable_room_previews', bool],
  ['room_display_name', text(200, false)],
  ['end_room_session_on_leave', bool],
  ['join_as', oneOf(JOIN_AS)],
  ['media_allowed', oneOf(MEDIA_ALLOWED)],
  ['room_meta', jsonObject(2000)],
  ['meta', jsonObject(2000)],
  ['sync_audio_video', bool],
];

export function validateRoomToken(body: Body, defaultPermissions: string[]): { errors: FieldError[]; input: RoomTokenInput } {
  const errors: FieldError[] = [];
  const input: Record<string, unknown> = { permissions: defaultPermissions, auto_create_room: true, join_as: 'member' };
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);
  for (const [key, rule] of ROOM_TOKEN_FIELDS) {
    if (!has(key) && key !== 'room_name') continue;
    // A date field sent as null is as good as absent: the token has no such limit.
    if (body[key] === null && (key === 'join_from' || key === 'join_until' || key === 'remove_at')) continue;
    const outcome = rule(body[key]);
    if ('error' in outcome) errors.push(fieldError(key, outcome.error));
    else input[key] = outcome.value;
  }
  return { errors, input: input as unknown as RoomTokenInput };
}

/** A stream `url`: required, an `rtmp://` or `rtmps://` URL (reference §3.4). */
export function validateStreamUrl(body: Body): { errors: FieldError[]; url?: string } {
  const url = body.url;
  if (isBlank(url)) return { errors: [fieldError('url', MESSAGES.blank)] };
  if (typeof url !== 'string' || !isRtmpUrl(url)) return { errors: [fieldError('url', MESSAGES.invalid)] };
  return { errors: [], url };
}

function isRtmpUrl(value: string): boolean {
  if (/\s/.test(value) || !/^rtmps?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}
