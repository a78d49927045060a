import type { WorldEvents } from '../../../core/events.js';
import type { IdSource } from '../../../core/ids.js';
import type { SignalWireStore } from '../store.js';
import type { Conference, Room } from '../types.js';

export function durationSeconds(from: number, to: number): number {
  return Math.max(0, Math.floor(to / 1000) - Math.floor(from / 1000));
}

/** Moderator token permissions, all 37 in the documented order (reference §4.9). */
export const MODERATOR_SCOPES = [
  'room.hide_video_muted', 'room.show_video_muted', 'room.list_available_layouts', 'room.playback', 'room.recording',
  'room.set_layout', 'room.set_position', 'room.set_meta', 'room.stream', 'room.stream.start',
  'room.member.audio_mute', 'room.member.audio_unmute', 'room.member.deaf', 'room.member.demote', 'room.member.promote',
  'room.member.undeaf', 'room.member.remove', 'room.member.set_input_sensitivity', 'room.member.set_input_volume',
  'room.member.set_output_volume', 'room.member.video_mute', 'room.member.video_unmute', 'room.member.set_position', 'room.member.set_meta',
  'room.self.additional_source', 'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.deaf', 'room.self.undeaf',
  'room.self.screenshare', 'room.self.set_input_sensitivity', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.video_mute', 'room.self.video_unmute', 'room.self.set_position', 'room.self.set_meta',
];

/** Guest token permissions: the 11 default `room.self.*` ones (reference §4.9). */
export const GUEST_SCOPES = [
  'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute', 'room.self.video_unmute',
  'room.self.deaf', 'room.self.undeaf', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.set_input_sensitivity', 'room.self.screenshare', 'room.self.additional_source',
];

export const QUALITIES = ['720p', '1080p'];
export const SIZES = ['small', 'medium', 'large'];
export const LAYOUTS = [
  'grid-responsive', 'grid-responsive-mobile', 'highlight-1-responsive', '1x1', '2x1', '2x2', '5up', '3x3', '4x4', '5x5', '6x6', '8x8', '10x10',
];
export const MAX_MEMBERS: Record<string, number> = { small: 10, medium: 50, large: 300 };

/** Every permission a room token may grant, in the spec's order (video-api/room-tokens/models/core.tsp `RoomTokenPermission`). */
export const ROOM_TOKEN_PERMISSIONS = [
  'room.member.audio_mute', 'room.member.audio_unmute', 'room.member.video_mute', 'room.member.video_unmute', 'room.member.deaf',
  'room.member.undeaf', 'room.member.set_input_volume', 'room.member.set_output_volume', 'room.member.set_input_sensitivity',
  'room.member.set_position', 'room.member.set_meta', 'room.member.raisehand', 'room.member.lowerhand', 'room.member.remove',
  'room.member.promote', 'room.member.demote', 'room.hide_video_muted', 'room.list_available_layouts', 'room.lock', 'room.playback',
  'room.playback_seek', 'room.prioritize_handraise', 'room.recording', 'room.set_layout', 'room.set_position', 'room.set_meta',
  'room.show_video_muted', 'room.stream', 'room.unlock', 'room.self.audio_mute', 'room.self.audio_unmute', 'room.self.video_mute',
  'room.self.video_unmute', 'room.self.deaf', 'room.self.undeaf', 'room.self.set_input_volume', 'room.self.set_output_volume',
  'room.self.set_input_sensitivity', 'room.self.set_position', 'room.self.set_meta', 'room.self.raisehand', 'room.self.lowerhand',
  'room.self.screenshare', 'room.self.additional_source',
];
export const JOIN_AS = ['member', 'audience'];
export const MEDIA_ALLOWED = ['all', 'video-only', 'audio-only'];

/**
 * Create defaults of a room (video-api/rooms/models/requests.tsp `RoomRequestProperties`); the keys the
 * request cannot set take the response examples' values. `display_name` defaults to `name`.
 */
export const ROOM_DEFAULTS = {
  description: null,
  max_members: 20,
  quality: '720p',
  fps: 20,
  join_from: null,
  join_until: null,
  remove_at: null,
  remove_after_seconds_elapsed: null,
  layout: 'grid-responsive',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  room_join_video_off: false,
  user_join_video_off: false,
  enable_room_previews: false,
  sync_audio_video: null,
  meta: null,
  prioritize_handraise: false,
} satisfies Partial<Room>;

/** The update body's own defaults, applied to the fields a PUT leaves out (the spec's request models). */
export const ROOM_UPDATE_DEFAULTS = { max_members: 20, quality: '720p', layout: 'grid-responsive', record_on_start: false, enable_room_previews: false };
export const CONFERENCE_UPDATE_DEFAULTS = { quality: '720p', layout: 'grid-responsive', size: 'medium' };

/** Create defaults of every optional conference field (reference §4.1). */
export const CONFERENCE_DEFAULTS = {
  description: null,
  join_from: null,
  join_until: null,
  quality: '720p',
  layout: 'grid-responsive',
  size: 'medium',
  record_on_start: false,
  tone_on_entry_and_exit: true,
  user_join_video_off: false,
  room_join_video_off: false,
  enable_chat: true,
  enable_room_previews: false,
  dark_primary: '#044EF4',
  dark_background: '#FFFFFF',
  dark_foreground: '#1D2127',
  dark_success: '#17BB58',
  dark_negative: '#F42C50',
  light_primary: '#044EF4',
  light_background: '#FFFFFF',
  light_foreground: '#1D2127',
  light_success: '#17BB58',
  light_negative: '#F42C50',
  meta: null,
} satisfies Partial<Conference>;

export const tokenValue = (ids: IdSource) => `vpt_${ids.hex(32)}`;

/** A slug from `display_name` (reference §2.3): lowercased, `[^A-Za-z0-9_-]` → `-`, ≤ 100, then `-2`, `-3`, … while taken. */
export function slugFor(displayName: string, taken: (name: string) => boolean): string {
  const base = Array.from(displayName.toLowerCase(), (c) => (/^[A-Za-z0-9_-]$/.test(c) ? c : '-')).slice(0, 100);
  let name = base.join('');
  for (let n = 2; taken(name); n++) {
    const suffix = `-${n}`;
    name = base.slice(0, 100 - suffix.length).join('') + suffix;
  }
  return name;
}

/** Everything a lifecycle step needs: where it writes, for which project, and at which instant. */
export interface Scope {
  store: SignalWireStore;
  world: string;
  projectId: string;
  now: number;
  ids: IdSource;
  /** The world's domain events: every recorded event is told there too (the Relay pushes, shared/DESIGN.md "Realtime"). */
  events?: WorldEvents;
}
