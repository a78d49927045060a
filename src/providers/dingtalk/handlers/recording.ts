import type { Handler } from '../../../core/provider.js';
import { BYTES_PER_MS, recordCloud, recordedLines, recordIdOf } from '../domain.js';
import { errors, paramError } from '../errors.js';
import type { DingTalkStore } from '../store/index.js';
import { ConferenceStatus, RecordStatus, type Conference, type Principal } from '../types.js';
import { blank, conferenceIdParam, jsonObject, optionalBooleans, optionalString, requiredString } from '../validate.js';
import { app, startedConference, visibleConference, type Ctx } from './context.js';

const REGION = 'cn-hangzhou';
const LAYOUTS = ['grid', 'speech', 'full_screen'];
const WINDOWS = ['relative_right', 'float_right', 'float_bottom'];
const MAX_STREAM_URLS = 10;
const MAX_TEXTS = 2000;

/** The base URL the caller reached the emulator at: media URLs point back to it. */
const baseUrl = (ctx: Ctx) => `http://${ctx.req.headers.host ?? '127.0.0.1'}`;

/** Cloud recording and stream-out (reference §12): state rules, media derived from the stored history. */
export function recordingHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  /** The host check of the recording pages: only the meeting's host may start or stop a recording. */
  const isHost = (ctx: Ctx, c: Conference, unionId: string) => {
    const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
    return m?.host === true || unionId === c.creatorId;
  };

  /** A recording's readers: the conference of the caller's org (ended or not) and a known user of that org. */
  const readable = (ctx: Ctx, unionIdRequired: boolean): Conference => {
    const conferenceId = conferenceIdParam(ctx);
    const { unionId } = ctx.query as { unionId?: unknown };
    if (unionIdRequired && blank(unionId)) throw paramError(ctx.op, 'unionId is required');
    const c = visibleConference(store, ctx, conferenceId);
    if (!blank(unionId)) {
      const user = store.apps.user(ctx.world.id, unionId as string);
      if (!user) throw errors.unknownUser();
      if (user.org !== c.org) throw errors.orgAccessForbidden();
    }
    return c;
  };

  const finishedVideos = (ctx: Ctx, c: Conference) => store.media.segments(ctx.world.id, c.conferenceId, 'cloud').filter((s) => s.endTime !== null);

  return {
    startCloudRecord: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const unionId = requiredString(ctx, body, 'unionId');
      const mode = optionalString(ctx, body, 'mode');
      const window = optionalString(ctx, body, 'smallWindowPosition');
      if (mode !== undefined && !LAYOUTS.includes(mode)) throw paramError(ctx.op, `mode must be one of ${LAYOUTS.join(', ')}`);
      if (window !== undefined && !WINDOWS.includes(window)) throw paramError(ctx.op, `smallWindowPosition must be one of ${WINDOWS.join(', ')}`);
      const c = visibleConference(store, ctx, conferenceId);
      if (c.status !== ConferenceStatus.STARTED) throw errors.roomClosed();
      if (!isHost(ctx, c, unionId)) throw errors.recordStartPermissionError('only the host may start the cloud recording');
      // One recording at a time.
      if (c.cloudRecordStatus === RecordStatus.RECORDING || c.cloudRecordStatus === RecordStatus.PAUSED) throw errors.recordStartError('a cloud recording is already running');
      recordCloud(store, ctx.world, ctx.runtime.ids, c, 'start', unionId);
      return { code: '200' };
    },

    stopCloudRecord: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const unionId = requiredString(ctx, jsonObject(ctx), 'unionId');
      const c = visibleConference(store, ctx, conferenceId);
      if (c.status !== ConferenceStatus.STARTED) throw errors.roomClosed();
      if (!isHost(ctx, c, unionId)) throw errors.recordStopPermissionError();
      if (c.cloudRecordStatus !== RecordStatus.RECORDING && c.cloudRecordStatus !== RecordStatus.PAUSED) throw errors.recordStopError();
      recordCloud(store, ctx.world, ctx.runtime.ids, c, 'stop', unionId);
      return { code: '200' };
    },

    queryCloudRecordVideo: (ctx) => {
      const c = readable(ctx, true);
      const videos = finishedVideos(ctx, c);
      if (videos.length === 0) throw errors.cloudRecordNotFound();
      const recordId = String(recordIdOf(c.conferenceId));
      return {
        videoList: videos.map((v) => ({
          recordId,
          unionId: v.unionId,
          startTime: v.startTime,
          recordType: 0,
          duration: v.endTime! - v.startTime,
          fileSize: (v.endTime! - v.startTime) * BYTES_PER_MS,
          endTime: v.endTime!,
          mediaId: v.mediaId,
          regionId: REGION,
        })),
      };
    },

    queryCloudRecordVideoPlayInfo: (ctx) => {
      const { mediaId, regionId } = ctx.query as { mediaId?: unknown; regionId?: unknown };
      if (blank(mediaId)) throw paramError(ctx.op, 'mediaId is required');
      if (blank(regionId)) throw paramError(ctx.op, 'regionId is required');
      const c = readable(ctx, true);
      const video = finishedVideos(ctx, c).find((v) => v.mediaId === mediaId);
      if (!video || regionId !== REGION) throw errors.cloudRecordNotFound();
      const url = `${baseUrl(ctx)}/_emulator/worlds/${encodeURIComponent(ctx.world.id)}/dingtalk/media/${video.mediaId}`;
      const duration = video.endTime! - video.startTime;
      return { playUrl: `${url}?format=m3u8`, mp4FileUrl: `${url}?format=mp4`, fileSize: duration * BYTES_PER_MS, duration, status: 0 };
    },

    queryCloudRecordText: (ctx) => {
      const { startTime, direction, maxResults, nextToken } = ctx.query as Record<string, unknown>;
      const int = (value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
        if (value === undefined) return undefined;
        const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
        if (!(n >= min && n <= max)) throw paramError(ctx.op, `${name} is invalid`);
        return n;
      };
      const from = int(startTime, 'startTime', 0) ?? 0;
      const limit = int(maxResults, 'maxResults', 1, MAX_TEXTS) ?? MAX_TEXTS;
      const offset = int(nextToken, 'nextToken', 0) ?? 0;
      if (direction !== undefined && direction !== '0' && direction !== '1') throw paramError(ctx.op, 'direction must be 0 or 1');
      const c = readable(ctx, false);
      const { segments, lines } = recordedLines(store, ctx.world, c.conferenceId, 'cloud');
      if (segments.length === 0) throw errors.cloudRecordNotFound();
      const recordId = recordIdOf(c.conferenceId);
      let picked = lines.filter((l) => l.relStart >= from);
      if (direction === '1') picked = picked.reverse();
      const page = picked.slice(offset, offset + limit);
      return {
        hasMore: offset + page.length < picked.length,
        paragraphList: page.map((l, i) => ({
          endTime: l.relEnd,
          nextTtoken: offset + i + 1,
          nickName: l.userNick,
          paragraph: l.text,
          recordId,
          sentenceList: [sentence(l)],
          startTime: l.relStart,
          status: 0,
          unionId: l.unionId,
        })),
      };
    },

    startStreamOut: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const unionId = requiredString(ctx, body, 'unionId');
      const { needHostJoin } = optionalBooleans(ctx, body, ['needHostJoin'] as const);
      if (needHostJoin === undefined) throw paramError(ctx.op, 'needHostJoin is required');
      const streamName = requiredString(ctx, body, 'streamName');
      const mode = requiredString(ctx, body, 'mode');
      if (!LAYOUTS.includes(mode)) throw paramError(ctx.op, `mode must be one of ${LAYOUTS.join(', ')}`);
      const window = requiredString(ctx, body, 'smallWindowPosition');
      if (!WINDOWS.includes(window)) throw paramError(ctx.op, `smallWindowPosition must be one of ${WINDOWS.join(', ')}`);
      const urls = body.streamUrlList;
      if (!Array.isArray(urls) || urls.length === 0 || urls.some((u) => typeof u !== 'string')) throw paramError(ctx.op, 'streamUrlList must be a non-empty array of strings');
      if (urls.length > MAX_STREAM_URLS) throw paramError(ctx.op, `streamUrlList holds at most ${MAX_STREAM_URLS} urls`);
      const c = startedConference(store, ctx, conferenceId);
      const user = store.apps.user(ctx.world.id, unionId);
      if (!user) throw errors.unknownUser();
      if (user.org !== app(ctx).org) throw errors.orgAccessForbidden();
      const hostIn = store.conferences.members(ctx.world.id, c.conferenceId).some((m) => m.host && m.attendStatus === 3);
      const successStreamMap: Record<string, string> = {};
      const failStreamMap: Record<string, string> = {};
      const now = ctx.world.now();
      store.transaction(() => {
        for (const url of new Set(urls as string[])) {
          if (!/^rtmps?:\/\//i.test(url)) failStreamMap[url] = 'stream url must start with rtmp';
          else if (needHostJoin && !hostIn) failStreamMap[url] = 'the host has not joined';
          else {
            const streamId = ctx.runtime.ids.hex(32);
            store.media.putStream(ctx.world.id, { streamId, conferenceId: c.conferenceId, unionId, name: streamName, url, startTime: now, endTime: null });
            successStreamMap[url] = streamId;
          }
        }
      });
      return { successStreamMap, failStreamMap };
    },

    stopStreamOut: (ctx) => {
      const conferenceId = conferenceIdParam(ctx);
      const body = jsonObject(ctx);
      const unionId = requiredString(ctx, body, 'unionId');
      const { stopAllStream } = optionalBooleans(ctx, body, ['stopAllStream'] as const);
      if (stopAllStream === undefined) throw paramError(ctx.op, 'stopAllStream is required');
      const streamId = stopAllStream ? undefined : requiredString(ctx, body, 'streamId');
      const c = startedConference(store, ctx, conferenceId);
      const user = store.apps.user(ctx.world.id, unionId);
      if (!user) throw errors.unknownUser();
      if (user.org !== app(ctx).org) throw errors.orgAccessForbidden();
      const now = ctx.world.now();
      if (stopAllStream) store.media.stopStreams(ctx.world.id, c.conferenceId, now);
      else {
        const stream = store.media.streams(ctx.world.id, c.conferenceId).find((s) => s.streamId === streamId && s.endTime === null);
        if (!stream) throw paramError(ctx.op, 'streamId is invalid');
        store.media.putStream(ctx.world.id, { ...stream, endTime: now });
      }
      return { code: '200' };
    },
  };
}

/** A transcript line as one sentence: its words split on white space (or per character without any), times shared evenly. */
export function sentence(l: { relStart: number; relEnd: number; unionId: string; text: string; seq: number }): Record<string, unknown> {
  const words = /\s/.test(l.text.trim()) ? l.text.trim().split(/\s+/) : [...l.text.trim()];
  const span = Math.max(l.relEnd - l.relStart, 0);
  const step = words.length === 0 ? 0 : Math.floor(span / words.length);
  return {
    endTime: l.relEnd,
    sentence: l.text,
    startTime: l.relStart,
    unionId: l.unionId,
    wordList: words.map((word, i) => ({
      endTime: i === words.length - 1 ? l.relEnd : l.relStart + step * (i + 1),
      startTime: l.relStart + step * i,
      word,
      wordId: `${l.seq}-${i + 1}`,
    })),
  };
}

