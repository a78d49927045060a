import type { Handler } from '../../../core/provider.js';
import { newRoomCode, phoneNumbers, schedulesChanged } from '../domain.js';
import { errors, paramError } from '../errors.js';
import { pageOf, paging } from '../pagination.js';
import { endFields } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { ScheduleStatus, type Principal, type Schedule, type ScheduleSettings } from '../types.js';
import { blank, isObject, jsonObject, requiredString } from '../validate.js';
import { app, type Ctx } from './context.js';

const TITLE_KEEP = 50;
const TITLE_MAX = 256;
/** More extension apps than this → extensionAppSettingError (reference §12 (E)). */
const MAX_EXTENSION_APPS = 5;

type Kind = 'string' | 'integer' | 'boolean' | 'string[]' | { [field: string]: Kind } | [{ [field: string]: Kind }];

// scheduleConfSettingModel as the SDK's request model has it (create and update settings).
const SETTINGS_MODEL: { [field: string]: Kind } = {
  hostUnionId: 'string',
  cohostUnionIds: 'string[]',
  confAllowedCorpId: 'string',
  lockRoom: 'integer',
  screenShareForbidden: 'integer',
  muteOnJoin: 'integer',
  moziConfVirtualExtraSetting: {
    waitingRoom: 'integer',
    joinBeforeHost: 'integer',
    enableChat: 'integer',
    lockNick: 'integer',
    lockMediaStatusMicMute: 'integer',
    enableWebAnonymousJoin: 'boolean',
    moziConfExtensionAppSettings: [{ coolAppCode: 'string', autoOpenMode: 'integer', extensionAppBizData: 'string' }],
    cloudRecordOwnerUnionId: 'string',
    minutesOwnerUnionId: 'string',
    pushAllMeetingRecords: 'boolean',
    pushCloudRecordCard: 'boolean',
    pushMinutesCard: 'boolean',
  },
  moziConfOpenRecordSetting: { isFollowHost: 'boolean', mode: 'string', recordAutoStart: 'integer', recordAutoStartType: 'integer' },
};

/** The path of the first value of `value` that does not fit `kind`, or undefined. */
function misfit(value: unknown, kind: Kind, path: string): string | undefined {
  if (kind === 'string') return typeof value === 'string' ? undefined : path;
  if (kind === 'integer') return Number.isInteger(value) ? undefined : path;
  if (kind === 'boolean') return typeof value === 'boolean' ? undefined : path;
  if (kind === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : path;
  if (Array.isArray(kind)) {
    if (!Array.isArray(value)) return path;
    for (const [i, item] of value.entries()) {
      const bad = misfit(item, kind[0], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isObject(value)) return path;
  for (const [field, sub] of Object.entries(kind)) {
    if (value[field] === undefined) continue;
    const bad = misfit(value[field], sub, `${path}.${field}`);
    if (bad) return bad;
  }
  return undefined;
}

/** Request settings (SDK request model) → stored settings (the query model: extension apps with `clientId`, `autoOpenMode` a string). */
function storedSettings(model: Record<string, any>, appKey: string, base: ScheduleSettings = {}): ScheduleSettings {
  const out: Record<string, any> = structuredClone(base);
  for (const [field, value] of Object.entries(model)) {
    if (!(field in SETTINGS_MODEL)) continue;
    if (field === 'moziConfVirtualExtraSetting' || field === 'moziConfOpenRecordSetting') {
      const kinds = SETTINGS_MODEL[field] as Record<string, Kind>;
      const target: Record<string, any> = (out[field] ??= {});
      for (const [sub, v] of Object.entries(value as Record<string, any>)) {
        if (!(sub in kinds)) continue;
        target[sub] =
          sub === 'moziConfExtensionAppSettings'
            ? (v as Record<string, any>[]).map((a) => ({
                clientId: appKey,
                ...(a.coolAppCode === undefined ? {} : { coolAppCode: a.coolAppCode }),
                ...(a.autoOpenMode === undefined ? {} : { autoOpenMode: String(a.autoOpenMode) }),
                ...(a.extensionAppBizData === undefined ? {} : { extensionAppBizData: a.extensionAppBizData }),
              }))
            : v;
      }
    } else out[field] = value;
  }
  return out as ScheduleSettings;
}

/** queryScheduleConfSettings' model: the stored settings without what only the request model has. */
function settingsModel(s: ScheduleSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ['hostUnionId', 'cohostUnionIds', 'confAllowedCorpId', 'lockRoom', 'screenShareForbidden', 'muteOnJoin'] as const) {
    if (s[field] !== undefined) out[field] = s[field];
  }
  const extra = s.moziConfVirtualExtraSetting;
  if (extra) {
    const v: Record<string, unknown> = {};
    for (const field of ['waitingRoom', 'joinBeforeHost', 'enableChat', 'lockNick', 'lockMediaStatusMicMute', 'moziConfExtensionAppSettings', 'enableWebAnonymousJoin'] as const) {
      if (extra[field] !== undefined) v[field] = extra[field];
    }
    out.moziConfVirtualExtraSetting = v;
  }
  return out;
}

/** Scheduled conferences (reference §12): create, update, cancel, query, the meetings they started, settings, short links. */
export function scheduleHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  const requestId = (ctx: Ctx) => String(ctx.reply.getHeader('x-acs-request-id'));

  /** Title and times of create and update (paramsError `error:<detail>`). */
  const plan = (ctx: Ctx, body: Record<string, unknown>) => {
    const title = requiredString(ctx, body, 'title');
    const chars = [...title];
    if (chars.length > TITLE_MAX) throw paramError(ctx.op, `title is longer than ${TITLE_MAX} characters`);
    const time = (name: string) => {
      const value = body[name];
      if (value === undefined) throw paramError(ctx.op, `${name} is required`);
      if (!Number.isInteger(value) || (value as number) < 0) throw paramError(ctx.op, `${name} must be epoch milliseconds`);
      return value as number;
    };
    const startTime = time('startTime');
    const endTime = time('endTime');
    if (endTime <= startTime) throw paramError(ctx.op, 'endTime must be after startTime');
    return { title: chars.slice(0, TITLE_KEEP).join(''), startTime, endTime };
  };

  /** The creator named by a create/update/cancel body: unknown → paramsError; another org → permissionError. */
  const creatorOf = (ctx: Ctx, unionId: string) => {
    const user = store.apps.user(ctx.world.id, unionId);
    if (!user) throw paramError(ctx.op, 'creatorUnionId is invalid');
    if (user.org !== app(ctx).org) throw errors.permissionError('user is not in the organization');
    return user;
  };

  /** A scheduled conference the creator may change: unknown → paramsError, not theirs → permissionError, cancelled → resourceCancel. */
  const ownSchedule = (ctx: Ctx, scheduleConferenceId: string, creatorId: string): Schedule => {
    const s = store.schedules.schedule(ctx.world.id, scheduleConferenceId);
    if (!s) throw paramError(ctx.op, 'scheduleConferenceId is invalid');
    if (s.org !== app(ctx).org || s.creatorId !== creatorId) throw errors.permissionError('no permission for this schedule conference');
    if (s.status === ScheduleStatus.CANCELLED) throw errors.resourceCancel();
    return s;
  };

  /** The settings routes and short links: their pages' codes (scheduleConferenceIdError, creatorUidError, userNotInOrg, 403 noPermission). */
  const settingsSchedule = (ctx: Ctx, scheduleConferenceId: string, creatorUnionId?: string): Schedule => {
    const s = store.schedules.schedule(ctx.world.id, scheduleConferenceId);
    if (!s || s.status === ScheduleStatus.CANCELLED) throw errors.scheduleConferenceIdError();
    if (s.org !== app(ctx).org) throw errors.settingsNoPermission();
    if (creatorUnionId !== undefined) {
      const user = store.apps.user(ctx.world.id, creatorUnionId);
      if (!user) throw errors.creatorUidError();
      if (user.org !== s.org) throw errors.userNotInOrg();
      if (user.unionId !== s.creatorId) throw errors.creatorUidError();
    }
    return s;
  };

  const settingsInput = (ctx: Ctx, body: Record<string, unknown>): Record<string, unknown> | undefined => {
    const model = body.scheduleConfSettingModel;
    if (model === undefined) return undefined;
    const bad = misfit(model, SETTINGS_MODEL, 'scheduleConfSettingModel');
    if (bad) throw paramError(ctx.op, `${bad} is invalid`);
    return model as Record<string, unknown>;
  };

  const checkSettingsUsers = (ctx: Ctx, s: ScheduleSettings, org: string) => {
    for (const unionId of [s.hostUnionId, ...(s.cohostUnionIds ?? [])]) {
      if (unionId === undefined) continue;
      const user = store.apps.user(ctx.world.id, unionId);
      if (!user || user.org !== org) throw errors.userNotInOrg();
    }
    if ((s.moziConfVirtualExtraSetting?.moziConfExtensionAppSettings?.length ?? 0) > MAX_EXTENSION_APPS) throw errors.extensionAppSettingError();
  };

  return {
    createScheduleConference: (ctx) => {
      const body = jsonObject(ctx);
      const creatorUnionId = requiredString(ctx, body, 'creatorUnionId');
      const p = plan(ctx, body);
      const model = settingsInput(ctx, body);
      const creator = store.apps.user(ctx.world.id, creatorUnionId);
      if (!creator || creator.org !== app(ctx).org) throw paramError(ctx.op, 'creatorUnionId is invalid');
      const settings = storedSettings(model ?? {}, app(ctx).appKey);
      for (const unionId of [settings.hostUnionId, ...(settings.cohostUnionIds ?? [])]) {
        if (unionId !== undefined && store.apps.user(ctx.world.id, unionId)?.org !== creator.org) throw paramError(ctx.op, `${unionId} is not a user of the organization`);
      }
      const ids = ctx.runtime.ids;
      const scheduleConferenceId = ids.objectId(ctx.world.now());
      const roomCode = newRoomCode(store, ctx.world, ids);
      const schedule: Schedule = {
        scheduleConferenceId,
        org: creator.org,
        creatorId: creator.unionId,
        ...p,
        roomCode,
        url: `https://meeting.dingtalk.com/app?roomCode=${roomCode}&scheduleConferenceId=${scheduleConferenceId}`,
        phones: phoneNumbers(ctx.world),
        status: ScheduleStatus.SCHEDULED,
        autoStarted: false,
        settings,
      };
      store.schedules.put(ctx.world.id, schedule);
      schedulesChanged(ctx.world);
      return { requestId: requestId(ctx), scheduleConferenceId, roomCode, url: schedule.url, phones: schedule.phones };
    },

    updateScheduleConference: (ctx) => {
      const body = jsonObject(ctx);
      const creatorUnionId = requiredString(ctx, body, 'creatorUnionId');
      const scheduleConferenceId = requiredString(ctx, body, 'scheduleConferenceId');
      const p = plan(ctx, body);
      creatorOf(ctx, creatorUnionId);
      const s = ownSchedule(ctx, scheduleConferenceId, creatorUnionId);
      // A start moved into the future starts by itself again (reference §12 (E)).
      if (p.startTime !== s.startTime && p.startTime > ctx.world.now()) s.autoStarted = false;
      Object.assign(s, p);
      store.schedules.put(ctx.world.id, s);
      schedulesChanged(ctx.world);
      return { success: true };
    },

    cancelScheduleConference: (ctx) => {
      const body = jsonObject(ctx);
      const scheduleConferenceId = requiredString(ctx, body, 'scheduleConferenceId');
      const creatorUnionId = requiredString(ctx, body, 'creatorUnionId');
      creatorOf(ctx, creatorUnionId);
      const s = ownSchedule(ctx, scheduleConferenceId, creatorUnionId);
      s.status = ScheduleStatus.CANCELLED;
      store.schedules.put(ctx.world.id, s);
      schedulesChanged(ctx.world);
      return { success: true };
    },

    queryScheduleConference: (ctx) => {
      const { scheduleConferenceId } = ctx.params as { scheduleConferenceId?: string };
      const { requestUnionId } = ctx.query as { requestUnionId?: unknown };
      if (blank(scheduleConferenceId)) throw paramError(ctx.op, 'scheduleConferenceId is required');
      if (blank(requestUnionId)) throw paramError(ctx.op, 'requestUnionId is required');
      const s = store.schedules.schedule(ctx.world.id, scheduleConferenceId!);
      if (!s) throw paramError(ctx.op, 'scheduleConferenceId is invalid');
      const requester = store.apps.user(ctx.world.id, requestUnionId as string);
      if (!requester) throw paramError(ctx.op, 'requestUnionId is invalid');
      if (s.org !== app(ctx).org || requester.org !== s.org) throw errors.permissionError('no permission for this schedule conference');
      if (s.status === ScheduleStatus.CANCELLED) throw errors.resourceCancel();
      return {
        requestId: requestId(ctx),
        scheduleConferenceId: s.scheduleConferenceId,
        title: s.title,
        startTime: s.startTime,
        endTime: s.endTime,
        roomCode: s.roomCode,
        url: s.url,
        phones: s.phones,
      };
    },

    queryScheduleConferenceInfo: (ctx) => {
      const { scheduleConferenceId } = ctx.params as { scheduleConferenceId?: string };
      const { offset, limit } = paging(ctx);
      if (blank(scheduleConferenceId)) throw errors.invalidScheduleConferenceId();
      const s = store.schedules.schedule(ctx.world.id, scheduleConferenceId!);
      if (!s || s.org !== app(ctx).org) throw errors.invalidScheduleConferenceId();
      const all = store.conferences.bySchedule(ctx.world.id, s.scheduleConferenceId);
      const { page, nextToken } = pageOf(all, offset, limit);
      return {
        totalCount: all.length,
        ...(nextToken === undefined ? {} : { nextToken }),
        conferenceList: page.map((c) => {
          const { endTime } = endFields(c);
          return {
            conferenceId: c.conferenceId,
            title: c.title,
            roomCode: c.roomCode,
            status: c.status,
            startTime: c.startTime,
            ...(endTime === undefined ? {} : { endTime }),
          };
        }),
      };
    },

    queryScheduleConfSettings: (ctx) => {
      const { scheduleConferenceId } = ctx.query as { scheduleConferenceId?: unknown };
      if (blank(scheduleConferenceId)) throw paramError(ctx.op, 'scheduleConferenceId is required');
      const s = settingsSchedule(ctx, scheduleConferenceId as string);
      return { scheduleConfSettingModel: settingsModel(s.settings) };
    },

    updateScheduleConfSettings: (ctx) => {
      const body = jsonObject(ctx);
      const creatorUnionId = requiredString(ctx, body, 'creatorUnionId');
      const scheduleConferenceId = requiredString(ctx, body, 'scheduleConferenceId');
      const model = settingsInput(ctx, body);
      const s = settingsSchedule(ctx, scheduleConferenceId, creatorUnionId);
      const settings = storedSettings(model ?? {}, app(ctx).appKey, s.settings);
      checkSettingsUsers(ctx, settings, s.org);
      s.settings = settings;
      store.schedules.put(ctx.world.id, s);
      return { success: true };
    },

    createCustomShortLink: (ctx) => {
      const body = jsonObject(ctx);
      const creatorUnionId = requiredString(ctx, body, 'creatorUnionId');
      const scheduleConferenceId = requiredString(ctx, body, 'scheduleConferenceId');
      const coolAppCode = requiredString(ctx, body, 'coolAppCode');
      if (body.extensionAppBizData !== undefined && typeof body.extensionAppBizData !== 'string') throw paramError(ctx.op, 'extensionAppBizData must be a string');
      if (body.useExtensionApp !== undefined && typeof body.useExtensionApp !== 'boolean') throw paramError(ctx.op, 'useExtensionApp must be a boolean');
      const s = settingsSchedule(ctx, scheduleConferenceId, creatorUnionId);
      const link = `https://meeting.dingtalk.com/app?roomCode=${s.roomCode}&coolAppCode=${encodeURIComponent(coolAppCode)}`;
      return { result: { customShortLink: link } };
    },
  };
}
