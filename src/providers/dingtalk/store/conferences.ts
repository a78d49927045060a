import type { Db } from '../../../core/db.js';
import { ReadCache } from '../../../core/read-cache.js';
import { AttendStatus, ConferenceStatus, type Conference, type ConferenceSettings, type Member } from '../types.js';

interface ConferenceRow {
  conference_id: string;
  org: string;
  title: string;
  creator_id: string;
  creator_nick: string;
  status: number;
  start_time: number;
  end_time: number | null;
  room_code: string;
  external_link_url: string;
  conference_password: string;
  host_password: string;
  phone_numbers: string;
  biz_type: string;
  invite_caller: number;
  invited_num: number;
  cloud_record_status: number;
  cloud_record_owner: string | null;
  media_status: number;
  extension_app_settings: string | null;
  schedule_conference_id: string | null;
  settings: string;
  minutes_status: number | null;
  minutes_owner: string | null;
  active_num: number;
  attend_num: number;
}

interface MemberRow {
  conference_id: string;
  union_id: string;
  user_nick: string;
  seq: number;
  attend_status: number;
  host: number;
  co_host: number;
  pstn_join: number;
  join_time: number | null;
  leave_time: number | null;
  duration_ms: number;
  in_since: number | null;
  outer_org_member: number;
  camera_status: number;
  mic_status: number;
  reject_description: string | null;
  rejoin_forbidden: number;
}

function toConference(r: ConferenceRow): Conference {
  return {
    conferenceId: r.conference_id,
    org: r.org,
    title: r.title,
    creatorId: r.creator_id,
    creatorNick: r.creator_nick,
    status: r.status,
    startTime: r.start_time,
    endTime: r.end_time,
    roomCode: r.room_code,
    externalLinkUrl: r.external_link_url,
    conferencePassword: r.conference_password,
    hostPassword: r.host_password,
    phoneNumbers: JSON.parse(r.phone_numbers),
    bizType: r.biz_type,
    inviteCaller: r.invite_caller === 1,
    invitedNum: r.invited_num,
    cloudRecordStatus: r.cloud_record_status,
    cloudRecordOwnerUnionId: r.cloud_record_owner,
    mediaStatus: r.media_status,
    extensionAppSettings: r.extension_app_settings === null ? null : JSON.parse(r.extension_app_settings),
    scheduleConferenceId: r.schedule_conference_id,
    settings: JSON.parse(r.settings) as ConferenceSettings,
    minutesStatus: r.minutes_status,
    minutesOwnerUnionId: r.minutes_owner,
    activeNum: r.active_num,
    attendNum: r.attend_num,
  };
}

function toMember(r: MemberRow): Member {
  return {
    conferenceId: r.conference_id,
    unionId: r.union_id,
    userNick: r.user_nick,
    seq: r.seq,
    attendStatus: r.attend_status,
    host: r.host === 1,
    coHost: r.co_host === 1,
    pstnJoin: r.pstn_join === 1,
    joinTime: r.join_time,
    leaveTime: r.leave_time,
    durationMs: r.duration_ms,
    inSince: r.in_since,
    outerOrgMember: r.outer_org_member === 1,
    cameraStatus: r.camera_status,
    micStatus: r.mic_status,
    rejectDescription: r.reject_description,
    rejoinForbidden: r.rejoin_forbidden === 1,
  };
}

const b = (v: boolean) => (v ? 1 : 0);

const CONFERENCE_SELECT = `SELECT c.*,
  (SELECT COUNT(*) FROM dingtalk_members m WHERE m.world = c.world AND m.conference_id = c.conference_id AND m.attend_status = ${AttendStatus.IN_MEETING}) AS active_num,
  (SELECT COUNT(*) FROM dingtalk_members m WHERE m.world = c.world AND m.conference_id = c.conference_id AND m.join_time IS NOT NULL) AS attend_num
  FROM dingtalk_conferences c`;

/** Conferences and their members, per world. */
export class ConferenceStore {
  readonly #s;
  readonly #conferences: ReadCache<ConferenceRow | undefined>;

  constructor(db: Db) {
    this.#conferences = new ReadCache(db);
    this.#s = {
      conference: db.prepare(`${CONFERENCE_SELECT} WHERE c.world = ? AND c.conference_id = ?`),
      byRoomCode: db.prepare(`${CONFERENCE_SELECT} WHERE c.world = ? AND c.room_code = ? ORDER BY c.start_time, c.conference_id`),
      roomCodeUsed: db.prepare('SELECT 1 FROM dingtalk_conferences WHERE world = ? AND room_code = ?').pluck(),
      insertConference: db.prepare(
        `INSERT INTO dingtalk_conferences (world, conference_id, org, title, creator_id, creator_nick, status, start_time, end_time, room_code,
          external_link_url, conference_password, host_password, phone_numbers, biz_type, invite_caller, invited_num, cloud_record_status,
          cloud_record_owner, media_status, extension_app_settings, schedule_conference_id, settings, minutes_status, minutes_owner)
         VALUES (@world, @conference_id, @org, @title, @creator_id, @creator_nick, @status, @start_time, @end_time, @room_code,
          @external_link_url, @conference_password, @host_password, @phone_numbers, @biz_type, @invite_caller, @invited_num, @cloud_record_status,
          @cloud_record_owner, @media_status, @extension_app_settings, @schedule_conference_id, @settings, @minutes_status, @minutes_owner)`,
      ),
      updateConference: db.prepare(
        `UPDATE dingtalk_conferences SET status = @status, end_time = @end_time, cloud_record_status = @cloud_record_status,
          cloud_record_owner = @cloud_record_owner, media_status = @media_status, extension_app_settings = @extension_app_settings,
          invited_num = @invited_num, settings = @settings, minutes_status = @minutes_status, minutes_owner = @minutes_owner
         WHERE world = @world AND conference_id = @conference_id`,
      ),
      // The control plane's state views (inspect.ts): a status given as NULL matches every row.
      conferencePage: db.prepare(
        `${CONFERENCE_SELECT} WHERE c.world = @world AND (@status IS NULL OR c.status = @status) ORDER BY c.start_time DESC, c.conference_id DESC LIMIT @limit OFFSET @offset`,
      ),
      conferenceCount: db.prepare('SELECT COUNT(*) FROM dingtalk_conferences WHERE world = @world AND (@status IS NULL OR status = @status)').pluck(),
      orgStarted: db.prepare(
        `${CONFERENCE_SELECT} WHERE c.world = ? AND c.org = ? AND c.status = ${ConferenceStatus.STARTED} ORDER BY c.start_time DESC, c.conference_id DESC`,
      ),
      userStarted: db.prepare(
        `SELECT m.* FROM dingtalk_members m JOIN dingtalk_conferences c ON c.world = m.world AND c.conference_id = m.conference_id
         WHERE m.world = ? AND m.union_id = ? AND c.org = ? AND c.status = ${ConferenceStatus.STARTED} AND m.attend_status IN (${AttendStatus.INITIALIZED}, ${AttendStatus.CALLING}, ${AttendStatus.IN_MEETING})
         ORDER BY c.start_time DESC, c.conference_id DESC`,
      ),
      bySchedule: db.prepare(`${CONFERENCE_SELECT} WHERE c.world = ? AND c.schedule_conference_id = ? ORDER BY c.start_time DESC, c.conference_id DESC`),
      orgConferences: db.prepare(`${CONFERENCE_SELECT} WHERE c.world = ? AND c.org = ? ORDER BY c.start_time DESC, c.conference_id DESC`),
      members: db.prepare('SELECT * FROM dingtalk_members WHERE world = ? AND conference_id = ? ORDER BY seq'),
      member: db.prepare('SELECT * FROM dingtalk_members WHERE world = ? AND conference_id = ? AND union_id = ?'),
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), -1) + 1 FROM dingtalk_members WHERE world = ? AND conference_id = ?').pluck(),
      putMember: db.prepare(
        `INSERT INTO dingtalk_members (world, conference_id, union_id, user_nick, seq, attend_status, host, co_host, pstn_join, join_time,
          leave_time, duration_ms, in_since, outer_org_member, camera_status, mic_status, reject_description, rejoin_forbidden)
         VALUES (@world, @conference_id, @union_id, @user_nick, @seq, @attend_status, @host, @co_host, @pstn_join, @join_time,
          @leave_time, @duration_ms, @in_since, @outer_org_member, @camera_status, @mic_status, @reject_description, @rejoin_forbidden)
         ON CONFLICT (world, conference_id, union_id) DO UPDATE SET attend_status = excluded.attend_status, host = excluded.host,
          co_host = excluded.co_host, pstn_join = excluded.pstn_join, join_time = excluded.join_time, leave_time = excluded.leave_time,
          duration_ms = excluded.duration_ms, in_since = excluded.in_since, camera_status = excluded.camera_status,
          mic_status = excluded.mic_status, reject_description = excluded.reject_description,
          rejoin_forbidden = excluded.rejoin_forbidden`,
      ),
    };
  }

  conference(world: string, conferenceId: string): Conference | undefined {
    const row = this.#conferences.get(`${world}\n${conferenceId}`, () => this.#s.conference.get(world, conferenceId) as ConferenceRow | undefined);
    return row && toConference(row);
  }

  /** Conferences newest first (`startTime`, then `conferenceId`), of one status when not null. */
  conferencePage(world: string, status: number | null, offset: number, limit: number): Conference[] {
    return (this.#s.conferencePage.all({ world, status, offset, limit }) as ConferenceRow[]).map(toConference);
  }

  conferenceCount(world: string, status: number | null): number {
    return this.#s.conferenceCount.get({ world, status }) as number;
  }

  conferencesByRoomCode(world: string, roomCode: string): Conference[] {
    return (this.#s.byRoomCode.all(world, roomCode) as ConferenceRow[]).map(toConference);
  }

  roomCodeUsed(world: string, roomCode: string): boolean {
    return this.#s.roomCodeUsed.get(world, roomCode) !== undefined;
  }

  insertConference(world: string, c: Omit<Conference, 'activeNum' | 'attendNum'>): void {
    this.#s.insertConference.run({
      world,
      conference_id: c.conferenceId,
      org: c.org,
      title: c.title,
      creator_id: c.creatorId,
      creator_nick: c.creatorNick,
      status: c.status,
      start_time: c.startTime,
      end_time: c.endTime,
      room_code: c.roomCode,
      external_link_url: c.externalLinkUrl,
      conference_password: c.conferencePassword,
      host_password: c.hostPassword,
      phone_numbers: JSON.stringify(c.phoneNumbers),
      biz_type: c.bizType,
      invite_caller: b(c.inviteCaller),
      invited_num: c.invitedNum,
      cloud_record_status: c.cloudRecordStatus,
      cloud_record_owner: c.cloudRecordOwnerUnionId,
      media_status: c.mediaStatus,
      extension_app_settings: c.extensionAppSettings === null ? null : JSON.stringify(c.extensionAppSettings),
      schedule_conference_id: c.scheduleConferenceId,
      settings: JSON.stringify(c.settings),
      minutes_status: c.minutesStatus,
      minutes_owner: c.minutesOwnerUnionId,
    });
  }

  /** Writes the mutable fields of a conference (status, end, recording, media, extension apps, invitations, settings). */
  updateConference(world: string, c: Conference): void {
    this.#s.updateConference.run({
      world,
      conference_id: c.conferenceId,
      status: c.status,
      end_time: c.endTime,
      cloud_record_status: c.cloudRecordStatus,
      cloud_record_owner: c.cloudRecordOwnerUnionId,
      media_status: c.mediaStatus,
      extension_app_settings: c.extensionAppSettings === null ? null : JSON.stringify(c.extensionAppSettings),
      invited_num: c.invitedNum,
      settings: JSON.stringify(c.settings),
      minutes_status: c.minutesStatus,
      minutes_owner: c.minutesOwnerUnionId,
    });
  }

  /** The meetings started from a scheduled conference, latest first. */
  bySchedule(world: string, scheduleConferenceId: string): Conference[] {
    return (this.#s.bySchedule.all(world, scheduleConferenceId) as ConferenceRow[]).map(toConference);
  }

  /** Every conference of the org, newest first (the history data list). */
  orgConferences(world: string, org: string): Conference[] {
    return (this.#s.orgConferences.all(world, org) as ConferenceRow[]).map(toConference);
  }

  /** The org's started conferences, newest first (`startTime`, then `conferenceId`). */
  orgStarted(world: string, org: string): Conference[] {
    return (this.#s.orgStarted.all(world, org) as ConferenceRow[]).map(toConference);
  }

  /** A user's memberships in the org's started conferences while in them or being called, newest conference first. */
  userStarted(world: string, unionId: string, org: string): Member[] {
    return (this.#s.userStarted.all(world, unionId, org) as MemberRow[]).map(toMember);
  }

  members(world: string, conferenceId: string): Member[] {
    return (this.#s.members.all(world, conferenceId) as MemberRow[]).map(toMember);
  }

  member(world: string, conferenceId: string, unionId: string): Member | undefined {
    const row = this.#s.member.get(world, conferenceId, unionId) as MemberRow | undefined;
    return row && toMember(row);
  }

  nextSeq(world: string, conferenceId: string): number {
    return this.#s.nextSeq.get(world, conferenceId) as number;
  }

  /** Inserts a member or updates its mutable fields (nick, seq and outerOrgMember stay as first written). */
  putMember(world: string, m: Member): void {
    this.#s.putMember.run({
      world,
      conference_id: m.conferenceId,
      union_id: m.unionId,
      user_nick: m.userNick,
      seq: m.seq,
      attend_status: m.attendStatus,
      host: b(m.host),
      co_host: b(m.coHost),
      pstn_join: b(m.pstnJoin),
      join_time: m.joinTime,
      leave_time: m.leaveTime,
      duration_ms: m.durationMs,
      in_since: m.inSince,
      outer_org_member: b(m.outerOrgMember),
      camera_status: m.cameraStatus,
      mic_status: m.micStatus,
      reject_description: m.rejectDescription,
      rejoin_forbidden: b(m.rejoinForbidden),
    });
  }
}
