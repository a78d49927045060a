import type { IdSource } from '../../../core/ids.js';
import type { Conference, ConferenceToken } from '../types.js';
import { CONFERENCE_DEFAULTS, GUEST_SCOPES, MODERATOR_SCOPES, tokenValue, type Scope } from './rules.js';
import { retireHost } from './sessions.js';

/** Inserts a conference and its Moderator and Guest tokens, in that order (reference §2.4). Run inside a transaction. */
export function insertConference(s: Scope, conference: Conference, tokens: ConferenceToken[]): void {
  s.store.conferences.insert(s.world, s.projectId, conference.created_at, conference, [conference.name]);
  for (const token of tokens) s.store.tokens.insert(s.world, s.projectId, s.store.stamp(s.world, s.now), token, [conference.id]);
}

export function newTokens(ids: IdSource): ConferenceToken[] {
  return [
    { id: ids.uuid(), name: 'Moderator', token: tokenValue(ids), scopes: MODERATOR_SCOPES },
    { id: ids.uuid(), name: 'Guest', token: tokenValue(ids), scopes: GUEST_SCOPES },
  ];
}

export function buildConference(id: string, name: string, values: Partial<Conference>, at: number): Conference {
  const { display_name = null, ...rest } = values;
  return { id, name, display_name, ...CONFERENCE_DEFAULTS, ...withoutName(rest), created_at: at, updated_at: at };
}

function withoutName(values: Partial<Conference>): Partial<Conference> {
  const { name: _name, id: _id, created_at: _c, updated_at: _u, ...rest } = values;
  return rest;
}

/** What a room session starts in: a conference (a room with a prebuilt UI) or a room. */

export function deleteConference(s: Scope, conference: Conference): void {
  retireHost(s, conference.id);
  s.store.tokens.deleteBy(s.world, 'conference_id', conference.id);
  s.store.streams.deleteBy(s.world, 'conference_id', conference.id);
  s.store.conferences.delete(s.world, conference.id);
}

/** A room with every key in emission order: the accepted values over the create defaults. */
