import type { Handler } from '../../../core/provider.js';
import { BYTES_PER_MS, minutesSummary, recordedLines, recordIdOf } from '../domain.js';
import { errors, paramError } from '../errors.js';
import type { DingTalkStore } from '../store/index.js';
import { AttendStatus, MinutesStatus, type Conference, type Principal } from '../types.js';
import { blank, conferenceIdParam, jsonObject, optionalBooleans, optionalString, requiredString } from '../validate.js';
import { startedConference, visibleConference, type Ctx } from './context.js';
import { sentence } from './recording.js';

const SUMMARY_TYPES = ['actions', 'autoChapters', 'conversationalSummary', 'keySentences', 'keywords', 'paragraphSummary', 'questionsAnsweringSummary'];
const MAX_TEXTS = 2000;

const baseUrl = (ctx: Ctx) => `http://${ctx.req.headers.host ?? '127.0.0.1'}`;

/** Minutes and flash minutes (reference §12): state on the conference, content derived from the transcript. */
export function minutesHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  /** A user of the conference's org named by a query or body field: unknown → unknownUserError, another org → orgAccessForbidden. */
  const orgUser = (ctx: Ctx, c: Conference, unionId: string) => {
    const user = store.apps.user(ctx.world.id, unionId);
    if (!user) throw errors.unknownUser();
    if (user.org !== c.org) throw errors.orgAccessForbidden();
    return user;
  };
  /** The minutes' readers: the conference of the caller's org and `unionId` (required) a user of its org. */
  const reader = (ctx: Ctx, field = 'unionId'): { c: Conference; unionId: string } => {
    const conferenceId = conferenceIdParam(ctx);
    const unionId = (ctx.query as Record<string, unknown>)[field];
    if (blank(unionId)) throw paramError(ctx.op, `${field} is required`);
    const c = visibleConference(store, ctx, conferenceId);
    orgUser(ctx, c, unionId as string);
    return { c, unionId: unionId as string };
  };
  const minutesPage = (ctx: Ctx, c: Conference) => `${baseUrl(ctx)}/_emulator/worlds/${encodeURIComponent(ctx.world.id)}/dingtalk/conferences/${c.conferenceId}/minutes`;
  const mayRead = (ctx: Ctx, c: Conference, unionId: string) => unionId === c.minutesOwnerUnionId || store.media.minutes(ctx.world.id, c.conferenceId).readers.includes(unionId);

  return {
    startMinutes: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const unionId = requiredString(ctx, body, 'unionId');
      const owner = optionalString(ctx, body, 'ownerUnionId');
      optionalBooleans(ctx, body, ['recordAudio'] as const);
      const c = startedConference(store, ctx, conferenceId);
      const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
      if (m?.attendStatus !== AttendStatus.IN_MEETING) throw errors.unknownUser();
      if (owner !== undefined && owner !== '') orgUser(ctx, c, owner);
      if (c.minutesStatus === MinutesStatus.RECORDING) throw paramError(ctx.op, 'minutes are already recording');
      const now = ctx.world.now();
      store.transaction(() => {
        c.minutesStatus = MinutesStatus.RECORDING;
        c.minutesOwnerUnionId = owner || c.minutesOwnerUnionId || unionId;
        store.conferences.updateConference(ctx.world.id, c);
        store.media.putSegment(ctx.world.id, { mediaId: ctx.runtime.ids.hex(32), conferenceId: c.conferenceId, kind: 'minutes', unionId: c.minutesOwnerUnionId, startTime: now, endTime: null });
      });
      return { code: '200' };
    },

    stopMinutes: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const unionId = requiredString(ctx, jsonObject(ctx), 'unionId');
      const c = startedConference(store, ctx, conferenceId);
      orgUser(ctx, c, unionId);
      if (c.minutesStatus !== MinutesStatus.RECORDING) throw paramError(ctx.op, 'minutes are not recording');
      store.transaction(() => {
        c.minutesStatus = MinutesStatus.PAUSED;
        store.conferences.updateConference(ctx.world.id, c);
        store.media.closeOpen(ctx.world.id, c.conferenceId, 'minutes', ctx.world.now());
      });
      return { code: '200' };
    },

    queryMinutesAudio: (ctx) => {
      const { c } = reader(ctx);
      const recordId = String(recordIdOf(c.conferenceId));
      const base = `${baseUrl(ctx)}/_emulator/worlds/${encodeURIComponent(ctx.world.id)}/dingtalk/media`;
      return {
        audioList: store.media
          .segments(ctx.world.id, c.conferenceId, 'minutes')
          .filter((s) => s.endTime !== null)
          .map((s) => ({
            duration: s.endTime! - s.startTime,
            endTime: s.endTime!,
            fileSize: (s.endTime! - s.startTime) * BYTES_PER_MS,
            playUrl: `${base}/${s.mediaId}?format=mp3`,
            recordId,
            startTime: s.startTime,
            unionId: s.unionId,
          })),
      };
    },

    queryMinutesText: (ctx) => {
      const { direction, maxResults, nextToken } = ctx.query as Record<string, unknown>;
      const int = (value: unknown, name: string, min: number, max: number): number | undefined => {
        if (value === undefined) return undefined;
        const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
        if (!(n >= min && n <= max)) throw paramError(ctx.op, `${name} is invalid`);
        return n;
      };
      const limit = int(maxResults, 'maxResults', 1, MAX_TEXTS) ?? MAX_TEXTS;
      const offset = int(nextToken, 'nextToken', 0, Number.MAX_SAFE_INTEGER) ?? 0;
      if (direction !== undefined && direction !== '0' && direction !== '1') throw paramError(ctx.op, 'direction must be 0 or 1');
      const { c } = reader(ctx);
      const { lines } = recordedLines(store, ctx.world, c.conferenceId, 'minutes');
      const ordered = direction === '1' ? [...lines].reverse() : lines;
      const page = ordered.slice(offset, offset + limit);
      const next = offset + page.length;
      const hasMore = next < ordered.length;
      const recordId = recordIdOf(c.conferenceId);
      return {
        hasMore,
        ...(hasMore ? { nextToken: String(next) } : {}),
        paragraphList: page.map((l) => ({
          endTime: l.relEnd,
          nickName: l.userNick,
          paragraph: l.text,
          paragraphId: l.seq,
          recordId,
          sentenceList: [sentence(l)],
          startTime: l.relStart,
          unionId: l.unionId,
        })),
      };
    },

    queryMinutesSummary: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const unionId = requiredString(ctx, body, 'unionId');
      const types = body.summaryTypeList;
      if (types !== undefined && (!Array.isArray(types) || types.some((x) => typeof x !== 'string' || !SUMMARY_TYPES.includes(x)))) {
        throw paramError(ctx.op, `summaryTypeList must list some of ${SUMMARY_TYPES.join(', ')}`);
      }
      const c = visibleConference(store, ctx, conferenceId);
      orgUser(ctx, c, unionId);
      const all = minutesSummary(store, ctx.world, c.conferenceId);
      const wanted = types === undefined || types.length === 0 ? SUMMARY_TYPES : (types as string[]);
      return { summary: Object.fromEntries(SUMMARY_TYPES.filter((k) => wanted.includes(k)).map((k) => [k, all[k]])) };
    },

    queryMinutesMeetingResult: (ctx) => {
      const { c } = reader(ctx);
      const s = minutesSummary(store, ctx.world, c.conferenceId);
      return { action: (s.actions as { text: string }[]).map((a) => a.text), fullSummary: s.fullSummary ?? s.paragraphSummary };
    },

    addRecordPermission: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      optionalString(ctx, body, 'bizType');
      const ownerUnionId = requiredString(ctx, body, 'ownerUnionId');
      const unionId = requiredString(ctx, body, 'unionId');
      const c = visibleConference(store, ctx, conferenceId);
      orgUser(ctx, c, unionId);
      if (ownerUnionId !== c.minutesOwnerUnionId) throw paramError(ctx.op, 'ownerUnionId is not the owner of the minutes');
      const m = store.media.minutes(ctx.world.id, c.conferenceId);
      if (!m.readers.includes(unionId)) m.readers.push(unionId);
      store.media.putMinutes(ctx.world.id, c.conferenceId, m);
      return { code: '200' };
    },

    queryRecordMinutesUrl: (ctx) => {
      const { c, unionId } = reader(ctx, 'recorderUnionId');
      const has = store.media.segments(ctx.world.id, c.conferenceId, 'minutes').length > 0;
      return { recordMinutesUrls: has && mayRead(ctx, c, unionId) ? [{ recordMinutesUrl: minutesPage(ctx, c) }] : [] };
    },

    queryFlashMinutesSummary: (ctx) => {
      const { c } = reader(ctx, 'recorderUnionId');
      if (c.minutesStatus === null) return { flashMinutesSummary: { status: 0, summary: [] } };
      return {
        flashMinutesSummary: {
          status: c.minutesStatus === MinutesStatus.RECORDING ? 1 : 2,
          summary: minutesSummary(store, ctx.world, c.conferenceId).autoChapters,
        },
      };
    },

    generateFlashMinutesDocumentUrl: (ctx) => {
      const { expireTime } = ctx.query as { expireTime?: unknown };
      if (expireTime !== undefined && (typeof expireTime !== 'string' || !/^[0-9]+$/.test(expireTime))) throw paramError(ctx.op, 'expireTime must be a number');
      const { c, unionId } = reader(ctx);
      if (c.minutesStatus === null) throw paramError(ctx.op, 'the conference has no minutes');
      if (!mayRead(ctx, c, unionId)) throw errors.noPermission();
      return { minutesDocUrl: `${minutesPage(ctx, c)}${expireTime === undefined ? '' : `?expireTime=${expireTime}`}` };
    },
  };
}
