import { worldRowsDeleter, type Db } from '../../../core/db.js';
import { AppStore } from './apps.js';
import { ConferenceStore } from './conferences.js';
import { MediaStore } from './media.js';
import { ScheduleStore } from './schedules.js';

/** Every statement of the provider, prepared once, one part per resource; every row but apps and tokens belongs to a world. */
export class DingTalkStore {
  readonly db: Db;
  readonly apps: AppStore;
  readonly conferences: ConferenceStore;
  readonly schedules: ScheduleStore;
  readonly media: MediaStore;
  readonly #clear: (world: string) => void;

  constructor(db: Db) {
    this.db = db;
    this.apps = new AppStore(db);
    this.conferences = new ConferenceStore(db);
    this.schedules = new ScheduleStore(db);
    this.media = new MediaStore(db);
    this.#clear = worldRowsDeleter(db, 'dingtalk');
  }

  /** Whether a conference or scheduled conference of the world has this room code. */
  roomCodeUsed(world: string, roomCode: string): boolean {
    return this.conferences.roomCodeUsed(world, roomCode) || this.schedules.roomCodeUsed(world, roomCode);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  clearWorld(world: string): void {
    this.#clear(world);
  }
}
