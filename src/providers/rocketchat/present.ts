import type { CallDoc } from './types.js';

const CALL_KEYS = [
  '_id',
  'type',
  'users',
  'messages',
  'status',
  'anonymousUsers',
  'createdAt',
  'providerName',
  'ringing',
  'title',
  'rid',
  'createdBy',
  '_updatedAt',
  'url',
  'endedBy',
  'endedAt',
] as const;

/** The call as the API shows it: keys in the documented order, absent keys skipped (reference §6.2). */
export function present(doc: CallDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CALL_KEYS) if (doc[key] !== undefined) out[key] = doc[key];
  return out;
}
