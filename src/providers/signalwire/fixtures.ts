import type { IdSource } from '../../core/ids.js';
import type { World } from '../../core/worlds.js';
import { hashApiToken } from './crypto.js';
import { GUEST_SCOPES, MODERATOR_SCOPES, buildConference, buildRoom, durationSeconds, insertLog, newTokens, recordEvent, sessionOf, type Scope } from './domain/index.js';
import type { SignalWireStore } from './store.js';
import type { ConferenceFixture, ConferenceToken, Member, ProjectFixture, Recording, RoomFixture, SignalWireFixtures } from './types.js';
import { recordingFileSize } from './present.js';
import { parseDateTime, validateConference, validateRoom } from './validate.js';

/** Records given the same instant keep their list order: each gets max(given, previous + 1 ms) (reference §2.7). */
function monotonic(): (at: number) => number {
  let last = -Infinity;
  return (at) => (last = Math.max(at, last + 1));
}

function instant(value: string | undefined, fallback: () => number, what: string): number {
  if (value === undefined) return fallback();
  const ms = parseDateTime(value);
  if (ms === undefined) throw new Error(`signalwire fixtures: ${what} is not an RFC 3339 date-time: ${value}`);
  return ms;
}

/**
 * Loads the SignalWire section of a fixtures file (format in fixtures/README.md). Every id, token
 * and timestamp the fixtures give is kept as is; conference fields pass the API's own validation.
 */
export function loadFixtures(store: SignalWireStore, world: World, ids: IdSource, fixtures: SignalWireFixtures): void {
  const now = world.now();
  for (const project of fixtures.projects ?? []) {
    const projectId = project.id.toLowerCase();
    store.insertProject(world.id, projectId, project.name ?? projectId);
    for (const t of project.api_tokens ?? []) store.insertApiToken(world.id, projectId, hashApiToken(t.token), t.name ?? 'API token', t.scopes ?? ['video']);
    const s: Scope = { store, world: world.id, projectId, now, ids };
    for (const c of project.conferences ?? []) loadConference(s, c);
    for (const r of project.rooms ?? []) loadRoom(s, r);
  }
}

function loadRoom(s: Scope, r: RoomFixture): void {
  const { store, world, projectId } = s;
  const what = `room ${r.id}`;
  const { errors, values } = validateRoom(r, 'create', (name) => store.nameTaken(world, projectId, name));
  if (errors.length > 0) throw new Error(`signalwire fixtures: ${what}: ${errors.map((e) => `${e.attribute} ${e.message}`).join(', ')}`);
  const createdAt = instant(r.created_at, () => store.stamp(world, s.now), `${what} created_at`);
  store.seen(world, createdAt);
  const room = buildRoom(r.id.toLowerCase(), values.name!, values, createdAt);
  room.updated_at = instant(r.updated_at, () => createdAt, `${what} updated_at`);
  store.rooms.insert(world, projectId, createdAt, room, [room.name]);
}

function loadConference(s: Scope, c: ConferenceFixture): void {
  const { store, world, projectId } = s;
  const stamp = (at: number) => {
    store.seen(world, at);
    return at;
  };
  const what = `conference ${c.id}`;
  const { errors, values } = validateConference(c, 'fixture', (name) => store.nameTaken(world, projectId, name));
  if (errors.length > 0) throw new Error(`signalwire fixtures: ${what}: ${errors.map((e) => `${e.attribute} ${e.message}`).join(', ')}`);
  if (values.name === undefined) throw new Error(`signalwire fixtures: ${what} needs a name`);
  const createdAt = stamp(instant(c.created_at, () => store.stamp(world, s.now), `${what} created_at`));
  const conference = buildConference(c.id.toLowerCase(), values.name, values, createdAt);
  conference.updated_at = instant(c.updated_at, () => createdAt, `${what} updated_at`);
  store.conferences.insert(world, projectId, createdAt, conference, [conference.name]);

  const tokens: ConferenceToken[] = c.conference_tokens
    ? c.conference_tokens.map((t) => ({ id: t.id.toLowerCase(), name: t.name, token: t.token, scopes: t.name === 'Moderator' ? MODERATOR_SCOPES : GUEST_SCOPES }))
    : newTokens(s.ids);
  tokens.forEach((token, i) => store.tokens.insert(world, projectId, stamp(createdAt + i + 1), token, [conference.id]));

  for (const st of c.streams ?? []) {
    const at = stamp(instant(st.created_at, () => store.stamp(world, s.now), `stream ${st.id} created_at`));
    const stream = { id: st.id.toLowerCase(), conference_id: conference.id, url: st.url, stream_type: 'rtmp', fps: 20, created_at: at, updated_at: at };
    store.streams.insert(world, projectId, at, stream, [conference.id]);
  }

  for (const rs of c.room_sessions ?? []) {
    const start = stamp(instant(rs.start_time, () => s.now, `room session ${rs.id} start_time`));
    const session = sessionOf({ kind: 'conference', conference }, rs.id.toLowerCase(), start);
    if (rs.end_time !== undefined) {
      const end = instant(rs.end_time, () => s.now, `room session ${rs.id} end_time`);
      session.status = 'completed';
      session.end_time = end;
      session.duration = durationSeconds(start, end);
      session.updated_at = end;
    }
    store.sessions.insert(world, projectId, start, session, [session.room_id, session.status]);
    insertLog(s, session, 'video_conference_session', start);
    const members = new Map<string, Member>();
    const memberOrder = monotonic();
    for (const m of rs.members ?? []) {
      const join = stamp(memberOrder(instant(m.join_time, () => s.now, `member ${m.id} join_time`)));
      const leave = m.leave_time === undefined ? null : instant(m.leave_time, () => s.now, `member ${m.id} leave_time`);
      const member: Member = {
        id: m.id.toLowerCase(),
        room_session_id: session.id,
        name: m.name,
        join_time: join,
        leave_time: leave,
        duration: leave === null ? null : durationSeconds(join, leave),
        cost_in_dollars: 0,
      };
      members.set(member.id, member);
      store.members.insert(world, projectId, join, member, [session.id]);
    }
    const recordings = new Map<string, Recording>();
    const recordingOrder = monotonic();
    for (const r of rs.recordings ?? []) {
      const started = stamp(recordingOrder(instant(r.started_at, () => s.now, `recording ${r.id} started_at`)));
      const finished = r.finished_at === undefined ? null : instant(r.finished_at, () => s.now, `recording ${r.id} finished_at`);
      const recording: Recording = {
        id: r.id.toLowerCase(),
        room_session_id: session.id,
        status: finished === null ? 'recording' : 'completed',
        started_at: started,
        finished_at: finished,
        duration: finished === null ? null : durationSeconds(started, finished),
        size_in_bytes: finished === null ? null : recordingFileSize(durationSeconds(started, finished)),
        format: 'video/mp4',
        cost_in_dollars: 0,
        uri: null,
        created_at: started,
        updated_at: finished ?? started,
      };
      recordings.set(recording.id, recording);
      store.recordings.insert(world, projectId, started, recording, [session.id]);
    }
    const eventOrder = monotonic();
    for (const e of rs.events ?? []) {
      const at = stamp(eventOrder(instant(e.created_at, () => s.now, `event ${e.id} created_at`)));
      const member = e.member_id === undefined ? undefined : members.get(e.member_id.toLowerCase());
      const recording = e.recording_id === undefined ? undefined : recordings.get(e.recording_id.toLowerCase());
      if ((e.member_id !== undefined && !member) || (e.recording_id !== undefined && !recording)) {
        throw new Error(`signalwire fixtures: event ${e.id} names a member or recording its session does not have`);
      }
      recordEvent(s, session, e.name, { member, recording }, undefined, e.id.toLowerCase(), at);
    }
  }
}

/** A copy of a fixture section with new project ids and API tokens (both unique across worlds), for a new world. */
export function freshCredentials(section: SignalWireFixtures, ids: IdSource): SignalWireFixtures {
  const fixtures = structuredClone(section);
  for (const project of fixtures.projects ?? []) {
    project.id = ids.uuid();
    for (const token of project.api_tokens ?? []) token.token = `PT${ids.hex(48)}`;
  }
  return fixtures;
}

/**
 * The credentials a fixture section holds, as `POST /_emulator/worlds` lists them: per project, the
 * first API token with the Video scope as `token`, and every API token.
 */
export function listCredentials(section: SignalWireFixtures | undefined): Record<string, unknown> {
  const tokens = (p: ProjectFixture) => (p.api_tokens ?? []).map((t) => ({ name: t.name ?? 'API token', token: t.token, scopes: t.scopes ?? ['video'] }));
  return {
    projects: (section?.projects ?? [])
      .filter((p) => tokens(p).length > 0)
      .map((p) => {
        const all = tokens(p);
        const video = all.find((t) => t.scopes.some((s) => s.toLowerCase() === 'video')) ?? all[0];
        return { projectId: p.id, token: video.token, apiTokens: all };
      }),
  };
}
