import type { Db } from '../../../core/db.js';
import { ConferenceStatus, ScheduleStatus, type Schedule, type ScheduleSettings } from '../types.js';

interface ScheduleRow {
  schedule_conference_id: string;
  org: string;
  creator_id: string;
  title: string;
  start_time: number;
  end_time: number;
  room_code: string;
  url: string;
  phones: string;
  status: number;
  auto_started: number;
  settings: string;
}

function toSchedule(r: ScheduleRow): Schedule {
  return {
    scheduleConferenceId: r.schedule_conference_id,
    org: r.org,
    creatorId: r.creator_id,
    title: r.title,
    startTime: r.start_time,
    endTime: r.end_time,
    roomCode: r.room_code,
    url: r.url,
    phones: JSON.parse(r.phones),
    status: r.status,
    autoStarted: r.auto_started === 1,
    settings: JSON.parse(r.settings) as ScheduleSettings,
  };
}

/** Scheduled conferences, per world. */
export class ScheduleStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = {
      schedule: db.prepare('SELECT * FROM dingtalk_schedules WHERE world = ? AND schedule_conference_id = ?'),
      put: db.prepare(
        `INSERT INTO dingtalk_schedules (world, schedule_conference_id, org, creator_id, title, start_time, end_time, room_code, url, phones, status, auto_started, settings)
         VALUES (@world, @schedule_conference_id, @org, @creator_id, @title, @start_time, @end_time, @room_code, @url, @phones, @status, @auto_started, @settings)
         ON CONFLICT (world, schedule_conference_id) DO UPDATE SET title = excluded.title, start_time = excluded.start_time, end_time = excluded.end_time,
          status = excluded.status, auto_started = excluded.auto_started, settings = excluded.settings`,
      ),
      due: db.prepare(
        `SELECT * FROM dingtalk_schedules WHERE world = ? AND auto_started = 0 AND status = ${ScheduleStatus.SCHEDULED} AND start_time <= ? ORDER BY start_time, schedule_conference_id`,
      ),
      nextDue: db.prepare(`SELECT MIN(start_time) FROM dingtalk_schedules WHERE world = ? AND auto_started = 0 AND status = ${ScheduleStatus.SCHEDULED}`).pluck(),
      roomCodeUsed: db.prepare('SELECT 1 FROM dingtalk_schedules WHERE world = ? AND room_code = ?').pluck(),
      all: db.prepare('SELECT * FROM dingtalk_schedules WHERE world = ? ORDER BY start_time DESC, schedule_conference_id DESC'),
      running: db.prepare(`SELECT 1 FROM dingtalk_conferences WHERE world = ? AND schedule_conference_id = ? AND status = ${ConferenceStatus.STARTED}`).pluck(),
    };
  }

  schedule(world: string, scheduleConferenceId: string): Schedule | undefined {
    const row = this.#s.schedule.get(world, scheduleConferenceId) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  /** Inserts a scheduled conference or updates its mutable fields (title, times, status, settings). */
  put(world: string, s: Schedule): void {
    this.#s.put.run({
      world,
      schedule_conference_id: s.scheduleConferenceId,
      org: s.org,
      creator_id: s.creatorId,
      title: s.title,
      start_time: s.startTime,
      end_time: s.endTime,
      room_code: s.roomCode,
      url: s.url,
      phones: JSON.stringify(s.phones),
      status: s.status,
      auto_started: s.autoStarted ? 1 : 0,
      settings: JSON.stringify(s.settings),
    });
  }

  /** Scheduled conferences whose start time has come and that the clock has not started yet. */
  due(world: string, now: number): Schedule[] {
    return (this.#s.due.all(world, now) as ScheduleRow[]).map(toSchedule);
  }

  /** The earliest start time still to come by itself, or null. */
  nextDue(world: string): number | null {
    return (this.#s.nextDue.get(world) as number | null) ?? null;
  }

  roomCodeUsed(world: string, roomCode: string): boolean {
    return this.#s.roomCodeUsed.get(world, roomCode) !== undefined;
  }

  /** Every scheduled conference of the world, latest start first (the control plane's view). */
  all(world: string): Schedule[] {
    return (this.#s.all.all(world) as ScheduleRow[]).map(toSchedule);
  }

  /** Whether a meeting started from this scheduled conference is still running. */
  running(world: string, scheduleConferenceId: string): boolean {
    return this.#s.running.get(world, scheduleConferenceId) !== undefined;
  }
}
