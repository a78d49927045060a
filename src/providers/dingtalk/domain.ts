import type { IdSource } from '../../core/ids.js';
import type { World } from '../../core/worlds.js';
import type { DingTalkStore } from './store/index.js';
import {
  AttendStatus,
  ConferenceStatus,
  DEFAULT_SETTINGS,
  MinutesStatus,
  RecordStatus,
  type Conference,
  type DingTalkFixtures,
  type Member,
  type MediaSegment,
  type Schedule,
  type TranscriptLine,
  type User,
} from './types.js';

export const DEFAULT_PHONE_NUMBERS = ['0571-26883112'];

/** The world's dial-in numbers (fixtures `phoneNumbers`, reference §2.5). */
export function phoneNumbers(world: World): string[] {
  return (world.fixtures.dingtalk as DingTalkFixtures | undefined)?.phoneNumbers ?? DEFAULT_PHONE_NUMBERS;
}

/** A member row as first written: nobody has joined yet. */
export function newMember(conferenceId: string, user: User, seq: number, attendStatus: number, outerOrgMember: boolean): Member {
  return {
    conferenceId,
    unionId: user.unionId,
    userNick: user.nick,
    seq,
    attendStatus,
    host: false,
    coHost: false,
    pstnJoin: false,
    joinTime: null,
    leaveTime: null,
    durationMs: 0,
    inSince: null,
    outerOrgMember,
    cameraStatus: 0,
    micStatus: 0,
    rejectDescription: null,
    rejoinForbidden: false,
  };
}

/** An 11-digit room code no conference or scheduled conference of the world uses (reference §2.5). */
export function newRoomCode(store: DingTalkStore, world: World, ids: IdSource): string {
  let roomCode: string;
  do roomCode = ids.digits(11, true);
  while (store.roomCodeUsed(world.id, roomCode));
  return roomCode;
}

export interface Opening {
  org: string;
  title: string;
  creator: User;
  invitees: User[];
  inviteCaller: boolean;
  /** A scheduled conference's own room code and id, when it is the one starting. */
  roomCode?: string;
  scheduleConferenceId?: string;
  bizType: string;
  /** When it started (a scheduled conference the clock started); now otherwise. */
  startTime?: number;
}

/**
 * Starts a meeting (create, or a scheduled conference starting, reference §2.5): status 2 now, the creator
 * in it as host, each invitee being called.
 */
export function openConference(store: DingTalkStore, world: World, ids: IdSource, o: Opening): Conference {
  const now = o.startTime ?? world.now();
  const conferenceId = ids.objectId(now);
  const roomCode = o.roomCode ?? newRoomCode(store, world, ids);
  const conference = {
    conferenceId,
    org: o.org,
    title: o.title,
    creatorId: o.creator.unionId,
    creatorNick: o.creator.nick,
    status: ConferenceStatus.STARTED,
    startTime: now,
    endTime: null,
    roomCode,
    externalLinkUrl: `https://meeting.dingtalk.com/app?roomCode=${roomCode}&token=1_${ids.uuid()}`,
    conferencePassword: ids.digits(10),
    hostPassword: ids.digits(10),
    phoneNumbers: phoneNumbers(world),
    bizType: o.bizType,
    inviteCaller: o.inviteCaller,
    invitedNum: o.invitees.length,
    cloudRecordStatus: RecordStatus.NONE,
    cloudRecordOwnerUnionId: null,
    mediaStatus: 0,
    extensionAppSettings: null,
    scheduleConferenceId: o.scheduleConferenceId ?? null,
    settings: { ...DEFAULT_SETTINGS },
    minutesStatus: null,
    minutesOwnerUnionId: null,
  };
  store.transaction(() => {
    store.conferences.insertConference(world.id, conference);
    const creator = newMember(conferenceId, o.creator, 0, AttendStatus.IN_MEETING, false);
    store.conferences.putMember(world.id, { ...creator, host: true, joinTime: now, inSince: now });
    o.invitees.forEach((u, i) => store.conferences.putMember(world.id, newMember(conferenceId, u, i + 1, AttendStatus.CALLING, u.org !== o.org)));
  });
  return { ...conference, activeNum: 1, attendNum: 1 };
}

/** Ends the member's current stay in the meeting. */
export function endStay(m: Member, now: number, attendStatus: number): void {
  if (m.inSince !== null) m.durationMs += Math.max(now - m.inSince, 0);
  m.inSince = null;
  m.leaveTime = now;
  m.attendStatus = attendStatus;
}

/** Close and the control plane's "end" (reference §2.5). */
export function endConference(store: DingTalkStore, world: World, c: Conference): void {
  const now = world.now();
  store.transaction(() => {
    c.status = ConferenceStatus.ENDED;
    c.endTime = now;
    if (c.cloudRecordStatus === RecordStatus.RECORDING || c.cloudRecordStatus === RecordStatus.PAUSED) c.cloudRecordStatus = RecordStatus.FINISHED;
    store.conferences.updateConference(world.id, c);
    // Recordings and stream-outs stop with the meeting.
    store.media.closeOpen(world.id, c.conferenceId, 'cloud', now);
    store.media.closeOpen(world.id, c.conferenceId, 'minutes', now);
    if (c.minutesStatus === MinutesStatus.RECORDING) {
      c.minutesStatus = MinutesStatus.PAUSED;
      store.conferences.updateConference(world.id, c);
    }
    store.media.stopStreams(world.id, c.conferenceId, now);
    for (const m of store.conferences.members(world.id, c.conferenceId)) {
      if (m.attendStatus === AttendStatus.IN_MEETING) endStay(m, now, AttendStatus.LEFT);
      else if (m.attendStatus === AttendStatus.INITIALIZED || m.attendStatus === AttendStatus.CALLING) m.attendStatus = AttendStatus.LEFT;
      else continue;
      store.conferences.putMember(world.id, m);
    }
  });
}

/**
 * Mute or unmute everyone in the meeting but the host and co-hosts (muteAll, or the muteAll setting):
 * their mic goes off (1) or back on (2); the conference's mediaStatus is 4 under a forced mute (nobody
 * may unmute themselves), 1 under a plain one, 0 once lifted (reference §3.6 mediaStatus).
 */
export function muteEveryone(store: DingTalkStore, world: World, c: Conference, mute: boolean, force: boolean): void {
  store.transaction(() => {
    c.settings.muteAll = mute;
    c.settings.allowUnmuteSelf = !(mute && force);
    c.mediaStatus = mute ? (force ? 4 : 1) : 0;
    store.conferences.updateConference(world.id, c);
    for (const m of store.conferences.members(world.id, c.conferenceId)) {
      if (m.attendStatus !== AttendStatus.IN_MEETING || m.host || m.coHost) continue;
      m.micStatus = mute ? 1 : 2;
      store.conferences.putMember(world.id, m);
    }
  });
}

/**
 * A scheduled conference starts (reference §12 (E)): a video conference with the schedule's room code,
 * `bizType` "3" and its `scheduleConferenceId`; the creator is in it as host, the co-hosts of its settings
 * are called as co-hosts, and its settings apply (lockRoom, screenShareForbidden, lockMediaStatusMicMute,
 * muteOnJoin, extension apps).
 */
export function startSchedule(store: DingTalkStore, world: World, ids: IdSource, s: Schedule, startTime?: number): Conference {
  const user = (unionId: string) => store.apps.user(world.id, unionId);
  const creator = user(s.creatorId)!;
  const cohosts = [...new Set(s.settings.cohostUnionIds ?? [])].filter((u) => u !== creator.unionId).map(user).filter((u): u is User => u !== undefined);
  const c = openConference(store, world, ids, {
    org: s.org,
    title: s.title,
    creator,
    invitees: cohosts,
    inviteCaller: true,
    roomCode: s.roomCode,
    scheduleConferenceId: s.scheduleConferenceId,
    bizType: '3',
    startTime,
  });
  const extra = s.settings.moziConfVirtualExtraSetting ?? {};
  c.settings.lockConference = s.settings.lockRoom === 1;
  c.settings.forbiddenShareScreen = s.settings.screenShareForbidden === 1;
  c.settings.allowUnmuteSelf = extra.lockMediaStatusMicMute !== 1;
  c.settings.muteAll = s.settings.muteOnJoin === -1;
  if (c.settings.muteAll) c.mediaStatus = c.settings.allowUnmuteSelf ? 1 : 4;
  const apps = extra.moziConfExtensionAppSettings ?? [];
  if (apps.length > 0) {
    c.extensionAppSettings = apps.map((a) => ({ appId: a.clientId, appCode: a.coolAppCode ?? '', autoOpenMode: Number(a.autoOpenMode ?? 0), extensionAppBizData: a.extensionAppBizData ?? '' }));
  }
  store.transaction(() => {
    store.conferences.updateConference(world.id, c);
    for (const u of cohosts) {
      const m = store.conferences.member(world.id, c.conferenceId, u.unionId)!;
      m.coHost = true;
      store.conferences.putMember(world.id, m);
    }
  });
  return c;
}

/** The next start time the world clock may reach, kept in memory: checking it costs one comparison per request. */
function dueState(world: World): { at: number | null | undefined } {
  return world.local('dingtalk:schedules:nextDue', () => ({ at: undefined as number | null | undefined }));
}

/** Forget the next start time (a scheduled conference was created, moved or cancelled). */
export function schedulesChanged(world: World): void {
  dueState(world).at = undefined;
}

/** Starts every scheduled conference whose start time the world clock has reached, each once, at its start time. */
export function startDueSchedules(store: DingTalkStore, world: World, ids: IdSource): void {
  const due = dueState(world);
  due.at ??= store.schedules.nextDue(world.id);
  const now = world.now();
  if (due.at === null || due.at > now) return;
  store.transaction(() => {
    for (const s of store.schedules.due(world.id, now)) {
      s.autoStarted = true;
      store.schedules.put(world.id, s);
      if (!store.schedules.running(world.id, s.scheduleConferenceId)) startSchedule(store, world, ids, s, s.startTime);
    }
  });
  due.at = store.schedules.nextDue(world.id);
}

/**
 * Cloud recording transitions (startCloudRecord, stopCloudRecord and the control plane's start, pause,
 * resume, stop): each start or resume opens a media segment, each pause or stop closes it.
 */
export function recordCloud(store: DingTalkStore, world: World, ids: IdSource, c: Conference, action: 'start' | 'pause' | 'resume' | 'stop', unionId: string): void {
  const now = world.now();
  store.transaction(() => {
    if (action === 'start' || action === 'resume') {
      if (action === 'start') c.cloudRecordOwnerUnionId = unionId;
      c.cloudRecordStatus = RecordStatus.RECORDING;
      store.media.putSegment(world.id, { mediaId: ids.hex(32), conferenceId: c.conferenceId, kind: 'cloud', unionId: c.cloudRecordOwnerUnionId ?? unionId, startTime: now, endTime: null });
    } else {
      c.cloudRecordStatus = action === 'pause' ? RecordStatus.PAUSED : RecordStatus.FINISHED;
      store.media.closeOpen(world.id, c.conferenceId, 'cloud', now);
    }
    store.conferences.updateConference(world.id, c);
  });
}

/** A conference's recording id: the same for every recording of it (the getVideos page), its creation time in epoch seconds. */
export function recordIdOf(conferenceId: string): number {
  return Number.parseInt(conferenceId.slice(0, 8), 16) || 0;
}

/** Bytes of a recording: 1 Mbit/s, i.e. 125 bytes per ms (reference §12 (E)). */
export const BYTES_PER_MS = 125;

/**
 * The transcript lines heard while a recording of that kind ran (a line counts when it starts inside a
 * segment), with times relative to the first segment's start, as the texts APIs give them.
 */
export function recordedLines(store: DingTalkStore, world: World, conferenceId: string, kind: MediaSegment['kind']): { segments: MediaSegment[]; lines: (TranscriptLine & { relStart: number; relEnd: number })[] } {
  const segments = store.media.segments(world.id, conferenceId, kind);
  if (segments.length === 0) return { segments, lines: [] };
  const origin = segments[0]!.startTime;
  const now = world.now();
  const heard = (l: TranscriptLine) => segments.some((sg) => l.startTime >= sg.startTime && l.startTime < (sg.endTime ?? now + 1));
  const lines = store.media
    .lines(world.id, conferenceId)
    .filter(heard)
    .map((l) => ({ ...l, relStart: l.startTime - origin, relEnd: l.endTime - origin }));
  return { segments, lines };
}

/** A minutes chapter covers this much of the minutes' time (reference §12 (E)). */
const CHAPTER_MS = 300_000;
const ACTION = /^(?:todo|待办)\s*[:：]?\s*/i;

/**
 * The minutes' AI outputs, derived from the lines said while the minutes ran (times are ms since the minutes
 * started; sentence ids count those lines from 1), each replaced by what the control plane set, if anything.
 */
export function minutesSummary(store: DingTalkStore, world: World, conferenceId: string): Record<string, any> {
  const { lines } = recordedLines(store, world, conferenceId, 'minutes');
  const said = lines.map((l, i) => ({ ...l, sentenceId: i + 1 }));
  const actions = said
    .filter((l) => ACTION.test(l.text))
    .map((l, i) => ({ end: l.relEnd, id: i + 1, sentenceId: l.sentenceId, start: l.relStart, text: l.text.replace(ACTION, '') }));
  const speakers = [...new Map(said.map((l) => [l.unionId, l.userNick])).entries()];
  const keySentences = speakers.map(([unionId], i) => {
    const l = said.find((x) => x.unionId === unionId)!;
    return { end: l.relEnd, id: i + 1, sentenceId: l.sentenceId, start: l.relStart, text: l.text };
  });
  const chapters = new Map<number, typeof said>();
  for (const l of said) chapters.set(Math.floor(l.relStart / CHAPTER_MS), [...(chapters.get(Math.floor(l.relStart / CHAPTER_MS)) ?? []), l]);
  const autoChapters = [...chapters.values()].map((group, i) => ({
    end: group[group.length - 1]!.relEnd,
    headline: [...group[0]!.text].slice(0, 20).join(''),
    id: i + 1,
    start: group[0]!.relStart,
    summary: group.map((l) => l.text).join(' '),
  }));
  const conversationalSummary = speakers.map(([speakerId, speakerName]) => ({
    speakerId,
    speakerName,
    summary: said.filter((l) => l.unionId === speakerId).map((l) => l.text).join(' '),
  }));
  const questionsAnsweringSummary = said.flatMap((l, i) => {
    const next = said[i + 1];
    return /[?？]$/.test(l.text) && next && next.unionId !== l.unionId
      ? [{ answer: next.text, question: l.text, sentenceIdsOfAnswer: [next.sentenceId], sentenceIdsOfQuestion: [l.sentenceId] }]
      : [];
  });
  const derived: Record<string, any> = {
    actions,
    autoChapters,
    conversationalSummary,
    keySentences,
    keywords: [],
    paragraphSummary: [...said.map((l) => l.text).join(' ')].slice(0, 200).join(''),
    questionsAnsweringSummary,
  };
  return { ...derived, ...store.media.minutes(world.id, conferenceId).overrides };
}
