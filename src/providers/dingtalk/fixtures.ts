import { BASE64URL_CHARS, type IdSource } from '../../core/ids.js';
import type { World } from '../../core/worlds.js';
import { DEFAULT_PHONE_NUMBERS } from './domain.js';
import type { DingTalkStore } from './store/index.js';
import { AttendStatus, ConferenceStatus, DEFAULT_SETTINGS, RecordStatus, type DingTalkFixtures } from './types.js';

/** Loads the DingTalk section of a fixtures file (format in fixtures/README.md) through the store. */
export function loadFixtures(store: DingTalkStore, world: World, _ids: IdSource, fixtures: DingTalkFixtures): void {
  for (const a of fixtures.apps ?? []) store.apps.insertApp(world.id, a.appKey, a.appSecret, a.org, a.scopes ?? []);
  for (const u of fixtures.users ?? []) store.apps.insertUser(world.id, u.unionId, u.nick, u.org);
  for (const c of fixtures.conferences ?? []) {
    const creator = store.apps.user(world.id, c.creatorId);
    if (!creator) throw new Error(`dingtalk fixtures: conference ${c.conferenceId} has an unknown creator ${c.creatorId}`);
    const status = c.status ?? (c.endTime === undefined ? ConferenceStatus.STARTED : ConferenceStatus.ENDED);
    store.conferences.insertConference(world.id, {
      conferenceId: c.conferenceId,
      org: creator.org,
      title: c.title,
      creatorId: creator.unionId,
      creatorNick: creator.nick,
      status,
      startTime: c.startTime,
      endTime: c.endTime ?? null,
      roomCode: c.roomCode,
      externalLinkUrl: c.externalLinkUrl ?? `https://meeting.dingtalk.com/app?roomCode=${c.roomCode}&token=1_00000000-0000-4000-8000-000000000000`,
      conferencePassword: c.conferencePassword ?? '0000000000',
      hostPassword: c.hostPassword ?? '0000000000',
      phoneNumbers: c.phoneNumbers ?? fixtures.phoneNumbers ?? DEFAULT_PHONE_NUMBERS,
      bizType: c.bizType ?? '0',
      inviteCaller: true,
      invitedNum: c.invitedNum ?? Math.max((c.members ?? []).length - 1, 0),
      cloudRecordStatus: c.cloudRecordStatus ?? RecordStatus.NONE,
      cloudRecordOwnerUnionId: c.cloudRecordOwnerUnionId ?? null,
      mediaStatus: c.mediaStatus ?? 0,
      extensionAppSettings: c.extensionAppSettings ?? null,
      scheduleConferenceId: null,
      settings: { ...DEFAULT_SETTINGS },
      minutesStatus: null,
      minutesOwnerUnionId: null,
    });
    for (const [seq, m] of (c.members ?? []).entries()) {
      const user = store.apps.user(world.id, m.unionId);
      if (!user) throw new Error(`dingtalk fixtures: conference ${c.conferenceId} has an unknown member ${m.unionId}`);
      const inMeeting = m.attendStatus === AttendStatus.IN_MEETING;
      const joinTime = m.joinTime ?? (inMeeting ? c.startTime : null);
      store.conferences.putMember(world.id, {
        conferenceId: c.conferenceId,
        unionId: user.unionId,
        userNick: user.nick,
        seq,
        attendStatus: m.attendStatus,
        host: m.host ?? user.unionId === creator.unionId,
        coHost: m.coHost ?? false,
        pstnJoin: m.pstnJoin ?? false,
        joinTime,
        leaveTime: m.leaveTime ?? null,
        durationMs: inMeeting ? 0 : (m.duration ?? (joinTime !== null && m.leaveTime !== undefined ? m.leaveTime - joinTime : 0)),
        inSince: inMeeting ? joinTime : null,
        outerOrgMember: user.org !== creator.org,
        cameraStatus: m.cameraStatus ?? 0,
        micStatus: m.micStatus ?? 0,
        rejectDescription: m.rejectDescription ?? null,
        rejoinForbidden: false,
      });
    }
  }
}

/** A copy of a fixture section with new app keys and secrets (both unique across worlds), for a new world. */
export function freshCredentials(section: DingTalkFixtures, ids: IdSource): DingTalkFixtures {
  const fixtures = structuredClone(section);
  for (const app of fixtures.apps ?? []) {
    app.appKey = `ding${ids.hex(16)}`;
    app.appSecret = ids.fromAlphabet(BASE64URL_CHARS, 64);
  }
  return fixtures;
}

/** The credentials a fixture section holds, as `POST /_emulator/worlds` lists them. */
export function listCredentials(section: DingTalkFixtures | undefined): Record<string, unknown> {
  return {
    apps: (section?.apps ?? []).map((a) => ({ appKey: a.appKey, appSecret: a.appSecret })),
  };
}
