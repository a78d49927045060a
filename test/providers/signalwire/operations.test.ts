import t from 'tap';
import { build } from '../../helper.js';

/**
 * The 33 operations of SignalWire's own Video spec (signalwire/docs `fern/apis/signalwire-rest/openapi.yaml`
 * @668371b, paths `/api/video/*`), as operationId, method and path. The project's spec must hold exactly these.
 */
const OFFICIAL = [
  ['get_conference_token', 'GET', '/api/video/conference_tokens/{id}'],
  ['reset_conference_token', 'POST', '/api/video/conference_tokens/{id}/reset'],
  ['create_video_conference', 'POST', '/api/video/conferences'],
  ['list_video_conferences', 'GET', '/api/video/conferences'],
  ['get_video_conference', 'GET', '/api/video/conferences/{id}'],
  ['update_video_conference', 'PUT', '/api/video/conferences/{id}'],
  ['delete_video_conference', 'DELETE', '/api/video/conferences/{id}'],
  ['list_conference_tokens', 'GET', '/api/video/conferences/{id}/conference_tokens'],
  ['list_conference_streams', 'GET', '/api/video/conferences/{id}/streams'],
  ['create_conference_stream', 'POST', '/api/video/conferences/{id}/streams'],
  ['list_logs', 'GET', '/api/video/logs'],
  ['get_log', 'GET', '/api/video/logs/{id}'],
  ['list_room_recordings', 'GET', '/api/video/room_recordings'],
  ['get_room_recording', 'GET', '/api/video/room_recordings/{id}'],
  ['delete_room_recording', 'DELETE', '/api/video/room_recordings/{id}'],
  ['list_room_recording_events', 'GET', '/api/video/room_recordings/{id}/events'],
  ['list_room_sessions', 'GET', '/api/video/room_sessions'],
  ['get_room_session', 'GET', '/api/video/room_sessions/{id}'],
  ['list_room_session_events', 'GET', '/api/video/room_sessions/{id}/events'],
  ['list_room_session_members', 'GET', '/api/video/room_sessions/{id}/members'],
  ['list_room_session_recordings', 'GET', '/api/video/room_sessions/{id}/recordings'],
  ['create_room_token', 'POST', '/api/video/room_tokens'],
  ['create_room', 'POST', '/api/video/rooms'],
  ['list_rooms', 'GET', '/api/video/rooms'],
  ['get_room', 'GET', '/api/video/rooms/{id}'],
  ['update_room', 'PUT', '/api/video/rooms/{id}'],
  ['delete_room', 'DELETE', '/api/video/rooms/{id}'],
  ['list_room_streams', 'GET', '/api/video/rooms/{id}/streams'],
  ['create_room_stream', 'POST', '/api/video/rooms/{id}/streams'],
  ['get_room_by_name', 'GET', '/api/video/rooms/{name}'],
  ['get_stream', 'GET', '/api/video/streams/{id}'],
  ['update_stream', 'PUT', '/api/video/streams/{id}'],
  ['delete_stream', 'DELETE', '/api/video/streams/{id}'],
];

t.test("the project's spec has exactly SignalWire's 33 Video operations, each implemented", async (t) => {
  const app = await build(t);
  const spec = app.emulator.specs.get('signalwire')!;
  const ours = spec.operations.map((op) => [op.operationId, op.method, op.path]);
  const byId = (a: string[], b: string[]) => a[0].localeCompare(b[0]);
  t.equal(OFFICIAL.length, 33);
  t.same([...ours].sort(byId), [...OFFICIAL].sort(byId));
  const mounted = app.emulator.mounted.filter((m) => m.provider === 'signalwire');
  t.same(mounted.filter((m) => !m.implemented), [], 'no operation answers 501');
});
