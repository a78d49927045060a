// Tables of the Rocket.Chat provider (prefix `rocketchat_`). Kept as a TypeScript string so the
// build needs no asset-copying step.
export const schema = `
CREATE TABLE IF NOT EXISTS rocketchat_settings (
  world TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (world, key)
);
CREATE TABLE IF NOT EXISTS rocketchat_users (
  world TEXT NOT NULL,
  _id TEXT NOT NULL,
  username TEXT,
  name TEXT,
  emails TEXT NOT NULL,
  roles TEXT NOT NULL,
  password_hash TEXT,
  avatar_etag TEXT,
  status TEXT NOT NULL,
  utc_offset REAL NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY (world, _id)
);
CREATE UNIQUE INDEX IF NOT EXISTS rocketchat_users_username ON rocketchat_users (world, username);
CREATE TABLE IF NOT EXISTS rocketchat_tokens (
  hashed_token TEXT PRIMARY KEY,
  world TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rocketchat_tokens_user ON rocketchat_tokens (world, user_id);
CREATE TABLE IF NOT EXISTS rocketchat_rooms (
  world TEXT NOT NULL,
  _id TEXT NOT NULL,
  t TEXT NOT NULL,
  name TEXT,
  fname TEXT,
  ro INTEGER NOT NULL,
  archived INTEGER NOT NULL,
  muted TEXT NOT NULL,
  unmuted TEXT NOT NULL,
  PRIMARY KEY (world, _id)
);
CREATE TABLE IF NOT EXISTS rocketchat_subscriptions (
  world TEXT NOT NULL,
  rid TEXT NOT NULL,
  user_id TEXT NOT NULL,
  blocked INTEGER NOT NULL,
  blocker INTEGER NOT NULL,
  PRIMARY KEY (world, rid, user_id)
);
-- a member's room roles (the subscription's roles: owner, moderator, …), for room-scoped permissions
CREATE TABLE IF NOT EXISTS rocketchat_room_roles (
  world TEXT NOT NULL,
  rid TEXT NOT NULL,
  user_id TEXT NOT NULL,
  roles TEXT NOT NULL,
  PRIMARY KEY (world, rid, user_id)
);
CREATE TABLE IF NOT EXISTS rocketchat_messages (
  world TEXT NOT NULL,
  _id TEXT NOT NULL,
  rid TEXT NOT NULL,
  t TEXT NOT NULL,
  ts INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  call_id TEXT,
  PRIMARY KEY (world, _id)
);
CREATE TABLE IF NOT EXISTS rocketchat_calls (
  world TEXT NOT NULL,
  _id TEXT NOT NULL,
  rid TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- start mark: the later of createdAt and the instant the call entered the world (reference §6.3)
  mark INTEGER NOT NULL,
  -- instant of the next time transition (auto-decline or expiry); NULL once none is due
  deadline INTEGER,
  callee_id TEXT,
  doc TEXT NOT NULL,
  PRIMARY KEY (world, _id)
);
CREATE INDEX IF NOT EXISTS rocketchat_calls_room ON rocketchat_calls (world, rid, created_at DESC, _id DESC);
CREATE INDEX IF NOT EXISTS rocketchat_calls_deadline ON rocketchat_calls (world, deadline) WHERE deadline IS NOT NULL;
CREATE TABLE IF NOT EXISTS rocketchat_room_call_counts (
  world TEXT NOT NULL,
  rid TEXT NOT NULL,
  total INTEGER NOT NULL,
  PRIMARY KEY (world, rid)
);
`;
