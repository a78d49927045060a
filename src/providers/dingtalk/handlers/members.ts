import type { Handler } from '../../../core/provider.js';
import { endStay, muteEveryone, newMember } from '../domain.js';
import { errors, paramError } from '../errors.js';
import { paging } from '../pagination.js';
import { memberModel } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { AttendStatus, ConferenceStatus, type Conference, type Member, type Principal, type User } from '../types.js';
import { action, conferenceIdParam, isObject, jsonObject, optionalBooleans, optionalString, requiredString, userList } from '../validate.js';
import { app, startedConference, visibleConference, type Ctx } from './context.js';

const SUCCESS = { success: true };

/**
 * Members and in-meeting control (reference §3.4, §12). The control requests name no operator: the token's
 * app acts for its org, which must own the meeting; the meeting must be running (else `confClosed`).
 */
export function memberHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  /** The members a request names, every one checked before anything changes: not a member → unknownUserError. */
  const named = (ctx: Ctx, c: Conference, unionIds: string[], inMeetingOnly = false): Member[] =>
    unionIds.map((unionId) => {
      const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
      if (!m || (inMeetingOnly && m.attendStatus !== AttendStatus.IN_MEETING)) throw errors.unknownUser();
      return m;
    });
  const saveAll = (ctx: Ctx, members: Member[]) => store.transaction(() => members.forEach((m) => store.conferences.putMember(ctx.world.id, m)));
  /** Body, then the conference: the check order of §2.2. */
  const control = <T>(ctx: Ctx, read: (body: Record<string, unknown>) => T): { c: Conference; input: T } => {
    const conferenceId = conferenceIdParam(ctx);
    const input = read(jsonObject(ctx));
    return { c: startedConference(store, ctx, conferenceId), input };
  };

  return {
    queryConferenceMembers: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { offset, limit } = paging(ctx);
      visibleConference(store, ctx, conferenceId);
      const all = store.conferences.members(ctx.world.id, conferenceId);
      const now = ctx.world.now();
      const page = all.slice(offset, offset + limit);
      const next = offset + page.length;
      const out: Record<string, unknown> = { memberModels: page.map((m) => memberModel(m, now)) };
      if (page.length > 0 && next < all.length) out.nextToken = String(next);
      out.totalCount = all.length;
      return out;
    },

    inviteUsers: (ctx) => {
      const { c, input } = control(ctx, (body) => {
        const operator = optionalString(ctx, body, 'unionId');
        const list = (name: string, fields: { required: string[]; optional: string[] }) => {
          const value = body[name];
          if (value === undefined) return [];
          if (!Array.isArray(value)) throw paramError(ctx.op, `${name} must be an array`);
          return value.map((item, i) => {
            if (!isObject(item)) throw paramError(ctx.op, `${name}[${i}] must be an object`);
            for (const f of fields.required) if (typeof item[f] !== 'string' || (item[f] as string).trim() === '') throw paramError(ctx.op, `${name}[${i}].${f} is required`);
            for (const f of fields.optional) if (item[f] !== undefined && typeof item[f] !== 'string' && typeof item[f] !== 'boolean') throw paramError(ctx.op, `${name}[${i}].${f} is invalid`);
            return item as Record<string, string>;
          });
        };
        const invitees = list('inviteeList', { required: ['unionId', 'nick'], optional: [] });
        const phones = list('phoneInviteeList', { required: ['phoneNumber'], optional: ['nick', 'inviteClient', 'statusCode'] });
        if (invitees.length === 0 && phones.length === 0) throw paramError(ctx.op, 'inviteeList is required');
        return { operator, invitees: [...new Set(invitees.map((i) => i.unionId!))] };
      });
      const user = (unionId: string): User => {
        const u = store.apps.user(ctx.world.id, unionId);
        if (!u) throw errors.unknownUser();
        return u;
      };
      if (input.operator !== undefined && input.operator !== '') user(input.operator);
      const users = input.invitees.map(user);
      store.transaction(() => {
        let seq = store.conferences.nextSeq(ctx.world.id, c.conferenceId);
        for (const u of users) {
          const m = store.conferences.member(ctx.world.id, c.conferenceId, u.unionId);
          if (m?.attendStatus === AttendStatus.IN_MEETING) continue;
          if (!m) c.invitedNum++;
          const next = m ?? newMember(c.conferenceId, u, seq++, AttendStatus.CALLING, u.org !== c.org);
          next.attendStatus = AttendStatus.CALLING;
          next.rejectDescription = null;
          next.rejoinForbidden = false;
          store.conferences.putMember(ctx.world.id, next);
        }
        store.conferences.updateConference(ctx.world.id, c);
      });
      return SUCCESS;
    },

    kickMembers: (ctx) => {
      const { c, input } = control(ctx, (body) => ({ unionIds: userList(ctx, body), ...optionalBooleans(ctx, body, ['forbiddenRejoin'] as const) }));
      const members = named(ctx, c, input.unionIds);
      if (members.some((m) => m.unionId === c.creatorId || m.host)) throw paramError(ctx.op, 'the host cannot be kicked');
      const now = ctx.world.now();
      for (const m of members) {
        if (m.attendStatus === AttendStatus.IN_MEETING) endStay(m, now, AttendStatus.KICKED);
        else if (m.attendStatus === AttendStatus.INITIALIZED || m.attendStatus === AttendStatus.CALLING) m.attendStatus = AttendStatus.KICKED;
        m.rejoinForbidden = input.forbiddenRejoin ?? false;
      }
      saveAll(ctx, members);
      return SUCCESS;
    },

    muteMembers: (ctx) => {
      const { c, input } = control(ctx, (body) => {
        const act = action(ctx, body, ['mute', 'un_mute'] as const);
        const unionIds = userList(ctx, body);
        // "Only one user at a time" (muteMembers page).
        if (unionIds.length !== 1) throw paramError(ctx.op, 'userList must hold exactly one user');
        return { act, unionIds };
      });
      const members = named(ctx, c, input.unionIds, true);
      for (const m of members) m.micStatus = input.act === 'mute' ? 1 : 2;
      saveAll(ctx, members);
      return SUCCESS;
    },

    muteAll: (ctx) => {
      const { c, input } = control(ctx, (body) => ({ act: action(ctx, body, ['mute', 'un_mute'] as const), ...optionalBooleans(ctx, body, ['forceMute'] as const) }));
      muteEveryone(store, ctx.world, c, input.act === 'mute', input.forceMute ?? false);
      return SUCCESS;
    },

    cohosts: (ctx) => {
      const { c, input } = control(ctx, (body) => ({ act: action(ctx, body, ['add', 'remove'] as const), unionIds: userList(ctx, body) }));
      const members = named(ctx, c, input.unionIds);
      if (input.act === 'add' && members.some((m) => m.host)) throw paramError(ctx.op, 'the host cannot be a co-host');
      for (const m of members) m.coHost = input.act === 'add';
      saveAll(ctx, members);
      return SUCCESS;
    },

    focus: (ctx) => {
      const { c, input } = control(ctx, (body) => {
        const act = action(ctx, body, ['focus', 'un_focus'] as const);
        const unionId = act === 'focus' ? requiredString(ctx, body, 'unionId') : optionalString(ctx, body, 'unionId');
        return { act, unionId };
      });
      if (input.act === 'focus') named(ctx, c, [input.unionId!], true);
      c.settings.focusUnionId = input.act === 'focus' ? input.unionId! : null;
      store.conferences.updateConference(ctx.world.id, c);
      return SUCCESS;
    },

    lockConference: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const act = requiredString(ctx, body, 'action');
      if (act !== 'lock' && act !== 'unlock') throw errors.commandError();
      const c = store.conferences.conference(ctx.world.id, conferenceId);
      if (!c) throw errors.roomNotFound();
      // The lock page's own codes: another org's meeting is a 400 noPermission, an ended one confClosed.
      if (c.org !== app(ctx).org) throw errors.lockNoPermission();
      if (c.status !== ConferenceStatus.STARTED) throw errors.confClosed();
      c.settings.lockConference = act === 'lock';
      store.conferences.updateConference(ctx.world.id, c);
      return SUCCESS;
    },

    setSubtitleEvent: (ctx) => {
      const { c, input } = control(ctx, (body) => {
        const { enable } = optionalBooleans(ctx, body, ['enable'] as const);
        if (enable === undefined) throw paramError(ctx.op, 'enable is required');
        return enable;
      });
      c.settings.subtitles = input;
      store.conferences.updateConference(ctx.world.id, c);
      return SUCCESS;
    },
  };
}
