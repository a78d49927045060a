import type { Handler, HandlerContext } from '../../../core/provider.js';
import { Problem } from '../../../core/problem.js';
import { endConference, endStay, newMember, recordCloud, startDueSchedules, startSchedule } from '../domain.js';
import { confInfo, memberModel } from '../present.js';
import type { DingTalkStore } from '../store/index.js';
import { AttendStatus, ConferenceStatus, RecordStatus, ScheduleStatus, type Conference, type ExtensionAppSetting, type Member, type MetricOverride } from '../types.js';


/**
 * Scenario actions of the control plane (openapi/emulator.yaml, tag "DingTalk scenarios"): what
 * happens in the meeting itself, which the public API cannot cause (reference §2.5).
 */
export function createScenarios(store: DingTalkStore): Record<string, Handler> {
  const conference = (ctx: HandlerContext): Conference => {
    const { conferenceId } = ctx.params as { conferenceId: string };
    const c = store.conferences.conference(ctx.world.id, conferenceId);
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
    const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
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
    store.conferences.putMember(ctx.world.id, m);
    return memberModel(m, ctx.world.now());
  };
  const leaveAs = (attendStatus: number) => (ctx: HandlerContext) => {
    const m = inMeeting(ctx, started(ctx));
    endStay(m, ctx.world.now(), attendStatus);
    return save(ctx, m);
  };
  const info = (ctx: HandlerContext, conferenceId: string) => ({ confInfo: confInfo(store.conferences.conference(ctx.world.id, conferenceId)!) });

  return {
    joinDingTalkConference: (ctx) => {
      const c = started(ctx);
      const { unionId } = ctx.params as { unionId: string };
      const { pstnJoin } = (ctx.body ?? {}) as { pstnJoin?: boolean };
      const user = store.apps.user(ctx.world.id, unionId);
      if (!user) throw new Problem(404, `No user ${unionId} in world ${ctx.world.id}`);
      const existing = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
      if (existing?.attendStatus === AttendStatus.IN_MEETING) throw new Problem(409, `${unionId} is already in conference ${c.conferenceId}`);
      // What the in-meeting controls forbid (updateVideoConferenceSetting, lockConference, kickMembers).
      if (c.settings.lockConference) throw new Problem(409, `Conference ${c.conferenceId} is locked`);
      if (c.settings.onlyInternalEmployeesJoin && user.org !== c.org) throw new Problem(409, `Conference ${c.conferenceId} admits only members of its org`);
      if (existing?.rejoinForbidden) throw new Problem(409, `${unionId} was kicked from conference ${c.conferenceId} and may not rejoin`);
      const now = ctx.world.now();
      const m: Member = existing ?? newMember(c.conferenceId, user, store.conferences.nextSeq(ctx.world.id, c.conferenceId), AttendStatus.INITIALIZED, user.org !== c.org);
      m.attendStatus = AttendStatus.IN_MEETING;
      m.joinTime ??= now;
      m.inSince = now;
      m.rejectDescription = null;
      // Joining a muted meeting: the mic starts off (muteAll, reference §3.6 mediaStatus).
      if (c.settings.muteAll && !m.host && !m.coHost) m.micStatus = 1;
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
      const m = store.conferences.member(ctx.world.id, c.conferenceId, unionId);
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
      recordCloud(store, ctx.world, ctx.runtime.ids, c, action, unionId);
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
      store.conferences.updateConference(ctx.world.id, c);
      return info(ctx, c.conferenceId);
    },

    startDingTalkScheduleConference: (ctx) => {
      const { scheduleConferenceId } = ctx.params as { scheduleConferenceId: string };
      // What the clock has started already comes first, so this start is not a second one.
      startDueSchedules(store, ctx.world, ctx.runtime.ids);
      const s = store.schedules.schedule(ctx.world.id, scheduleConferenceId);
      if (!s) throw new Problem(404, `No scheduled conference ${scheduleConferenceId} in world ${ctx.world.id}`);
      if (s.status === ScheduleStatus.CANCELLED) throw new Problem(409, `Scheduled conference ${scheduleConferenceId} was cancelled`);
      if (store.schedules.running(ctx.world.id, scheduleConferenceId)) throw new Problem(409, `A meeting of scheduled conference ${scheduleConferenceId} is running`);
      const c = startSchedule(store, ctx.world, ctx.runtime.ids, s);
      return info(ctx, c.conferenceId);
    },

    addDingTalkTranscript: (ctx) => {
      const c = conference(ctx);
      const { lines, replace } = ctx.body as { lines: { unionId: string; text: string; startTime?: number; durationMs?: number }[]; replace?: boolean };
      const users = lines.map((l) => {
        const m = store.conferences.member(ctx.world.id, c.conferenceId, l.unionId);
        if (!m) throw new Problem(404, `${l.unionId} is not a member of conference ${c.conferenceId}`);
        return m;
      });
      store.transaction(() => {
        if (replace) store.media.clearLines(ctx.world.id, c.conferenceId);
        let seq = store.media.nextLine(ctx.world.id, c.conferenceId);
        let at = ctx.world.now();
        lines.forEach((l, i) => {
          // No startTime: right after the previous line of the request (the first one now); 250 ms a character, at least 1 s.
          const startTime = l.startTime ?? at;
          const endTime = startTime + (l.durationMs ?? Math.max(1000, [...l.text].length * 250));
          store.media.putLine(ctx.world.id, { conferenceId: c.conferenceId, seq: seq++, unionId: l.unionId, userNick: users[i]!.userNick, startTime, endTime, text: l.text });
          at = endTime;
        });
      });
      return {
        lines: store.media.lines(ctx.world.id, c.conferenceId).map((l) => ({ seq: l.seq, unionId: l.unionId, userNick: l.userNick, startTime: l.startTime, endTime: l.endTime, text: l.text })),
      };
    },

    setDingTalkMemberMetrics: (ctx) => {
      const m = member(ctx, conference(ctx));
      const { samples, replace } = ctx.body as { samples: MetricOverride[]; replace?: boolean };
      store.transaction(() => {
        if (replace) store.media.clearMetrics(ctx.world.id, m.conferenceId, m.unionId);
        for (const sample of samples) store.media.putMetric(ctx.world.id, m.conferenceId, m.unionId, sample);
      });
      return { samples: store.media.metrics(ctx.world.id, m.conferenceId, m.unionId) };
    },

    setDingTalkMinutesSummary: (ctx) => {
      const c = conference(ctx);
      const m = store.media.minutes(ctx.world.id, c.conferenceId);
      // Each field given replaces the derived one; null gives it back to the derivation.
      for (const [k, v] of Object.entries(ctx.body as Record<string, unknown>)) {
        if (v === null) delete m.overrides[k];
        else m.overrides[k] = v;
      }
      store.media.putMinutes(ctx.world.id, c.conferenceId, m);
      return { overrides: m.overrides };
    },
  };
}
