import { ReadCache } from '../../core/read-cache.js';
import type { FastifyRequest } from 'fastify';
import type { Handler, HandlerContext } from '../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../core/reply.js';
import { Problem } from '../../core/problem.js';
import {
  buildConference,
  endSession,
  insertConference,
  joinMember,
  leaveMember,
  newTokens,
  recordEvent,
  slugFor,
  startRecording,
  startSession,
  stopRecording,
  tokenValue,
  type Scope,
} from './domain.js';
import { MESSAGES, errors, fieldError } from './errors.js';
import { PAGE_PARAMS, integerParam, listPage, readQuery } from './pagination.js';
import {
  presentActiveSession,
  presentConference,
  presentEvent,
  presentMember,
  presentRecording,
  presentSession,
  presentStream,
  presentToken,
  type Origin,
} from './present.js';
import { liveOf, setTalking, updateMember, updateRoom, type MemberChanges, type RoomChanges } from './live.js';
import { VideoState } from './realtime/frames.js';
import type { SignalWireStore, DocTable } from './store.js';
import type { Conference, Principal, RoomSession } from './types.js';
import { isUuid, parseTimeFilter, validateConference, validateStreamUrl } from './validate.js';

type Ctx = HandlerContext<Principal>;

const origin = (req: FastifyRequest): Origin => `${req.protocol}://${req.headers.host ?? ''}`;

const scope = (store: SignalWireStore, ctx: HandlerContext, projectId: string): Scope => ({
  store,
  world: ctx.world.id,
  projectId,
  now: ctx.world.now(),
  ids: ctx.runtime.ids,
  events: ctx.world.events,
});

/** `include_active_session`: exactly `true` or `false` (reference §3.1). */
function includeActiveSessionError(q: Map<string, string>): Map<string, string> {
  const value = q.get('include_active_session');
  return new Map(value === undefined || value === 'true' || value === 'false' ? [] : [['include_active_session', MESSAGES.invalid]]);
}

export function createHandlers(store: SignalWireStore): Record<string, Handler<Principal>> {
  const conferenceJson = new ReadCache<string | Utf8Json | undefined>(store.db);

  /** A record of the caller's project by its path id; not a UUID, unknown or another project's: 404 (reference §2.6). */
  function owned<T extends { id: string }>(table: DocTable<T>, ctx: Ctx): T {
    const id = String((ctx.params as { id: string }).id);
    const doc = isUuid(id) ? table.owned(ctx.world.id, ctx.principal.projectId, id.toLowerCase()) : undefined;
    if (!doc) throw errors.notFound();
    return doc;
  }

  const activeSession = (ctx: Ctx, conference: Conference) => {
    const live = store.liveSession(ctx.world.id, conference.id);
    return live ? presentActiveSession(live, origin(ctx.req)) : null;
  };

  const unprocessable = (entries: ReturnType<typeof fieldError>[]) => {
    if (entries.length > 0) throw errors.validation(entries);
  };

  const pageOnly = <T extends { id: string }>(ctx: Ctx, items: () => T[], render: (item: T) => unknown) =>
    listPage(ctx.req, { params: PAGE_PARAMS, items, render });

  return {
    list_video_conferences: (ctx) => {
      const include = readQuery(ctx.req, ['include_active_session']).get('include_active_session') === 'true';
      return listPage(ctx.req, {
        params: ['starts_after', 'ends_before', 'include_active_session', ...PAGE_PARAMS],
        filterErrors: (q) => {
          const out = new Map<string, string>();
          for (const key of ['starts_after', 'ends_before']) {
            const value = q.get(key);
            if (value !== undefined && parseTimeFilter(value) === undefined) out.set(key, MESSAGES.invalid);
          }
          return out;
        },
        optionErrors: includeActiveSessionError,
        items: (q) => {
          const startsAfter = q.has('starts_after') ? parseTimeFilter(q.get('starts_after')!)! : undefined;
          const endsBefore = q.has('ends_before') ? parseTimeFilter(q.get('ends_before')!)! : undefined;
          return store.conferences
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((c) => startsAfter === undefined || (c.join_from !== null && c.join_from >= startsAfter))
            .filter((c) => endsBefore === undefined || (c.join_until !== null && c.join_until <= endsBefore));
        },
        render: (c) => presentConference(c, include ? activeSession(ctx, c) : undefined),
      });
    },

    create_video_conference: (ctx) => {
      const { projectId } = ctx.principal;
      const world = ctx.world.id;
      const taken = (name: string) => store.nameTaken(world, projectId, name);
      const { errors: problems, values } = validateConference(ctx.body, undefined, taken);
      unprocessable(problems);
      const s = scope(store, ctx, projectId);
      const conference = store.db.transaction(() => {
        const created = buildConference(ctx.runtime.ids.uuid(), values.name ?? slugFor(values.display_name!, taken), values, store.stamp(world, s.now));
        insertConference(s, created, newTokens(ctx.runtime.ids));
        return created;
      })();
      return presentConference(conference);
    },

    get_video_conference: (ctx) => {
      const id = String((ctx.params as { id: string }).id).toLowerCase();
      // The conference alone renders the same until something is written: kept as JSON text.
      const json = conferenceJson.get(`${ctx.world.id}\n${ctx.principal.projectId}\n${id}`, () => {
        const conference = isUuid(id) ? store.conferences.owned(ctx.world.id, ctx.principal.projectId, id) : undefined;
        return conference && reusableJson(JSON.stringify(presentConference(conference)));
      });
      if (json === undefined) throw errors.notFound();
      const q = readQuery(ctx.req, ['include_active_session']);
      const problem = includeActiveSessionError(q).get('include_active_session');
      if (problem) throw errors.validation([fieldError('include_active_session', problem)]);
      if (q.get('include_active_session') !== 'true') return json;
      const conference = owned(store.conferences, ctx);
      return presentConference(conference, activeSession(ctx, conference));
    },

    update_video_conference: (ctx) => {
      const conference = owned(store.conferences, ctx);
      const { errors: problems, values } = validateConference(ctx.body, conference, () => false);
      unprocessable(problems);
      const updated: Conference = { ...conference, ...values, updated_at: Math.max(ctx.world.now(), conference.created_at) };
      store.conferences.update(ctx.world.id, updated);
      return presentConference(updated);
    },

    delete_video_conference: (ctx) => {
      const conference = owned(store.conferences, ctx);
      const world = ctx.world.id;
      store.db.transaction(() => {
        const live = store.liveSession(world, conference.id);
        if (live) endSession(scope(store, ctx, ctx.principal.projectId), live);
        store.tokens.deleteBy(world, 'conference_id', conference.id);
        store.streams.deleteBy(world, 'conference_id', conference.id);
        store.conferences.delete(world, conference.id);
      })();
      ctx.reply.code(204);
      return undefined;
    },

    list_conference_tokens: (ctx) => {
      const conference = owned(store.conferences, ctx);
      return pageOnly(ctx, () => store.tokens.listBy(ctx.world.id, 'conference_id', conference.id), presentToken);
    },

    get_conference_token: (ctx) => presentToken(owned(store.tokens, ctx)),

    reset_conference_token: (ctx) => {
      const token = { ...owned(store.tokens, ctx), token: tokenValue(ctx.runtime.ids) };
      store.tokens.update(ctx.world.id, token);
      return presentToken(token);
    },

    list_room_sessions: (ctx) =>
      listPage(ctx.req, {
        params: ['room_id', 'room_name', 'room_name_matches', 'status', ...PAGE_PARAMS],
        filterErrors: (q) => {
          const out = new Map<string, string>();
          const roomId = q.get('room_id');
          if (roomId !== undefined && !isUuid(roomId)) out.set('room_id', MESSAGES.invalid);
          const status = q.get('status');
          if (status !== undefined && status !== 'in-progress' && status !== 'completed') out.set('status', MESSAGES.inclusion);
          return out;
        },
        items: (q) => {
          const roomId = q.get('room_id')?.toLowerCase();
          const roomName = q.get('room_name');
          const matches = q.get('room_name_matches')?.toLowerCase();
          const status = q.get('status');
          return store.sessions
            .listBy(ctx.world.id, 'project_id', ctx.principal.projectId)
            .filter((s) => roomId === undefined || s.room_id === roomId)
            .filter((s) => roomName === undefined || s.name === roomName)
            .filter((s) => matches === undefined || (s.name ?? '').toLowerCase().includes(matches))
            .filter((s) => status === undefined || s.status === status);
        },
        render: (s) => presentSession(s, origin(ctx.req)),
      }),

    get_room_session: (ctx) => presentSession(owned(store.sessions, ctx), origin(ctx.req), 'summary'),

    list_room_session_members: (ctx) => {
      const session = owned(store.sessions, ctx);
      return pageOnly(ctx, () => store.members.listBy(ctx.world.id, 'room_session_id', session.id), presentMember);
    },

    list_room_session_events: (ctx) => {
      const session = owned(store.sessions, ctx);
      return pageOnly(ctx, () => store.events.listBy(ctx.world.id, 'room_session_id', session.id), presentEvent);
    },

    list_room_session_recordings: (ctx) => {
      const session = owned(store.sessions, ctx);
      return listPage(ctx.req, {
        params: [...PAGE_PARAMS, 'media_ttl'],
        optionErrors: (q) => {
          const ttl = q.get('media_ttl');
          const r = ttl === undefined ? undefined : integerParam(ttl, 0);
          return new Map(r && 'error' in r ? [['media_ttl', r.error]] : []);
        },
        items: () => store.recordings.listBy(ctx.world.id, 'room_session_id', session.id),
        render: presentRecording,
      });
    },

    list_conference_streams: (ctx) => {
      const conference = owned(store.conferences, ctx);
      return pageOnly(ctx, () => store.streams.listBy(ctx.world.id, 'conference_id', conference.id), (s) => presentStream(s, conference.quality));
    },

    create_conference_stream: (ctx) => {
      const conference = owned(store.conferences, ctx);
      const { errors: problems, url } = validateStreamUrl(ctx.body);
      unprocessable(problems);
      const at = store.stamp(ctx.world.id, ctx.world.now());
      const stream = { id: ctx.runtime.ids.uuid(), conference_id: conference.id, url: url!, stream_type: 'rtmp', fps: 20, created_at: at, updated_at: at };
      store.streams.insert(ctx.world.id, ctx.principal.projectId, at, stream, [conference.id]);
      return presentStream(stream, conference.quality);
    },

    get_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      return presentStream(stream, store.conferences.get(ctx.world.id, stream.conference_id)!.doc.quality);
    },

    update_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      const { errors: problems, url } = validateStreamUrl(ctx.body);
      unprocessable(problems);
      const updated = { ...stream, url: url!, updated_at: Math.max(ctx.world.now(), stream.created_at) };
      store.streams.update(ctx.world.id, updated);
      return presentStream(updated, store.conferences.get(ctx.world.id, stream.conference_id)!.doc.quality);
    },

    delete_stream: (ctx) => {
      const stream = owned(store.streams, ctx);
      store.streams.delete(ctx.world.id, stream.id);
      ctx.reply.code(204);
      return undefined;
    },
  };
}

/** Scenario actions of the control plane (openapi/emulator.yaml, tag "SignalWire scenarios"): what WebRTC clients would do. */
export function createScenarios(store: SignalWireStore): Record<string, Handler> {
  function find<T extends { id: string }>(table: DocTable<T>, ctx: HandlerContext, id: string, what: string): { projectId: string; doc: T } {
    const row = table.get(ctx.world.id, String(id).toLowerCase());
    if (!row) throw new Problem(404, `No ${what} ${id} in world ${ctx.world.id}`);
    return row;
  }

  function liveSession(ctx: HandlerContext): { s: Scope; session: RoomSession } {
    const { id } = ctx.params as { id: string };
    const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
    if (session.status !== 'in-progress') throw new Problem(409, `Room session ${session.id} has ended`);
    return { s: scope(store, ctx, projectId), session };
  }

  const created = <T>(ctx: HandlerContext, body: T): T => {
    ctx.reply.code(201);
    return body;
  };

  return {
    startSignalWireRoomSession: (ctx) => {
      const { conferenceId } = ctx.params as { conferenceId: string };
      const { projectId, doc: conference } = find(store.conferences, ctx, conferenceId, 'conference');
      const live = store.liveSession(ctx.world.id, conference.id);
      if (live) throw new Problem(409, `Conference ${conference.id} already has a live room session (${live.id})`);
      const session = store.db.transaction(() => startSession(scope(store, ctx, projectId), conference))();
      return created(ctx, presentSession(session, origin(ctx.req)));
    },

    endSignalWireRoomSession: (ctx) => {
      const { s, session } = liveSession(ctx);
      return presentSession(store.db.transaction(() => endSession(s, session))(), origin(ctx.req));
    },

    addSignalWireRoomSessionMember: (ctx) => {
      const { s, session } = liveSession(ctx);
      const { name } = ctx.body as { name: string };
      return created(ctx, presentMember(store.db.transaction(() => joinMember(s, session, name))()));
    },

    leaveSignalWireRoomSessionMember: (ctx) => {
      const { id, memberId } = ctx.params as { id: string; memberId: string };
      const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
      const member = store.members.get(ctx.world.id, String(memberId).toLowerCase())?.doc;
      if (!member || member.room_session_id !== session.id) throw new Problem(404, `No member ${memberId} in room session ${session.id}`);
      if (member.leave_time !== null) throw new Problem(409, `Member ${member.id} has already left`);
      return presentMember(store.db.transaction(() => leaveMember(scope(store, ctx, projectId), session, member))());
    },

    updateSignalWireRoomSessionMember: (ctx) => {
      const { id, memberId } = ctx.params as { id: string; memberId: string };
      const { projectId, doc: session } = find(store.sessions, ctx, id, 'room session');
      const member = store.members.get(ctx.world.id, String(memberId).toLowerCase())?.doc;
      if (!member || member.room_session_id !== session.id) throw new Problem(404, `No member ${memberId} in room session ${session.id}`);
      if (session.status !== 'in-progress') throw new Problem(409, `Room session ${session.id} has ended`);
      if (member.leave_time !== null) throw new Problem(409, `Member ${member.id} has left`);
      const { talking, ...changes } = ctx.body as MemberChanges & { talking?: boolean };
      const s = scope(store, ctx, projectId);
      const live = liveOf(ctx.world);
      store.db.transaction(() => {
        updateMember(s, live, session, member, changes);
        if (talking !== undefined) setTalking(s, live, session, member, talking);
      })();
      return new VideoState(store, ctx.world).member(session, member);
    },

    updateSignalWireRoomSession: (ctx) => {
      const { s, session } = liveSession(ctx);
      store.db.transaction(() => updateRoom(s, liveOf(ctx.world), session, ctx.body as RoomChanges))();
      return presentSession(session, origin(ctx.req));
    },

    addSignalWireRoomSessionEvent: (ctx) => {
      const { s, session } = liveSession(ctx);
      const { name, payload } = ctx.body as { name: string; payload?: Record<string, unknown> };
      return created(ctx, presentEvent(recordEvent(s, session, name, {}, payload ?? {})));
    },

    startSignalWireRecording: (ctx) => {
      const { s, session } = liveSession(ctx);
      return created(ctx, presentRecording(store.db.transaction(() => startRecording(s, session))()));
    },

    stopSignalWireRecording: (ctx) => {
      const { id } = ctx.params as { id: string };
      const { projectId, doc: recording } = find(store.recordings, ctx, id, 'recording');
      if (recording.status !== 'recording' && recording.status !== 'paused') throw new Problem(409, `Recording ${recording.id} is ${recording.status}`);
      const session = store.sessions.get(ctx.world.id, recording.room_session_id)!.doc;
      return presentRecording(store.db.transaction(() => stopRecording(scope(store, ctx, projectId), session, recording))());
    },
  };
}
