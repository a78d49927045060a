import type { Handler } from '../../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../../core/reply.js';
import { ReadCache } from '../../../core/read-cache.js';
import { DEFAULT_PHONE_NUMBERS, endConference } from '../domain.js';
import { errors, paramError } from '../errors.js';
import { paging } from '../pagination.js';
import { confInfo, endFields } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { AttendStatus, ConferenceStatus, RecordStatus, type DingTalkFixtures, type Member, type Principal } from '../types.js';
import { blank, conferenceIdParam, jsonObject } from '../validate.js';
import { app, visibleConference } from './context.js';

const TITLE_KEEP = 50;
const TITLE_MAX = 256;

/** The conferences themselves (reference §3.2, §3.3, §3.5–§3.7). */
export function conferenceHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  // confInfo depends on the stored row only (not the clock): kept as sent until the next write.
  const infoAnswers = new ReadCache<{ org: string; json: string | Utf8Json } | undefined>(store.db);

  return {
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
        const user = store.apps.user(world.id, unionId);
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
      while (store.conferences.roomCodeUsed(world.id, roomCode));
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
        store.conferences.insertConference(world.id, conference);
        store.conferences.putMember(world.id, { ...member(creator.unionId, creator.nick, 0), attendStatus: AttendStatus.IN_MEETING, host: true, joinTime: now, inSince: now });
        invitees.forEach((u, i) => store.conferences.putMember(world.id, member(u.unionId, u.nick, i + 1)));
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
        const c = store.conferences.conference(ctx.world.id, conferenceId);
        return c && { org: c.org, json: reusableJson(JSON.stringify({ confInfo: confInfo(c) })) };
      });
      if (!found) throw errors.roomNotFound();
      if (found.org !== app(ctx).org) throw errors.noPermission();
      return found.json;
    },

    closeVideoConference: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { unionId } = ctx.query as { unionId?: unknown };
      if (blank(unionId)) throw paramError(ctx.op, 'unionId is required');
      const c = visibleConference(store, ctx, conferenceId);
      if (c.status === ConferenceStatus.ENDED) throw errors.resourceClose();
      const operator = store.conferences.member(ctx.world.id, conferenceId, unionId as string);
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
        const c = store.conferences.conference(ctx.world.id, id);
        if (!c || c.org !== org || c.status !== ConferenceStatus.STARTED) continue;
        const userList = store.conferences.members(ctx.world.id, id).map((m) => {
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
      const all = store.conferences.conferencesByRoomCode(ctx.world.id, roomCode as string);
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
