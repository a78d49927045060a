import type { RoomToken } from '../types.js';
import type { Scope } from './rules.js';

export interface RoomTokenInput {
  room_name: string;
  user_name?: string;
  permissions: string[];
  join_from?: number;
  join_until?: number;
  remove_at?: number;
  remove_after_seconds_elapsed?: number;
  join_audio_muted?: boolean;
  join_video_muted?: boolean;
  auto_create_room: boolean;
  enable_room_previews?: boolean;
  room_display_name?: string;
  end_room_session_on_leave?: boolean;
  join_as: string;
  media_allowed?: string;
  room_meta?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  sync_audio_video?: boolean;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Issues a room token: the record the dashboard lists, and the JWT claims. The claims the spec's
 * example token carries keep its names (`iat`, `jti`, `sub` = project, `u` user, `r` room, `s` scopes,
 * `acr` auto-create, `jf`/`ju` join window, `rat` remove-at, `rse` remove-after, in seconds); the
 * other request fields are carried, only when sent, under short names of the same style (decision).
 */
export function issueRoomToken(s: Scope, input: RoomTokenInput): { token: RoomToken; claims: Record<string, unknown> } {
  const at = s.store.stamp(s.world, s.now);
  const permissions = input.join_as === 'audience' ? [] : input.permissions;
  const token: RoomToken = {
    id: s.ids.uuid(),
    room_name: input.room_name,
    user_name: input.user_name ?? null,
    permissions,
    join_as: input.join_as,
    join_from: input.join_from ?? null,
    join_until: input.join_until ?? null,
    created_at: at,
  };
  s.store.roomTokens.insert(s.world, s.projectId, at, token, [token.room_name]);
  const optional: [string, unknown][] = [
    ['jf', input.join_from === undefined ? undefined : seconds(input.join_from)],
    ['ju', input.join_until === undefined ? undefined : seconds(input.join_until)],
    ['rat', input.remove_at === undefined ? undefined : seconds(input.remove_at)],
    ['rse', input.remove_after_seconds_elapsed],
    ['ja', input.join_as],
    ['jam', input.join_audio_muted],
    ['jvm', input.join_video_muted],
    ['erp', input.enable_room_previews],
    ['rdn', input.room_display_name],
    ['ersl', input.end_room_session_on_leave],
    ['ma', input.media_allowed],
    ['rm', input.room_meta],
    ['m', input.meta],
    ['sav', input.sync_audio_video],
  ];
  const claims: Record<string, unknown> = {
    iat: seconds(at),
    jti: token.id,
    sub: s.projectId,
    ...(input.user_name === undefined ? {} : { u: input.user_name }),
    r: input.room_name,
    s: permissions,
    acr: input.auto_create_room,
  };
  for (const [key, value] of optional) if (value !== undefined) claims[key] = value;
  return { token, claims };
}

/** A new RTMP(S) stream of a conference or room (reference §4.8 values). */
