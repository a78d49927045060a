import type { World } from '../../core/worlds.js';
import type { DingTalkStore } from './store/index.js';
import { AttendStatus, ConferenceStatus, RecordStatus, type Conference, type Member } from './types.js';

export const DEFAULT_PHONE_NUMBERS = ['0571-26883112'];

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
    for (const m of store.conferences.members(world.id, c.conferenceId)) {
      if (m.attendStatus === AttendStatus.IN_MEETING) endStay(m, now, AttendStatus.LEFT);
      else if (m.attendStatus === AttendStatus.INITIALIZED || m.attendStatus === AttendStatus.CALLING) m.attendStatus = AttendStatus.LEFT;
      else continue;
      store.conferences.putMember(world.id, m);
    }
  });
}
