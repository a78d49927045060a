/** attendStatus of a member (reference §3.4). */
export const AttendStatus = { INITIALIZED: 1, CALLING: 2, IN_MEETING: 3, FAILED: 4, KICKED: 5, LEFT: 6 } as const;

/** status of a conference (reference §3.3). */
export const ConferenceStatus = { INITIALIZED: 0, ENDED: 1, STARTED: 2 } as const;

/** cloudRecordStatus (reference §3.3). */
export const RecordStatus = { NONE: 0, RECORDING: 1, PAUSED: 2, FINISHED: 3 } as const;

export const READ_SCOPE = 'VideoConference.Conference.Read';
export const WRITE_SCOPE = 'VideoConference.Conference.Write';

export interface App {
  world: string;
  appKey: string;
  appSecret: string;
  org: string;
  scopes: string[];
}

export interface User {
  unionId: string;
  nick: string;
  org: string;
}

export interface ExtensionAppSetting {
  appId: string;
  appCode: string;
  autoOpenMode: number;
  extensionAppBizData: string;
}

/** In-meeting settings and controls (updateVideoConferenceSetting, lock, muteAll, focus, subtitles). */
export interface ConferenceSettings {
  allowUnmuteSelf: boolean;
  autoTransferHost: boolean;
  forbiddenShareScreen: boolean;
  lockConference: boolean;
  muteAll: boolean;
  onlyInternalEmployeesJoin: boolean;
  subtitles: boolean;
  focusUnionId: string | null;
}

export const DEFAULT_SETTINGS: ConferenceSettings = {
  allowUnmuteSelf: true,
  autoTransferHost: false,
  forbiddenShareScreen: false,
  lockConference: false,
  muteAll: false,
  onlyInternalEmployeesJoin: false,
  subtitles: false,
  focusUnionId: null,
};

export interface Conference {
  conferenceId: string;
  org: string;
  title: string;
  creatorId: string;
  creatorNick: string;
  status: number;
  startTime: number;
  endTime: number | null;
  roomCode: string;
  externalLinkUrl: string;
  conferencePassword: string;
  hostPassword: string;
  phoneNumbers: string[];
  bizType: string;
  inviteCaller: boolean;
  invitedNum: number;
  cloudRecordStatus: number;
  cloudRecordOwnerUnionId: string | null;
  mediaStatus: number;
  extensionAppSettings: ExtensionAppSetting[] | null;
  /** The scheduled conference this meeting was started from. */
  scheduleConferenceId: string | null;
  settings: ConferenceSettings;
  /** Minutes (startMinutes): 1 recording, 2 paused; null before they were ever started. */
  minutesStatus: number | null;
  minutesOwnerUnionId: string | null;
  /** Members with attendStatus 3 (computed). */
  activeNum: number;
  /** Members who ever reached attendStatus 3, i.e. with a joinTime (computed). */
  attendNum: number;
}

export interface Member {
  conferenceId: string;
  unionId: string;
  userNick: string;
  seq: number;
  attendStatus: number;
  host: boolean;
  coHost: boolean;
  pstnJoin: boolean;
  joinTime: number | null;
  leaveTime: number | null;
  /** Time spent in the meeting in finished stays. */
  durationMs: number;
  /** Start of the current stay while attendStatus is 3. */
  inSince: number | null;
  outerOrgMember: boolean;
  cameraStatus: number;
  micStatus: number;
  rejectDescription: string | null;
  /** Kicked with `forbiddenRejoin`: the control plane's join refuses them. */
  rejoinForbidden: boolean;
}

/** A scheduled conference's settings, as queryScheduleConfSettings returns them (reference §12). */
export interface ScheduleSettings {
  hostUnionId?: string;
  cohostUnionIds?: string[];
  confAllowedCorpId?: string;
  lockRoom?: number;
  screenShareForbidden?: number;
  muteOnJoin?: number;
  moziConfVirtualExtraSetting?: {
    waitingRoom?: number;
    joinBeforeHost?: number;
    enableChat?: number;
    lockNick?: number;
    lockMediaStatusMicMute?: number;
    enableWebAnonymousJoin?: boolean;
    moziConfExtensionAppSettings?: { clientId: string; coolAppCode?: string; autoOpenMode?: string; extensionAppBizData?: string }[];
    cloudRecordOwnerUnionId?: string;
    minutesOwnerUnionId?: string;
    pushAllMeetingRecords?: boolean;
    pushCloudRecordCard?: boolean;
    pushMinutesCard?: boolean;
  };
  moziConfOpenRecordSetting?: { isFollowHost?: boolean; mode?: string; recordAutoStart?: number; recordAutoStartType?: number };
}

export const MinutesStatus = { RECORDING: 1, PAUSED: 2 } as const;

export const ScheduleStatus = { SCHEDULED: 0, CANCELLED: 1 } as const;

export interface Schedule {
  scheduleConferenceId: string;
  org: string;
  creatorId: string;
  title: string;
  startTime: number;
  endTime: number;
  roomCode: string;
  url: string;
  phones: string[];
  status: number;
  /** Whether the world clock has started it already (it starts by itself once). */
  autoStarted: boolean;
  settings: ScheduleSettings;
}

export interface MediaSegment {
  mediaId: string;
  conferenceId: string;
  kind: 'cloud' | 'minutes';
  unionId: string;
  startTime: number;
  endTime: number | null;
}

export interface TranscriptLine {
  conferenceId: string;
  seq: number;
  unionId: string;
  userNick: string;
  startTime: number;
  endTime: number;
  text: string;
}

/** A metric sample stated through the control plane: its instant and the fields given (the SDK's string values). */
export interface MetricOverride {
  timestamp: number;
  [field: string]: string | number;
}

export interface StreamOut {
  streamId: string;
  conferenceId: string;
  unionId: string;
  name: string;
  url: string;
  startTime: number;
  endTime: number | null;
}

/** Who a request runs as: the token's app, or nobody (the token route). */
export type Principal = { kind: 'app'; appKey: string; org: string; scopes: string[] } | { kind: 'anonymous' };

/** The DingTalk section of a fixtures file (documented in fixtures/README.md). */
export interface DingTalkFixtures {
  phoneNumbers?: string[];
  apps?: { appKey: string; appSecret: string; org: string; scopes?: string[] }[];
  users?: { unionId: string; nick: string; org: string }[];
  conferences?: {
    conferenceId: string;
    title: string;
    creatorId: string;
    status?: number;
    startTime: number;
    endTime?: number;
    roomCode: string;
    externalLinkUrl?: string;
    conferencePassword?: string;
    hostPassword?: string;
    phoneNumbers?: string[];
    bizType?: string;
    invitedNum?: number;
    cloudRecordStatus?: number;
    cloudRecordOwnerUnionId?: string;
    mediaStatus?: number;
    extensionAppSettings?: ExtensionAppSetting[];
    members?: {
      unionId: string;
      attendStatus: number;
      host?: boolean;
      coHost?: boolean;
      pstnJoin?: boolean;
      joinTime?: number;
      leaveTime?: number;
      duration?: number;
      cameraStatus?: number;
      micStatus?: number;
      rejectDescription?: string;
    }[];
  }[];
}
