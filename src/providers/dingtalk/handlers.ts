import type { Handler, HandlerContext } from '../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../core/reply.js';
import { Problem } from '../../core/problem.js';
import { ReadCache } from '../../core/read-cache.js';
import { hashToken } from './crypto.js';
import { DEFAULT_PHONE_NUMBERS, endConference, endStay } from './domain.js';
import { errors, paramError } from './errors.js';
import { paging } from './pagination.js';
import { confInfo, endFields, memberModel } from './present.js';
import type { DingTalkStore } from './store.js';
import {
  AttendStatus,
  ConferenceStatus,
  RecordStatus,
  type Conference,
  type DingTalkFixtures,
  type ExtensionAppSetting,
  type Member,
  type Principal,
} from './types.js';
import { blank, conferenceIdParam, isObject, jsonObject } from './validate.js';

type Ctx = HandlerContext<Principal>;

const TOKEN_TTL_S = 7200;
const TITLE_KEEP = 50;
const TITLE_MAX = 256;

function app(ctx: Ctx): { appKey: string; org: string } {
  if (ctx.principal.kind !== 'app') throw errors.missingToken();
  return ctx.principal;
}

export function createHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  // confInfo depends on the stored row only (not the clock): kept as sent until the next write.
  const infoAnswers = new ReadCache<{ org: string; json: string | Utf8Json } | undefined>(store.db);

  /** The conference as the caller's org may see it: unknown → roomNotFound, other org → noPermission. */
  const visibleConference = (ctx: Ctx, conferenceId: string): Conference => {
    const c = store.conference(ctx.world.id, conferenceId);
    if (!c) throw errors.roomNotFound();
    if (c.org !== app(ctx).org) throw errors.noPermission();
    return c;
  };

  return {
    getAccessToken: (ctx) => {
      const body: unknown = ctx.body;
      if (!isObject(body)) throw errors.missingBody();
      const { appKey, appSecret } = body;
      if (typeof appKey !== 'string' || appKey === '') throw errors.missingAppKey();
      if (typeof appSecret !== 'string' || appSecret === '') throw errors.missingAppSecret();
      const found = store.app(appKey);
      const world = found && ctx.runtime.worlds.get(found.world);
      // The route is anonymous, so auth left the default world (or X-Emulator-World's) on the request;
      // the app key names the real one, which the journal must record.
      if (world) ctx.req.ctx = { ...ctx.req.ctx, world };
      if (!found || !world || found.appSecret !== appSecret) throw errors.invalidClient();
      const now = world.now();
      const expiresAt = now + TOKEN_TTL_S * 1000;
      // SQLite holds only the token's SHA-256, yet asking again must return the same token (§2.3).
      // The raw value is kept in the world's in-memory state, which lives exactly as long as the token
      // rows (both go on reset). After a restart on a file database the stored token still authenticates
      // until it expires, but the next request for one issues a fresh token (one live token per app).
      const issued = world.local('dingtalk:tokens', () => new Map<string, string>());
      const current = store.tokenOfApp(appKey);
      const raw = issued.get(appKey);
      if (current && current.expiresAt > now && raw !== undefined && hashToken(raw) === current.tokenHash) {
        store.extendToken(current.tokenHash, expiresAt);
        return { accessToken: raw, expireIn: TOKEN_TTL_S };
      }
      const token = ctx.runtime.ids.hex(32);
      store.replaceToken(world.id, appKey, hashToken(token), expiresAt);
      issued.set(appKey, token);
      return { accessToken: token, expireIn: TOKEN_TTL_S };
    },

    createVideoConference: (ctx) => {
      const { org } = app(ctx);
      const body = jsonObject(ctx);
      const { userId, confTitle, inviteUserIds, inviteCaller } = body;
      if (userId === undefined) throw paramError(ctx.op, 'userId is required');
      if (typeof userId !== 'string') throw paramError(ctx.op, 'userId must be a string');
      if (userId.trim() === '') throw paramError(ctx.op, 'userId is required');
      if (confTitle === undefined) throw paramError(ctx.op, 'confTitle is required');
      if (typeof confTitle !== 'string') throw paramError(ctx.op, 'confTitle must be a string');
      if (inviteUserIds !== undefined && (!Array.isArray(inviteUserIds) || inviteUserIds.some((u) => typeof u !== 'string'))) {
        throw paramError(ctx.op, 'inviteUserIds must be an array of strings');
      }
      if (inviteCaller !== undefined && typeof inviteCaller !== 'boolean') throw paramError(ctx.op, 'inviteCaller must be a boolean');
      // Lengths in Unicode code points (reference §2.5 (E)).
      const titleChars = [...confTitle];
      if (confTitle.trim() === '') throw errors.titleError('confTitle is blank');
      if (titleChars.length > TITLE_MAX) throw errors.titleError(`confTitle is longer than ${TITLE_MAX} characters`);

      const world = ctx.world;
      const checkUser = (unionId: string) => {
        const user = store.user(world.id, unionId);
        if (!user) throw errors.unknownUser();
        if (user.org !== org) throw errors.orgAccessForbidden();
        return user;
      };
      const creator = checkUser(userId);
      const invitees = [...new Set((inviteUserIds ?? []) as string[])].filter((u) => u !== creator.unionId).map(checkUser);

      const now = world.now();
      const ids = ctx.runtime.ids;
      const conferenceId = ids.objectId(now);
      let roomCode: string;
      do roomCode = ids.digits(11, true);
      while (store.roomCodeUsed(world.id, roomCode));
      const conference = {
        conferenceId,
        org,
        title: titleChars.slice(0, TITLE_KEEP).join(''),
        creatorId: creator.unionId,
        creatorNick: creator.nick,
        status: ConferenceStatus.STARTED,
        startTime: now,
        endTime: null,
        roomCode,
        externalLinkUrl: `https://meeting.dingtalk.com/app?roomCode=${roomCode}&token=1_${ids.uuid()}`,
        conferencePassword: ids.digits(10),
        hostPassword: ids.digits(10),
        phoneNumbers: (world.fixtures.dingtalk as DingTalkFixtures | undefined)?.phoneNumbers ?? DEFAULT_PHONE_NUMBERS,
        bizType: '0',
        inviteCaller: inviteCaller ?? true,
        invitedNum: invitees.length,
        cloudRecordStatus: RecordStatus.NONE,
        cloudRecordOwnerUnionId: null,
        mediaStatus: 0,
        extensionAppSettings: null,
      };
      const member = (unionId: string, userNick: string, seq: number): Member => ({
        conferenceId,
        unionId,
        userNick,
        seq,
        attendStatus: AttendStatus.CALLING,
        host: false,
        coHost: false,
        pstnJoin: false,
        joinTime: null,
        leaveTime: null,
        durationMs: 0,
        inSince: null,
        outerOrgMember: false,
        cameraStatus: 0,
        micStatus: 0,
        rejectDescription: null,
      });
      store.transaction(() => {
        store.insertConference(world.id, conference);
        store.putMember(world.id, { ...member(creator.unionId, creator.nick, 0), attendStatus: AttendStatus.IN_MEETING, host: true, joinTime: now, inSince: now });
        invitees.forEach((u, i) => store.putMember(world.id, member(u.unionId, u.nick, i + 1)));
      });
      return {
        conferenceId,
        conferencePassword: conference.conferencePassword,
        hostPassword: conference.hostPassword,
        externalLinkUrl: conference.externalLinkUrl,
        phoneNumbers: conference.phoneNumbers,
        roomCode,
      };
    },

    queryConferenceInfo: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const found = infoAnswers.get(`${ctx.world.id}\n${conferenceId}`, () => {
        const c = store.conference(ctx.world.id, conferenceId);
        return c && { org: c.org, json: reusableJson(JSON.stringify({ confInfo: confInfo(c) })) };
      });
      if (!found) throw errors.roomNotFound();
      if (found.org !== app(ctx).org) throw errors.noPermission();
      return found.json;
    },

    queryConferenceMembers: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { offset, limit } = paging(ctx);
      visibleConference(ctx, conferenceId);
      const all = store.members(ctx.world.id, conferenceId);
      const now = ctx.world.now();
      const page = all.slice(offset, offset + limit);
      const next = offset + page.length;
      const out: Record<string, unknown> = { memberModels: page.map((m) => memberModel(m, now)) };
      if (page.length > 0 && next < all.length) out.nextToken = String(next);
      out.totalCount = all.length;
      return out;
    },

    closeVideoConference: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { unionId } = ctx.query as { unionId?: unknown };
      if (blank(unionId)) throw paramError(ctx.op, 'unionId is required');
      const c = visibleConference(ctx, conferenceId);
      if (c.status === ConferenceStatus.ENDED) throw errors.resourceClose();
      const operator = store.member(ctx.world.id, conferenceId, unionId as string);
      if (unionId !== c.creatorId && !operator?.host) throw errors.noPermission();
      endConference(store, ctx.world, c);
      return { code: 200, cause: 'success' };
    },

    queryConferenceInfoBatch: (ctx) => {
      const { org } = app(ctx);
      const { conferenceIdList } = jsonObject(ctx);
      if (conferenceIdList === undefined) throw paramError(ctx.op, 'conferenceIdList is required');
      if (!Array.isArray(conferenceIdList) || conferenceIdList.some((id) => typeof id !== 'string')) {
        throw paramError(ctx.op, 'conferenceIdList must be an array of strings');
      }
      if (conferenceIdList.length === 0) throw paramError(ctx.op, 'conferenceIdList must not be empty');
      const infos = [];
      for (const id of new Set(conferenceIdList as string[])) {
        const c = store.conference(ctx.world.id, id);
        if (!c || c.org !== org || c.status !== ConferenceStatus.STARTED) continue;
        const userList = store.members(ctx.world.id, id).map((m) => {
          const user: Record<string, unknown> = {
            userId: m.unionId,
            nick: m.userNick,
            attendStatus: m.attendStatus,
            cameraStatus: m.cameraStatus,
            micStatus: m.micStatus,
          };
          if (m.rejectDescription !== null) user.rejectDescription = m.rejectDescription;
          return user;
        });
        infos.push({ conferenceId: c.conferenceId, title: c.title, startTime: c.startTime, status: c.status, mediaStatus: c.mediaStatus, userList });
      }
      return { infos };
    },

    queryConferenceInfoByRoomCode: (ctx) => {
      const { org } = app(ctx);
      const { roomCode } = ctx.params as { roomCode?: unknown };
      if (blank(roomCode)) throw errors.missingRoomCode();
      const { offset, limit } = paging(ctx);
      const all = store.conferencesByRoomCode(ctx.world.id, roomCode as string);
      if (all.length === 0) throw errors.invalidRoomCode();
      const mine = all.filter((c) => c.org === org);
      if (mine.length === 0) throw errors.roomCodeNoPermission();
      const page = mine.slice(offset, offset + limit);
      const next = offset + page.length;
      const hasMore = page.length > 0 && next < mine.length;
      const conferenceList = page.map((c) => {
        const out: Record<string, unknown> = {
          conferenceId: c.conferenceId,
          title: c.title,
          roomCode: c.roomCode,
          externalLinkUrl: c.externalLinkUrl,
          status: c.status,
          startTime: c.startTime,
        };
        Object.assign(out, endFields(c));
        out.creatorId = c.creatorId;
        out.creatorNick = c.creatorNick;
        out.bizType = c.bizType;
        return out;
      });
      return { ...(hasMore ? { nextToken: String(next) } : {}), hasMore, totalCount: mine.length, conferenceList };
    },
  };
}

/**
 * Scenario actions of the control plane (openapi/emulator.yaml, tag "DingTalk scenarios"): what
 * happens in the meeting itself, which the public API cannot cause (reference §2.5).
 */
export function createScenarios(store: DingTalkStore): Record<string, Handler> {
  const conference = (ctx: HandlerContext): Conference => {
    const { conferenceId } = ctx.params as { conferenceId: string };
    const c = store.conference(ctx.world.id, conferenceId);
    if (!c) throw new Problem(404, `No conference ${conferenceId} in world ${ctx.world.id}`);
    return c;
  };
  const started = (ctx: HandlerContext): Conference => {
    const c = conference(ctx);
    if (c.status !== ConferenceStatus.STARTED) throw new Problem(409, `Conference ${c.conferenceId} has ended`);
    return c;
  };
  const member = (ctx: HandlerContext, c: Conference): Member => {
    const { unionId } = ctx.params as { unionId: string };
    const m = store.member(ctx.world.id, c.conferenceId, unionId);
    if (!m) throw new Problem(404, `${unionId} is not a member of conference ${c.conferenceId}`);
    return m;
  };
  const inMeeting = (ctx: HandlerContext, c: Conference): Member => {
    const m = member(ctx, c);
    if (m.attendStatus !== AttendStatus.IN_MEETING) {
      throw new Problem(409, `${m.unionId} is not in conference ${c.conferenceId} (attendStatus ${m.attendStatus})`);
    }
    return m;
  };
  const save = (ctx: HandlerContext, m: Member) => {
    store.putMember(ctx.world.id, m);
    return memberModel(m, ctx.world.now());
  };
  const leaveAs = (attendStatus: number) => (ctx: HandlerContext) => {
    const m = inMeeting(ctx, started(ctx));
    endStay(m, ctx.world.now(), attendStatus);
    return save(ctx, m);
  };
  const info = (ctx: HandlerContext, conferenceId: string) => ({ confInfo: confInfo(store.conference(ctx.world.id, conferenceId)!) });

  return {
    joinDingTalkConference: (ctx) => {
      const c = started(ctx);
      const { unionId } = ctx.params as { unionId: string };
      const { pstnJoin } = (ctx.body ?? {}) as { pstnJoin?: boolean };
      const user = store.user(ctx.world.id, unionId);
      if (!user) throw new Problem(404, `No user ${unionId} in world ${ctx.world.id}`);
      const existing = store.member(ctx.world.id, c.conferenceId, unionId);
      if (existing?.attendStatus === AttendStatus.IN_MEETING) throw new Problem(409, `${unionId} is already in conference ${c.conferenceId}`);
      const now = ctx.world.now();
      const m: Member = existing ?? {
        conferenceId: c.conferenceId,
        unionId,
        userNick: user.nick,
        seq: store.nextSeq(ctx.world.id, c.conferenceId),
        attendStatus: AttendStatus.INITIALIZED,
        host: false,
        coHost: false,
        pstnJoin: false,
        joinTime: null,
        leaveTime: null,
        durationMs: 0,
        inSince: null,
        outerOrgMember: user.org !== c.org,
        cameraStatus: 0,
        micStatus: 0,
        rejectDescription: null,
      };
      m.attendStatus = AttendStatus.IN_MEETING;
      m.joinTime ??= now;
      m.inSince = now;
      m.rejectDescription = null;
      if (pstnJoin !== undefined) m.pstnJoin = pstnJoin;
      return save(ctx, m);
    },

    leaveDingTalkConference: leaveAs(AttendStatus.LEFT),
    kickDingTalkMember: leaveAs(AttendStatus.KICKED),

    failDingTalkMember: (ctx) => {
      const c = started(ctx);
      const m = member(ctx, c);
      if (m.attendStatus !== AttendStatus.INITIALIZED && m.attendStatus !== AttendStatus.CALLING) {
        throw new Problem(409, `${m.unionId} is not being called in conference ${c.conferenceId} (attendStatus ${m.attendStatus})`);
      }
      const { rejectDescription } = (ctx.body ?? {}) as { rejectDescription?: string };
      m.attendStatus = AttendStatus.FAILED;
      m.rejectDescription = rejectDescription ?? null;
      return save(ctx, m);
    },

    setDingTalkMemberState: (ctx) => {
      const m = member(ctx, started(ctx));
      const { host, coHost, cameraStatus, micStatus } = ctx.body as { host?: boolean; coHost?: boolean; cameraStatus?: number; micStatus?: number };
      if (host !== undefined) m.host = host;
      if (coHost !== undefined) m.coHost = coHost;
      if (cameraStatus !== undefined) m.cameraStatus = cameraStatus;
      if (micStatus !== undefined) m.micStatus = micStatus;
      return save(ctx, m);
    },

    setDingTalkRecording: (ctx) => {
      const c = started(ctx);
      const { action, unionId } = ctx.body as { action: 'start' | 'pause' | 'resume' | 'stop'; unionId: string };
      const m = store.member(ctx.world.id, c.conferenceId, unionId);
      if (m?.attendStatus !== AttendStatus.IN_MEETING) throw new Problem(409, `${unionId} is not in conference ${c.conferenceId}`);
      const from: Record<typeof action, number[]> = {
        start: [RecordStatus.NONE, RecordStatus.FINISHED],
        pause: [RecordStatus.RECORDING],
        resume: [RecordStatus.PAUSED],
        stop: [RecordStatus.RECORDING, RecordStatus.PAUSED],
      };
      if (!from[action].includes(c.cloudRecordStatus)) {
        throw new Problem(409, `Cannot ${action} the recording of conference ${c.conferenceId} (cloudRecordStatus ${c.cloudRecordStatus})`);
      }
      c.cloudRecordStatus = action === 'pause' ? RecordStatus.PAUSED : action === 'stop' ? RecordStatus.FINISHED : RecordStatus.RECORDING;
      if (action === 'start') c.cloudRecordOwnerUnionId = unionId;
      store.updateConference(ctx.world.id, c);
      return info(ctx, c.conferenceId);
    },

    endDingTalkConference: (ctx) => {
      const c = started(ctx);
      endConference(store, ctx.world, c);
      return info(ctx, c.conferenceId);
    },

    setDingTalkConferenceSettings: (ctx) => {
      const c = conference(ctx);
      const { mediaStatus, extensionAppSettings } = ctx.body as { mediaStatus?: number; extensionAppSettings?: ExtensionAppSetting[] };
      if (mediaStatus !== undefined) c.mediaStatus = mediaStatus;
      if (extensionAppSettings !== undefined) c.extensionAppSettings = extensionAppSettings.length === 0 ? null : extensionAppSettings;
      store.updateConference(ctx.world.id, c);
      return info(ctx, c.conferenceId);
    },
  };
}
