import { inspectedWorld, pageOf, pageParams } from '../../core/inspect.js';
import type { Handler } from '../../core/provider.js';
import { memberModel } from './present.js';
import type { DingTalkStore } from './store/index.js';
import { Problem } from '../../core/problem.js';
import { BYTES_PER_MS, minutesSummary, recordedLines, startDueSchedules } from './domain.js';
import { AttendStatus, ConferenceStatus, RecordStatus, ScheduleStatus, type Member } from './types.js';

// The API's codes as words (reference §3.3, §3.4).
const CONFERENCE_STATUS: Record<number, string> = {
  [ConferenceStatus.INITIALIZED]: 'initialized',
  [ConferenceStatus.ENDED]: 'ended',
  [ConferenceStatus.STARTED]: 'started',
};
const CONFERENCE_STATUS_CODES = new Map(Object.entries(CONFERENCE_STATUS).map(([code, word]) => [word, Number(code)]));
const ATTEND_STATUS: Record<number, string> = {
  [AttendStatus.INITIALIZED]: 'initialized',
  [AttendStatus.CALLING]: 'calling',
  [AttendStatus.IN_MEETING]: 'joined',
  [AttendStatus.FAILED]: 'failed',
  [AttendStatus.KICKED]: 'kicked',
  [AttendStatus.LEFT]: 'left',
};
const RECORD_STATUS: Record<number, string> = {
  [RecordStatus.NONE]: 'none',
  [RecordStatus.RECORDING]: 'recording',
  [RecordStatus.PAUSED]: 'paused',
  [RecordStatus.FINISHED]: 'finished',
};
/** cameraStatus and micStatus: 0 initialized, 1 off, 2 on. */
const MEDIA_STATUS = ['initialized', 'off', 'on'];

function memberView(m: Member, now: number): Record<string, unknown> {
  return {
    unionId: m.unionId,
    userNick: m.userNick,
    attendStatus: ATTEND_STATUS[m.attendStatus],
    attendStatusCode: m.attendStatus,
    host: m.host,
    coHost: m.coHost,
    pstnJoin: m.pstnJoin,
    camera: MEDIA_STATUS[m.cameraStatus],
    mic: MEDIA_STATUS[m.micStatus],
    joinTime: m.joinTime,
    leaveTime: m.leaveTime,
    // As queryConferenceMembers counts it (0 for a member who never joined).
    duration: (memberModel(m, now).duration as number | undefined) ?? 0,
    outerOrgMember: m.outerOrgMember,
    rejectDescription: m.rejectDescription,
    rejoinForbidden: m.rejoinForbidden,
  };
}

/** The control plane's read-only view of a world's DingTalk conferences, every org together (openapi/emulator.yaml, tag "World state"). */
export function createInspectors(store: DingTalkStore): Record<string, Handler> {
  return {
    listDingTalkConferences: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      const { status: word } = ctx.query as { status?: string };
      const status = word === undefined ? null : CONFERENCE_STATUS_CODES.get(word)!;
      const now = world.now();
      const conferences = store.conferences.conferencePage(world.id, status, page.offset, page.limit).map((c) => ({
        conferenceId: c.conferenceId,
        title: c.title,
        org: c.org,
        status: CONFERENCE_STATUS[c.status],
        statusCode: c.status,
        creatorId: c.creatorId,
        creatorNick: c.creatorNick,
        startTime: c.startTime,
        endTime: c.endTime,
        roomCode: c.roomCode,
        scheduleConferenceId: c.scheduleConferenceId,
        activeNum: c.activeNum,
        attendNum: c.attendNum,
        invitedNum: c.invitedNum,
        mediaStatus: c.mediaStatus,
        settings: c.settings,
        recording: { status: RECORD_STATUS[c.cloudRecordStatus], statusCode: c.cloudRecordStatus, ownerUnionId: c.cloudRecordOwnerUnionId },
        media: [...store.media.segments(world.id, c.conferenceId, 'cloud'), ...store.media.segments(world.id, c.conferenceId, 'minutes')].map((m) => ({
          mediaId: m.mediaId,
          kind: m.kind,
          unionId: m.unionId,
          startTime: m.startTime,
          endTime: m.endTime,
        })),
        streamOuts: store.media.streams(world.id, c.conferenceId).map((st) => ({
          streamId: st.streamId,
          name: st.name,
          url: st.url,
          unionId: st.unionId,
          startTime: st.startTime,
          endTime: st.endTime,
        })),
        members: store.conferences.members(world.id, c.conferenceId).map((m) => memberView(m, now)),
      }));
      return pageOf('conferences', conferences, page, store.conferences.conferenceCount(world.id, status));
    },

    listDingTalkScheduleConferences: (ctx) => {
      const world = inspectedWorld(ctx);
      const page = pageParams(ctx);
      startDueSchedules(store, world, ctx.runtime.ids);
      const all = store.schedules.all(world.id);
      const schedules = all.slice(page.offset, page.offset + page.limit).map((s) => ({
        scheduleConferenceId: s.scheduleConferenceId,
        title: s.title,
        org: s.org,
        creatorId: s.creatorId,
        startTime: s.startTime,
        endTime: s.endTime,
        roomCode: s.roomCode,
        status: s.status === ScheduleStatus.CANCELLED ? 'cancelled' : 'scheduled',
        startedByClock: s.autoStarted,
        settings: s.settings,
        conferenceIds: store.conferences.bySchedule(world.id, s.scheduleConferenceId).map((c) => c.conferenceId),
      }));
      return pageOf('scheduleConferences', schedules, page, all.length);
    },

    getDingTalkMedia: (ctx) => {
      const world = inspectedWorld(ctx);
      const { mediaId } = ctx.params as { mediaId: string };
      const { format } = ctx.query as { format?: string };
      const m = store.media.segment(world.id, mediaId);
      if (!m) throw new Problem(404, `No media ${mediaId} in world ${world.id}`);
      const duration = m.endTime === null ? null : m.endTime - m.startTime;
      return {
        mediaId: m.mediaId,
        conferenceId: m.conferenceId,
        kind: m.kind,
        unionId: m.unionId,
        startTime: m.startTime,
        endTime: m.endTime,
        duration,
        fileSize: duration === null ? null : duration * BYTES_PER_MS,
        format: format ?? 'mp4',
      };
    },

    getDingTalkMinutes: (ctx) => {
      const world = inspectedWorld(ctx);
      const { conferenceId } = ctx.params as { conferenceId: string };
      const c = store.conferences.conference(world.id, conferenceId);
      if (!c) throw new Problem(404, `No conference ${conferenceId} in world ${world.id}`);
      const { lines } = recordedLines(store, world, conferenceId, 'minutes');
      return {
        conferenceId,
        title: c.title,
        minutesStatus: c.minutesStatus,
        ownerUnionId: c.minutesOwnerUnionId,
        readers: store.media.minutes(world.id, conferenceId).readers,
        lines: lines.map((l) => ({ unionId: l.unionId, userNick: l.userNick, startTime: l.relStart, endTime: l.relEnd, text: l.text })),
        summary: minutesSummary(store, world, conferenceId),
      };
    },
  };
}
