import type { Handler } from '../../../core/provider.js';
import { errors, paramError } from '../errors.js';
import { pageOf, paging } from '../pagination.js';
import { endFields } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { AttendStatus, ConferenceStatus, type Conference, type Member, type MetricOverride, type Principal } from '../types.js';
import { blank, conferenceIdParam, jsonObject } from '../validate.js';
import { app, visibleConference, type Ctx } from './context.js';

/** Metric samples every 10 s while a member is in the meeting, at most this many per answer (reference §12 (E)). */
const SAMPLE_MS = 10_000;
const MAX_SAMPLES = 360;

/** FNV-1a: the deterministic "noise" of the metrics, from the conference, the member and the instant. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * One metric sample of a member (kbps, ms, frames, levels, all strings as the SDK's models have them): a
 * muted mic sends no audio, a camera that is off sends no video, nobody shares a screen.
 */
export function metricSample(m: Member, timestamp: number, withJitter: boolean): Record<string, unknown> {
  const h = hash(`${m.conferenceId}\n${m.unionId}\n${timestamp}`);
  const micOn = m.micStatus !== 1;
  const cameraOn = m.cameraStatus === 2;
  const audioSend = micOn ? 32 + (h % 16) : 0;
  const audioRecv = 32 + ((h >>> 4) % 16);
  const cameraSend = cameraOn ? 600 + ((h >>> 8) % 200) : 0;
  const cameraRecv = 600 + ((h >>> 12) % 200);
  const out: Record<string, unknown> = {
    timestamp,
    sendBitRate: String(audioSend + cameraSend),
    recvBitRate: String(audioRecv + cameraRecv),
    lostRate: ((h >>> 16) % 5 / 100).toFixed(2),
    roundTripTime: String(20 + ((h >>> 20) % 30)),
    audioSendBitRate: String(audioSend),
    audioRecvBitRate: String(audioRecv),
    audioRecLevel: String(micOn ? (h >>> 24) % 100 : 0),
    audioPlayLevel: String((h >>> 3) % 100),
    cameraSendBitRate: String(cameraSend),
    cameraRecvBitRate: String(cameraRecv),
    cameraSendResolutionActual: cameraOn ? '1280x720' : '0x0',
    cameraRecvResolutionActual: '1280x720',
    cameraSendFrame: cameraOn ? '25' : '0',
    screenSendBitRate: '0',
    cameraRecvFrame: '25',
    screenRecvBitRate: '0',
    screenSendResolutionActual: '0x0',
    screenRecvResolutionActual: '0x0',
    screenSendFrame: '0',
    screenRecvFrame: '0',
  };
  if (withJitter) {
    const avg = 5 + (h % 10);
    out.audioJitterMax = String(avg * 2);
    out.audioJitterAvg = String(avg);
  }
  return out;
}

/**
 * A sample the control plane stated: the fields given, the rest derived at its instant; the jitter fields belong
 * to the last metric only.
 */
function statedSample(m: Member, stated: MetricOverride, withJitter: boolean): Record<string, unknown> {
  const { audioJitterMax, audioJitterAvg, ...fields } = stated;
  const out = { ...metricSample(m, stated.timestamp, withJitter), ...fields };
  return withJitter ? { ...out, ...(audioJitterMax === undefined ? {} : { audioJitterMax }), ...(audioJitterAvg === undefined ? {} : { audioJitterAvg }) } : out;
}

/** Conference data and metrics (reference §12): derived from the stored members and their times. */
export function dataHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  /** Time in the meeting so far (ms): ended at `endTime`, running up to now. */
  const timeLength = (ctx: Ctx, c: Conference) => (c.status === ConferenceStatus.ENDED && c.endTime !== null ? c.endTime : ctx.world.now()) - c.startTime;

  const confData = (ctx: Ctx, c: Conference) => {
    const { endTime } = endFields(c);
    return {
      conferenceId: c.conferenceId,
      creatorId: c.creatorId,
      creatorNick: c.creatorNick,
      ...(endTime === undefined ? {} : { endTime }),
      startTime: c.startTime,
      timeLength: timeLength(ctx, c),
      title: c.title,
      userCount: c.attendNum,
    };
  };

  const realData = (ctx: Ctx) => {
    const { realData: value } = ctx.query as { realData?: unknown };
    if (value !== undefined && value !== 'true' && value !== 'false') throw paramError(ctx.op, 'realData must be true or false');
  };

  /** The member's time in the meeting: from the first join to the last leave, or now while in it. */
  const stay = (ctx: Ctx, m: Member): [number, number] | undefined =>
    m.joinTime === null ? undefined : [m.joinTime, m.attendStatus === AttendStatus.IN_MEETING || m.leaveTime === null ? ctx.world.now() : m.leaveTime];

  const epoch = (ctx: Ctx, name: string): number | undefined => {
    const value = (ctx.query as Record<string, unknown>)[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) throw paramError(ctx.op, `${name} must be epoch milliseconds`);
    return Number(value);
  };

  return {
    getConfDataByConferenceId: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      realData(ctx);
      return confData(ctx, visibleConference(store, ctx, conferenceId));
    },

    getConfDetailData: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { offset, limit } = paging(ctx);
      const { nick } = ctx.query as { nick?: unknown };
      const c = visibleConference(store, ctx, conferenceId);
      const joined = store.conferences
        .members(ctx.world.id, c.conferenceId)
        .filter((m) => m.joinTime !== null && (blank(nick) || m.userNick.includes(nick as string)));
      const { page, nextToken } = pageOf(joined, offset, limit);
      const now = ctx.world.now();
      return {
        list: page.map((m) => {
          const user = store.apps.user(ctx.world.id, m.unionId);
          const inNow = m.attendStatus === AttendStatus.IN_MEETING;
          const sample = metricSample(m, now, false);
          return {
            belongOrg: user?.org ?? c.org,
            conferenceId: c.conferenceId,
            duration: m.durationMs + (m.inSince !== null ? Math.max(now - m.inSince, 0) : 0),
            joinTime: m.joinTime!,
            ...(!inNow && m.leaveTime !== null ? { leaveTime: m.leaveTime } : {}),
            networkQuality: Number(sample.lostRate) < 0.03 ? 'good' : 'poor',
            nick: m.userNick,
            role: m.host ? 'host' : m.coHost ? 'cohost' : 'member',
            sessionId: `${c.conferenceId}-${m.seq}`,
            status: inNow ? 'online' : 'offline',
            unionId: m.unionId,
          };
        }),
        ...(nextToken === undefined ? {} : { nextToken }),
      };
    },

    getHistoryConfDataList: (ctx) => {
      const { offset, limit } = paging(ctx);
      realData(ctx);
      const from = epoch(ctx, 'startTime');
      const to = epoch(ctx, 'endTime');
      const { title, creatorNike, realData: real } = ctx.query as { title?: string; creatorNike?: string; realData?: string };
      const all = store.conferences
        .orgConferences(ctx.world.id, app(ctx).org)
        .filter(
          (c) =>
            (real === 'true' || c.status === ConferenceStatus.ENDED) &&
            (from === undefined || c.startTime >= from) &&
            (to === undefined || c.startTime <= to) &&
            (blank(title) || c.title.includes(title!)) &&
            (blank(creatorNike) || c.creatorNick.includes(creatorNike!)),
        );
      const { page, nextToken } = pageOf(all, offset, limit);
      return { list: page.map((c) => confData(ctx, c)), ...(nextToken === undefined ? {} : { nextToken }) };
    },

    getUserMetricData: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { unionId } = ctx.query as { unionId?: unknown };
      if (blank(unionId)) throw paramError(ctx.op, 'unionId is required');
      const begin = epoch(ctx, 'beginTime');
      const end = epoch(ctx, 'endTime');
      if (begin !== undefined && end !== undefined && end < begin) throw paramError(ctx.op, 'endTime must not be before beginTime');
      const c = visibleConference(store, ctx, conferenceId);
      const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId as string);
      if (!m) throw errors.unknownUser();
      const span = stay(ctx, m);
      const metricDataList: Record<string, unknown>[] = [];
      const stated = store.media.metrics(ctx.world.id, c.conferenceId, m.unionId);
      if (stated.length > 0) {
        // Stated samples replace the derived ones; one after now has not been measured yet.
        const to = Math.min(ctx.world.now(), end ?? Infinity);
        for (const sample of stated) {
          if (sample.timestamp >= (begin ?? 0) && sample.timestamp <= to && metricDataList.length < MAX_SAMPLES) metricDataList.push(statedSample(m, sample, false));
        }
      } else if (span) {
        const from = Math.max(span[0], begin ?? span[0]);
        const to = Math.min(span[1], end ?? span[1]);
        for (let at = Math.ceil(from / SAMPLE_MS) * SAMPLE_MS; at <= to && metricDataList.length < MAX_SAMPLES; at += SAMPLE_MS) metricDataList.push(metricSample(m, at, false));
      }
      return { metricDataList };
    },

    getUserLastMetric: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const { unionIdList } = jsonObject(ctx);
      if (unionIdList === undefined) throw paramError(ctx.op, 'unionIdList is required');
      if (!Array.isArray(unionIdList) || unionIdList.length === 0 || unionIdList.some((u) => typeof u !== 'string')) {
        throw paramError(ctx.op, 'unionIdList must be a non-empty array of strings');
      }
      const c = visibleConference(store, ctx, conferenceId);
      const metricMap: Record<string, unknown> = {};
      for (const unionId of new Set(unionIdList as string[])) {
        const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
        if (!m) throw errors.unknownUser();
        const stated = store.media.metrics(ctx.world.id, c.conferenceId, m.unionId);
        if (stated.length > 0) {
          const now = ctx.world.now();
          const last = stated.filter((sample) => sample.timestamp <= now).at(-1);
          if (last) metricMap[unionId] = statedSample(m, last, true);
          continue;
        }
        const span = stay(ctx, m);
        if (span) metricMap[unionId] = metricSample(m, Math.floor(span[1] / SAMPLE_MS) * SAMPLE_MS, true);
      }
      return { metricMap };
    },
  };
}
