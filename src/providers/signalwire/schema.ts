// Tables of the SignalWire provider (prefix `signalwire_`). Every row carries its world and its
// project (the tenant, reference §2.1). Records keep their public shape as a JSON `doc`; the
// columns next to it are the ones lookups, uniqueness and ordering need.
export const schema = `
CREATE TABLE IF NOT EXISTS signalwire_projects (
  world TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_projects_id ON signalwire_projects (id);
CREATE TABLE IF NOT EXISTS signalwire_api_tokens (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  -- sha256 hex of the API token: the token itself is never stored
  token_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  PRIMARY KEY (world, project_id, token_hash)
);
CREATE INDEX IF NOT EXISTS signalwire_api_tokens_hash ON signalwire_api_tokens (project_id, token_hash);
-- The last created_at handed out in a world: every new record gets max(now, last + 1 ms) (reference §2.7).
CREATE TABLE IF NOT EXISTS signalwire_stamps (
  world TEXT PRIMARY KEY,
  last_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signalwire_conferences (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id),
  UNIQUE (world, project_id, name)
);
CREATE TABLE IF NOT EXISTS signalwire_conference_tokens (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_conference_tokens_conf ON signalwire_conference_tokens (world, conference_id);
CREATE TABLE IF NOT EXISTS signalwire_streams (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_streams_conf ON signalwire_streams (world, conference_id);
CREATE TABLE IF NOT EXISTS signalwire_room_sessions (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_id TEXT,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_room_sessions_room ON signalwire_room_sessions (world, room_id, status);
CREATE TABLE IF NOT EXISTS signalwire_members (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_members_session ON signalwire_members (world, room_session_id);
CREATE TABLE IF NOT EXISTS signalwire_events (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_events_session ON signalwire_events (world, room_session_id);
CREATE TABLE IF NOT EXISTS signalwire_recordings (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_recordings_session ON signalwire_recordings (world, room_session_id);
CREATE TABLE IF NOT EXISTS signalwire_rooms (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id),
  UNIQUE (world, project_id, name)
);
CREATE TABLE IF NOT EXISTS signalwire_room_tokens (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE TABLE IF NOT EXISTS signalwire_logs (
  world TEXT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  room_session_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, id)
);
CREATE INDEX IF NOT EXISTS signalwire_logs_session ON signalwire_logs (world, room_session_id);
CREATE INDEX IF NOT EXISTS signalwire_logs_room ON signalwire_logs (world, room_id);
-- The HMAC key room tokens and recording links of a world are signed with (created on first use).
CREATE TABLE IF NOT EXISTS signalwire_signing_keys (
  world TEXT PRIMARY KEY,
  key TEXT NOT NULL
);
`;
