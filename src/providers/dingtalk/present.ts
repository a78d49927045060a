import { ConferenceStatus, type Conference, type Member } from './types.js';

/** `endTime` and `confDuration`, present only once the meeting has ended (reference §3.3). */
export function endFields(c: Conference): { endTime?: number; confDuration?: number } {
  return c.status === ConferenceStatus.ENDED && c.endTime !== null ? { endTime: c.endTime, confDuration: c.endTime - c.startTime } : {};
}

/** `confInfo` (reference §3.3): optional fields absent, never null. */
export function confInfo(c: Conference): Record<string, unknown> {
  const out: Record<string, unknown> = {
    activeNum: c.activeNum,
    attendNum: c.attendNum,
    conferenceId: c.conferenceId,
    creatorId: c.creatorId,
    creatorNick: c.creatorNick,
    externalLinkUrl: c.externalLinkUrl,
    invitedNum: c.invitedNum,
    startTime: c.startTime,
  };
  Object.assign(out, endFields(c));
  out.status = c.status;
  out.title = c.title;
  out.roomCode = c.roomCode;
  out.bizType = c.bizType;
  out.cloudRecordStatus = c.cloudRecordStatus;
  if (c.cloudRecordOwnerUnionId !== null) out.cloudRecordOwnerUnionId = c.cloudRecordOwnerUnionId;
  if (c.extensionAppSettings !== null) out.extensionAppSettings = c.extensionAppSettings;
  if (c.scheduleConferenceId !== null) out.scheduleConferenceId = c.scheduleConferenceId;
  if (c.minutesStatus !== null) out.minutesStatus = c.minutesStatus;
  if (c.minutesOwnerUnionId !== null) out.minutesOwnerUnionId = c.minutesOwnerUnionId;
  return out;
}

/** A member model (reference §3.4); `duration` counts the current stay up to now. */
export function memberModel(m: Member, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    unionId: m.unionId,
    conferenceId: m.conferenceId,
    userNick: m.userNick,
    attendStatus: m.attendStatus,
    host: m.host,
    coHost: m.coHost,
    pstnJoin: m.pstnJoin,
  };
  if (m.joinTime !== null) out.joinTime = m.joinTime;
  if (m.leaveTime !== null) out.leaveTime = m.leaveTime;
  if (m.joinTime !== null) out.duration = m.durationMs + (m.inSince !== null ? Math.max(now - m.inSince, 0) : 0);
  if (m.outerOrgMember) out.outerOrgMember = true;
  return out;
}
