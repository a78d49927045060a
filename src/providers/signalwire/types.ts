/** Who a request runs as: the project named by the Basic credentials (reference §2.1). */
export interface Principal {
  projectId: string;
}

/** Timestamps are epoch milliseconds in storage and RFC 3339 seconds on the wire (reference §2.10). */
export type Ms = number;

/** A video conference as stored (reference §4.1), keys in emission order. */
export interface Conference {
  id: string;
  name: string;
  display_name: string | null;
  description: string | null;
  join_from: Ms | null;
  join_until: Ms | null;
  quality: string;
  layout: string;
  size: string | null;
  record_on_start: boolean;
  tone_on_entry_and_exit: boolean;
  user_join_video_off: boolean;
  room_join_video_off: boolean;
  enable_chat: boolean;
  enable_room_previews: boolean | null;
  dark_primary: string | null;
  dark_background: string | null;
  dark_foreground: string | null;
  dark_success: string | null;
  dark_negative: string | null;
  light_primary: string | null;
  light_background: string | null;
  light_foreground: string | null;
  light_success: string | null;
  light_negative: string | null;
  meta: Record<string, unknown> | null;
  created_at: Ms;
  updated_at: Ms;
}

export interface ConferenceToken {
  id: string;
  name: string | null;
  token: string;
  scopes: string[];
}

/** A room session as stored (reference §4.4), keys in emission order; `preview_url` is computed per request. */
export interface RoomSession {
  id: string;
  room_id: string | null;
  name: string | null;
  display_name: string | null;
  max_members: number | null;
  quality: string | null;
  fps: number | null;
  join_from: Ms | null;
  join_until: Ms | null;
  remove_at: Ms | null;
  remove_after_seconds_elapsed: number | null;
  layout: string | null;
  record_on_start: boolean;
  tone_on_entry_and_exit: boolean;
  room_join_video_off: boolean;
  user_join_video_off: boolean;
  locked: boolean;
  start_time: Ms | null;
  end_time: Ms | null;
  duration: number | null;
  status: 'in-progress' | 'completed';
  created_at: Ms;
  updated_at: Ms;
  prioritize_handraise: boolean | null;
  sync_audio_video: boolean | null;
  cost_in_dollars: number;
  enable_room_previews: boolean;
  locked_cover: string;
}

export interface Member {
  id: string;
  room_session_id: string;
  name: string | null;
  join_time: Ms | null;
  leave_time: Ms | null;
  duration: number | null;
  cost_in_dollars: number;
}

export interface RoomEvent {
  id: string;
  project_id: string;
  room_id: string;
  room_session_id: string;
  room_recording_id?: string;
  room_participant_id?: string;
  level: string;
  name: string;
  payload: Record<string, unknown>;
  created_at: Ms;
}

export interface Recording {
  id: string;
  room_session_id: string;
  status: 'recording' | 'paused' | 'processing' | 'completed';
  started_at: Ms | null;
  finished_at: Ms | null;
  duration: number | null;
  size_in_bytes: number | null;
  format: string | null;
  cost_in_dollars: number;
  uri: string | null;
  created_at: Ms;
  updated_at: Ms;
}

/** A room (`Video.RoomResponse`), keys in emission order; `active_session` is added per request. */
export interface Room {
  id: string;
  name: string;
  display_name: string | null;
  description: string | null;
  max_members: number;
  quality: string;
  fps: number;
  join_from: Ms | null;
  join_until: Ms | null;
  remove_at: Ms | null;
  remove_after_seconds_elapsed: number | null;
  layout: string;
  record_on_start: boolean;
  tone_on_entry_and_exit: boolean;
  room_join_video_off: boolean;
  user_join_video_off: boolean;
  enable_room_previews: boolean | null;
  sync_audio_video: boolean | null;
  meta: Record<string, unknown> | null;
  prioritize_handraise: boolean;
  created_at: Ms;
  updated_at: Ms;
}

/** A room token as issued (the JWT itself is not kept): what the dashboard lists. */
export interface RoomToken {
  /** The token's `jti`. */
  id: string;
  room_name: string;
  user_name: string | null;
  permissions: string[];
  join_as: string;
  join_from: Ms | null;
  join_until: Ms | null;
  created_at: Ms;
}

/** `Video.Log`: one per room session (reference: video-api/logs/models/core.tsp). */
export interface VideoLog {
  id: string;
  /** The session the log describes; its `url` points there. */
  room_session_id: string;
  /** The room or conference of the session, so deleting it discards the log. */
  room_id: string;
  type: 'video_room_session' | 'video_conference_session';
  room_name: string | null;
  status: 'in-progress' | 'completed';
  started_at: Ms | null;
  ended_at: Ms | null;
  created_at: Ms;
  discarded_at: Ms | null;
}

/** Width and height come from the room's or conference's quality when the stream is shown (reference §4.8). */
export interface Stream {
  id: string;
  /** The conference or room the stream belongs to (both are rooms: one id space). Stored, never shown. */
  conference_id: string;
  url: string;
  stream_type: string;
  fps: number;
  created_at: Ms;
  updated_at: Ms;
}

/** The SignalWire section of a fixtures file (documented in fixtures/README.md). */
export interface SignalWireFixtures {
  projects?: ProjectFixture[];
}

export interface ProjectFixture {
  id: string;
  name?: string;
  api_tokens?: { name?: string; token: string; scopes?: string[] }[];
  conferences?: ConferenceFixture[];
  rooms?: RoomFixture[];
}

/** A room: `id`, `name` and any field of a room create (with the API's values and rules). */
export interface RoomFixture {
  id: string;
  name: string;
  [field: string]: unknown;
  created_at?: string;
  updated_at?: string;
}

export interface ConferenceFixture {
  id: string;
  name: string;
  display_name: string;
  /** Any writable field of the API (reference §4.1), with the API's values; omitted fields take the create defaults. */
  [field: string]: unknown;
  created_at?: string;
  updated_at?: string;
  /** Moderator first, then Guest, with fixed ids and values. */
  conference_tokens: { id: string; name: 'Moderator' | 'Guest'; token: string }[];
  streams?: { id: string; url: string; created_at?: string }[];
  room_sessions?: RoomSessionFixture[];
}

export interface RoomSessionFixture {
  id: string;
  start_time: string;
  /** Absent: the session is in progress. */
  end_time?: string;
  members?: { id: string; name: string; join_time: string; leave_time?: string }[];
  recordings?: { id: string; started_at: string; finished_at?: string }[];
  /** Events with fixed ids; the payload follows from `member_id` / `recording_id` (reference §4.6). */
  events?: { id: string; name: string; created_at: string; member_id?: string; recording_id?: string }[];
}
