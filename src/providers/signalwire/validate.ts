import { LAYOUTS, QUALITIES, SIZES } from './domain.js';
import { MESSAGES, fieldError, type FieldError } from './errors.js';
import type { Conference } from './types.js';

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

/** The writable fields after `name`, in the order of the §4.1 table, with their rules. */
const FIELDS: [keyof Conference, (v: unknown) => Outcome][] = [
  ['display_name', displayName],
  ['description', text(3000, true)],
  ['join_from', dateTime],
  ['join_until', dateTime],
  ['quality', oneOf(QUALITIES)],
  ['layout', oneOf(LAYOUTS)],
  ['size', oneOf(SIZES)],
  ['record_on_start', bool],
  ['tone_on_entry_and_exit', bool],
  ['user_join_video_off', bool],
  ['room_join_video_off', bool],
  ['enable_chat', bool],
  ['enable_room_previews', bool],
  ...(['dark', 'light'].flatMap((theme) =>
    ['primary', 'background', 'foreground', 'success', 'negative'].map((c) => [`${theme}_${c}` as keyof Conference, colour] as const),
  ) as [keyof Conference, (v: unknown) => Outcome][]),
  ['meta', meta],
];

export interface ConferenceInput {
  errors: FieldError[];
  /** The accepted fields; `name` is absent when it must be generated (create) or is unchanged (update). */
  values: Partial<Conference>;
}

/**
 * Validates a create or update body with the rules of reference §2.3, §2.5 and §2.6: one entry
 * per invalid field (its first failing rule), in field order. Unknown and read-only keys are ignored.
 */
export function validateConference(body: Body, current: Conference | undefined, nameTaken: (name: string) => boolean): ConferenceInput {
  const errors: FieldError[] = [];
  const values: Partial<Conference> = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);

  if (current) {
    if (has('name') && body.name !== current.name) errors.push(fieldError('name', MESSAGES.unchangeable));
  } else if (has('name') && body.name !== null) {
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

  for (const [key, rule] of FIELDS) {
    // On create only `display_name` is required; on update every field is optional (reference §2.5).
    if (!has(key) && (current || key !== 'display_name')) continue;
    const outcome = rule(body[key]);
    if ('error' in outcome) errors.push(fieldError(key, outcome.error));
    else (values as Record<string, unknown>)[key] = outcome.value;
  }
  return { errors, values };
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
