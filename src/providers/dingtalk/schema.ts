// Tables of the DingTalk provider (prefix `dingtalk_`). App keys and token hashes are unique across
// worlds (a credential picks its world), so they are global keys; everything else is per world.
export const schema = `
CREATE TABLE IF NOT EXISTS dingtalk_apps (
  app_key TEXT PRIMARY KEY,
  world TEXT NOT NULL,
  app_secret TEXT NOT NULL,
  org TEXT NOT NULL,
  scopes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dingtalk_apps_world ON dingtalk_apps (world);
CREATE TABLE IF NOT EXISTS dingtalk_tokens (
  token_hash TEXT PRIMARY KEY,
  world TEXT NOT NULL,
  app_key TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dingtalk_tokens_app ON dingtalk_tokens (app_key);
CREATE TABLE IF NOT EXISTS dingtalk_users (
  world TEXT NOT NULL,
  union_id TEXT NOT NULL,
  nick TEXT NOT NULL,
  org TEXT NOT NULL,
  PRIMARY KEY (world, union_id)
);
CREATE TABLE IF NOT EXISTS dingtalk_conferences (
  world TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  org TEXT NOT NULL,
  title TEXT NOT NULL,
  creator_id TEXT NOT NULL,
  creator_nick TEXT NOT NULL,
  status INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  room_code TEXT NOT NULL,
  external_link_url TEXT NOT NULL,
  conference_password TEXT NOT NULL,
  host_password TEXT NOT NULL,
  phone_numbers TEXT NOT NULL,
  biz_type TEXT NOT NULL,
  invite_caller INTEGER NOT NULL,
  invited_num INTEGER NOT NULL,
  cloud_record_status INTEGER NOT NULL,
  cloud_record_owner TEXT,
  media_status INTEGER NOT NULL,
  extension_app_settings TEXT,
  schedule_conference_id TEXT,
  settings TEXT NOT NULL,
  minutes_status INTEGER,
  minutes_owner TEXT,
  PRIMARY KEY (world, conference_id)
);
CREATE INDEX IF NOT EXISTS dingtalk_conferences_room_code ON dingtalk_conferences (world, room_code);
CREATE TABLE IF NOT EXISTS dingtalk_members (
  world TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  union_id TEXT NOT NULL,
  user_nick TEXT NOT NULL,
  -- list order: creator, invitees in request order, then others by first join (reference §3.4)
  seq INTEGER NOT NULL,
  attend_status INTEGER NOT NULL,
  host INTEGER NOT NULL,
  co_host INTEGER NOT NULL,
  pstn_join INTEGER NOT NULL,
  join_time INTEGER,
  leave_time INTEGER,
  -- time spent in finished stays; the current stay (since in_since) is added when read
  duration_ms INTEGER NOT NULL,
  in_since INTEGER,
  outer_org_member INTEGER NOT NULL,
  camera_status INTEGER NOT NULL,
  mic_status INTEGER NOT NULL,
  reject_description TEXT,
  rejoin_forbidden INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (world, conference_id, union_id)
);
CREATE TABLE IF NOT EXISTS dingtalk_schedules (
  world TEXT NOT NULL,
  schedule_conference_id TEXT NOT NULL,
  org TEXT NOT NULL,
  creator_id TEXT NOT NULL,
  title TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  room_code TEXT NOT NULL,
  url TEXT NOT NULL,
  phones TEXT NOT NULL,
  status INTEGER NOT NULL,
  auto_started INTEGER NOT NULL,
  settings TEXT NOT NULL,
  PRIMARY KEY (world, schedule_conference_id)
);
CREATE INDEX IF NOT EXISTS dingtalk_schedules_due ON dingtalk_schedules (world, auto_started, status, start_time);
CREATE INDEX IF NOT EXISTS dingtalk_conferences_schedule ON dingtalk_conferences (world, schedule_conference_id);
-- Media segments: a cloud recording or a minutes (audio) recording, from start (or resume) to stop (or pause, or the end).
CREATE TABLE IF NOT EXISTS dingtalk_media (
  world TEXT NOT NULL,
  media_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  union_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  PRIMARY KEY (world, media_id)
);
CREATE INDEX IF NOT EXISTS dingtalk_media_conference ON dingtalk_media (world, conference_id, kind, start_time);
-- What was said, as the control plane states it (there is no audio): the source of texts, minutes and summaries.
CREATE TABLE IF NOT EXISTS dingtalk_transcript (
  world TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  union_id TEXT NOT NULL,
  user_nick TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (world, conference_id, seq)
);
CREATE TABLE IF NOT EXISTS dingtalk_streams (
  world TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  union_id TEXT NOT NULL,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  PRIMARY KEY (world, stream_id)
);
CREATE INDEX IF NOT EXISTS dingtalk_streams_conference ON dingtalk_streams (world, conference_id);
-- Metric samples of a member as the control plane states them, in place of the derived ones: the fields given, as JSON.
CREATE TABLE IF NOT EXISTS dingtalk_metrics (
  world TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  union_id TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  sample TEXT NOT NULL,
  PRIMARY KEY (world, conference_id, union_id, timestamp)
);
-- Minutes of a conference: what the control plane set in place of the derived summary, and who may read them.
CREATE TABLE IF NOT EXISTS dingtalk_minutes (
  world TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  overrides TEXT NOT NULL,
  readers TEXT NOT NULL,
  PRIMARY KEY (world, conference_id)
);
`;
