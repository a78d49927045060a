// The SignalWire Video resources beyond conferences: rooms (with a button to start a session in one), the room
// tokens issued, the recordings of the listed sessions (with their state) and the video logs. Kept apart from
// state.js; the SignalWire view renders it below its own sections.
import { api } from '../api.js';
import { attempt, Badge, Empty, html, Pager, time } from '../components.js';
import { enc, usePage } from './page.js';

export function SignalWireVideo({ world, tick, refresh, setError }) {
  const [rooms, setRoomsOffset] = usePage(world, 'signalwire/rooms', {}, tick, setError);
  const [tokens, setTokensOffset] = usePage(world, 'signalwire/room_tokens', {}, tick, setError);
  const [sessions, setSessionsOffset] = usePage(world, 'signalwire/room_sessions', {}, tick, setError);
  const [logs, setLogsOffset] = usePage(world, 'signalwire/logs', {}, tick, setError);
  const act = (path) => attempt(setError, async () => {
    await api('POST', path, { world });
    refresh();
  });
  const recordings = (sessions?.room_sessions ?? []).flatMap((s) => s.recordings.map((r) => ({ ...r, session: s })));
  return html`
    <section class="card" data-section="signalwire-rooms">
      <h2>Rooms</h2>
      ${!rooms ? null : rooms.rooms.length === 0 ? html`<${Empty}>No rooms. Create one with <code>POST /api/video/rooms</code>.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Room</th><th>Project</th><th>Max members</th><th>Quality</th><th>Streams</th><th>Live session</th><th>Created</th><th></th></tr></thead>
        <tbody>${rooms.rooms.map((r) => html`<tr data-room=${r.id}>
          <td>${r.display_name ?? r.name}<div class="sub"><code>${r.name}</code></div></td>
          <td><code>${r.project_id}</code></td><td>${r.max_members}</td><td>${r.quality}</td><td>${r.streams}</td>
          <td>${r.active_session_id ? html`<code>${r.active_session_id}</code>` : '—'}</td>
          <td>${time(r.created_at)}</td>
          <td class="actions">${r.active_session_id ? null : html`<button type="button" class="small" onClick=${() => act(`/_emulator/signalwire/rooms/${enc(r.id)}/room_sessions`)}>Start session</button>`}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${rooms} onChange=${setRoomsOffset} />
    </section>
    <section class="card" data-section="signalwire-room-tokens">
      <h2>Room tokens issued</h2>
      ${!tokens ? null : tokens.room_tokens.length === 0 ? html`<${Empty}>No room tokens. Issue one with <code>POST /api/video/room_tokens</code>.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Token (jti)</th><th>Room</th><th>User</th><th>Join as</th><th>Permissions</th><th>Join until</th><th>Issued</th></tr></thead>
        <tbody>${tokens.room_tokens.map((k) => html`<tr data-room-token=${k.id}>
          <td><code>${k.id}</code></td><td><code>${k.room_name}</code></td><td>${k.user_name ?? '—'}</td><td>${k.join_as}</td>
          <td><span title=${k.permissions.join('\n')}>${k.permissions.length}</span></td>
          <td>${time(k.join_until)}</td><td>${time(k.created_at)}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${tokens} onChange=${setTokensOffset} />
    </section>
    <section class="card" data-section="signalwire-recordings">
      <h2>Recordings</h2>
      ${!sessions ? null : recordings.length === 0 ? html`<${Empty}>No recordings in the listed sessions.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Recording</th><th>Session</th><th>Status</th><th>Started</th><th>Finished</th><th>Duration</th><th></th></tr></thead>
        <tbody>${recordings.map((r) => html`<tr data-recording=${r.id}>
          <td><code>${r.id}</code></td><td>${r.session.display_name ?? r.session.name ?? r.session.id}</td>
          <td><${Badge} value=${r.status} /></td><td>${time(r.started_at)}</td><td>${time(r.finished_at)}</td><td>${r.duration ?? '—'}</td>
          <td class="actions">${r.status === 'recording' || r.status === 'paused' ? html`<button type="button" class="small" onClick=${() => act(`/_emulator/signalwire/recordings/${enc(r.id)}/stop`)}>Stop</button>` : null}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${sessions} onChange=${setSessionsOffset} />
    </section>
    <section class="card" data-section="signalwire-logs">
      <h2>Video logs</h2>
      ${!logs ? null : logs.logs.length === 0 ? html`<${Empty}>No logs: every room session gets one.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Log</th><th>Type</th><th>Room</th><th>Status</th><th>Started</th><th>Ended</th><th>Deleted</th></tr></thead>
        <tbody>${logs.logs.map((l) => html`<tr data-log=${l.id}>
          <td><code>${l.id}</code></td><td>${l.type === 'video_room_session' ? 'room' : 'conference'}</td><td>${l.room_name ?? '—'}</td>
          <td><${Badge} value=${l.status} /></td><td>${time(l.started_at)}</td><td>${time(l.ended_at)}</td><td>${time(l.discarded_at)}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${logs} onChange=${setLogsOffset} />
    </section>`;
}
