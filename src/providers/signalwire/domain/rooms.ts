import type { Room, Stream } from '../types.js';
import { ROOM_DEFAULTS, ROOM_UPDATE_DEFAULTS, type Scope } from './rules.js';
import { retireHost } from './sessions.js';

export function buildRoom(id: string, name: string, values: Partial<Room>, at: number): Room {
  const room: Room = { id, name, display_name: name, ...ROOM_DEFAULTS, created_at: at, updated_at: at };
  for (const [key, value] of Object.entries(values)) if (key !== 'id' && key !== 'name' && key !== 'created_at' && key !== 'updated_at') (room as unknown as Record<string, unknown>)[key] = value;
  return room;
}

export function createRoom(s: Scope, name: string, values: Partial<Room>): Room {
  const room = buildRoom(s.ids.uuid(), name, values, s.store.stamp(s.world, s.now));
  s.store.rooms.insert(s.world, s.projectId, room.created_at, room, [room.name]);
  return room;
}

/** PUT: the sent fields, the update body's defaults for the omitted ones that have one, the rest kept. */
export function updateRoom(s: Scope, room: Room, values: Partial<Room>): Room {
  const updated: Room = { ...room, ...ROOM_UPDATE_DEFAULTS, ...values, updated_at: Math.max(s.now, room.created_at) };
  s.store.rooms.update(s.world, updated);
  return updated;
}

/** Deletes a room with its streams; its session history stays readable. Run inside a transaction. */
export function deleteRoom(s: Scope, room: Room): void {
  retireHost(s, room.id);
  s.store.streams.deleteBy(s.world, 'conference_id', room.id);
  s.store.rooms.delete(s.world, room.id);
}

/** Deletes a recording; one still running is stopped first (its `recording.ended` stays in the session's events). */

export function createStream(s: Scope, hostId: string, url: string): Stream {
  const at = s.store.stamp(s.world, s.now);
  const stream: Stream = { id: s.ids.uuid(), conference_id: hostId, url, stream_type: 'rtmp', fps: 20, created_at: at, updated_at: at };
  s.store.streams.insert(s.world, s.projectId, at, stream, [hostId]);
  return stream;
}
