import type { Handler } from '../../../core/provider.js';
import { reusableJson, type Utf8Json } from '../../../core/reply.js';
import { ReadCache } from '../../../core/read-cache.js';
import { endConference, muteEveryone, openConference } from '../domain.js';
import { errors, paramError } from '../errors.js';
import { pageOf, paging } from '../pagination.js';
import { confInfo, endFields, memberModel } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { ConferenceStatus, type Principal } from '../types.js';
import { blank, conferenceIdParam, jsonObject, optionalBooleans } from '../validate.js';
import { app, startedConference, visibleConference } from './context.js';

const SETTINGS = ['allowUnmuteSelf', 'autoTransferHost', 'forbiddenShareScreen', 'lockConference', 'muteAll', 'onlyInternalEmployeesJoin'] as const;
// updateVideoConferenceSetting and updateVideoConferenceExtInfo: the SDK's model is {case, code}, both strings (reference §12 (E)).
const UPDATED = { code: '200', case: 'success' };

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

      const conference = openConference(store, world, ctx.runtime.ids, {
        org,
        title: titleChars.slice(0, TITLE_KEEP).join(''),
        creator,
        invitees,
        inviteCaller: inviteCaller ?? true,
        bizType: '0',
      });
      return {
        conferenceId: conference.conferenceId,
        conferencePassword: conference.conferencePassword,
        hostPassword: conference.hostPassword,
        externalLinkUrl: conference.externalLinkUrl,
        phoneNumbers: conference.phoneNumbers,
        roomCode: conference.roomCode,
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

    updateVideoConferenceSetting: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const changes = optionalBooleans(ctx, jsonObject(ctx), SETTINGS);
      const c = startedConference(store, ctx, conferenceId);
      const { muteAll, ...rest } = changes;
      if (muteAll !== undefined) muteEveryone(store, ctx.world, c, muteAll, (changes.allowUnmuteSelf ?? c.settings.allowUnmuteSelf) === false);
      Object.assign(c.settings, rest);
      store.conferences.updateConference(ctx.world.id, c);
      return UPDATED;
    },

    updateVideoConferenceExtInfo: (ctx) => {
      startedConference(store, ctx, conferenceIdParam(ctx));
      return UPDATED;
    },

    queryUserOnGoingConference: (ctx) => {
      const { org } = app(ctx);
      const { unionId } = ctx.query as { unionId?: unknown };
      if (blank(unionId)) throw errors.missingUserInfo();
      const user = store.apps.user(ctx.world.id, unionId as string);
      if (!user || user.org !== org) throw errors.userParamError();
      const now = ctx.world.now();
      const memberships = store.conferences.userStarted(ctx.world.id, user.unionId, org);
      return {
        onGoingConfIdList: memberships.map((m) => m.conferenceId),
        memberModelMap: Object.fromEntries(memberships.map((m) => [m.conferenceId, memberModel(m, now)])),
      };
    },

    queryOrgConferenceList: (ctx) => {
      const { org } = app(ctx);
      const { offset, limit } = paging(ctx);
      const all = store.conferences.orgStarted(ctx.world.id, org);
      const { page, nextToken, hasMore } = pageOf(all, offset, limit);
      return {
        ...(nextToken === undefined ? {} : { nextToken }),
        totalCount: all.length,
        hasMore,
        onGoingConfList: page.map((c) => ({
          conferenceId: c.conferenceId,
          title: c.title,
          roomCode: c.roomCode,
          status: c.status,
          startTime: c.startTime,
          creatorId: c.creatorId,
          creatorNick: c.creatorNick,
          bizType: c.bizType,
        })),
      };
    },
  };
}
