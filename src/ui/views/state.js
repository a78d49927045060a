import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { attempt, Badge, CopyId, Empty, ErrorBox, html, Pager, time } from '../components.js';
import { enc, usePage } from './page.js';
import { SignalWireVideo } from './signalwire-video.js';

function RocketChat({ world, tick, refresh, setError }) {
  const [status, setStatus] = useState('');
  const [rooms, setRoomsOffset] = usePage(world, 'rocketchat/rooms', {}, tick, setError);
  const [calls, setCallsOffset] = usePage(world, 'rocketchat/calls', { status }, tick, setError);
  const roomName = (rid) => {
    const room = rooms?.rooms.find((r) => r._id === rid);
    return room ? room.name ?? room.fname ?? 'direct' : null;
  };
  const end = (call) => attempt(setError, async () => {
    await api('POST', `/_emulator/rocketchat/calls/${enc(call._id)}/end`, { world, body: {} });
    refresh();
  });
  return html`
    <section class="card">
      <h2>Calls</h2>
      <div class="filters"><label>Status
        <select name="call-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
          <option value="">any</option>${['calling', 'started', 'expired', 'ended', 'declined'].map((s) => html`<option>${s}</option>`)}
        </select></label></div>
      ${!calls ? null : calls.calls.length === 0 ? html`<${Empty}>No calls${status ? ` with status ${status}` : ''}. Start one with <code>POST /api/v1/video-conference.start</code>.</${Empty}>` : html`
      <div class="table-wrap"><table class="calls">
        <thead><tr><th>Call</th><th>Room</th><th>Type</th><th>Status</th><th>Ringing</th><th>Users</th><th>Created</th><th>Ended</th><th></th></tr></thead>
        <tbody>${calls.calls.map((c) => html`<tr data-call=${c._id}>
          <td><code>${c._id}</code>${c.title ? html`<div class="sub">${c.title}</div>` : null}</td>
          <td>${roomName(c.rid) ?? html`<code>${c.rid}</code>`}</td><td>${c.type}</td>
          <td class="status"><${Badge} value=${c.status} /></td>
          <td>${c.ringing ? html`<span class="badge warn">ringing</span>` : 'no'}</td>
          <td>${c.users.length ? c.users.map((u) => u.username ?? u._id).join(', ') : '—'}</td>
          <td>${time(c.createdAt)}</td><td>${time(c.endedAt)}</td>
          <td class="actions">${c.status === 'calling' || c.status === 'started' ? html`<button type="button" class="small danger" onClick=${() => end(c)}>End call</button>` : null}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${calls} onChange=${setCallsOffset} />
    </section>
    <section class="card">
      <h2>Rooms</h2>
      ${!rooms ? null : rooms.rooms.length === 0 ? html`<${Empty}>No rooms in this world.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Room</th><th>Type</th><th>Members</th><th>Calls</th><th>Live</th></tr></thead>
        <tbody>${rooms.rooms.map((r) => html`<tr>
          <td>${r.name ?? r.fname ?? '(direct)'}<div class="sub"><code>${r._id}</code></div></td>
          <td>${{ c: 'channel', p: 'private', d: 'direct' }[r.t]}</td>
          <td>${r.members.map((m) => m.username ?? m._id).join(', ') || '—'}</td>
          <td>${r.calls}</td><td>${r.liveCalls}</td></tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${rooms} onChange=${setRoomsOffset} />
    </section>`;
}

function AddMember({ onAdd }) {
  const [name, setName] = useState('');
  return html`<form class="inline" onSubmit=${(e) => {
    e.preventDefault();
    if (name) onAdd(name).then((ok) => ok && setName(''));
  }}><input name="member-name" placeholder="Member name" aria-label="Member name" value=${name} onInput=${(e) => setName(e.target.value)} />
    <button type="submit" class="small">Add member</button></form>`;
}

function SignalWire({ world, tick, refresh, setError }) {
  const [status, setStatus] = useState('');
  const [conferences, setConfOffset] = usePage(world, 'signalwire/conferences', {}, tick, setError);
  const [sessions, setSessOffset] = usePage(world, 'signalwire/room_sessions', { status }, tick, setError);
  const act = (method, path, body) => attempt(setError, async () => {
    await api(method, path, { world, body });
    refresh();
  });
  return html`
    <section class="card">
      <h2>Conferences</h2>
      ${!conferences ? null : conferences.conferences.length === 0 ? html`<${Empty}>No conferences in this world.</${Empty}>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th>Conference</th><th>Id</th><th>Project</th><th>Tokens</th><th>Live session</th><th>Created</th><th></th></tr></thead>
        <tbody>${conferences.conferences.map((c) => html`<tr data-conference=${c.id}>
          <td>${c.display_name ?? c.name}<div class="sub"><code>${c.name}</code></div></td>
          <td class="conference-id"><${CopyId} value=${c.id} /></td>
          <td><code>${c.project_id}</code></td>
          <td>${c.conference_tokens.map((t) => html`<div>${t.name ?? 'token'} <code>${t.token}</code></div>`)}</td>
          <td>${c.active_session_id ? html`<code>${c.active_session_id}</code>` : '—'}</td>
          <td>${time(c.created_at)}</td>
          <td class="actions">${c.active_session_id ? null : html`<button type="button" class="small" onClick=${() => act('POST', `/_emulator/signalwire/conferences/${enc(c.id)}/room_sessions`)}>Start session</button>`}</td>
        </tr>`)}</tbody>
      </table></div>`}
      <${Pager} page=${conferences} onChange=${setConfOffset} />
    </section>
    <section class="card">
      <h2>Room sessions</h2>
      <div class="filters"><label>Status
        <select name="session-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
          <option value="">any</option><option>in-progress</option><option>completed</option>
        </select></label></div>
      ${!sessions ? null : sessions.room_sessions.length === 0 ? html`<${Empty}>No room sessions. Start one from a conference above.</${Empty}>` : sessions.room_sessions.map((s) => html`
      <div class="item" data-session=${s.id}>
        <div class="item-head">
          <strong>${s.display_name ?? s.name ?? s.id}</strong> <${Badge} value=${s.status} />
          <span class="sub">${time(s.start_time)} → ${time(s.end_time)}${s.recordings.length ? ` · ${s.recordings.length} recording(s)` : ''}</span>
          ${s.status === 'in-progress' ? html`<span class="grow"></span><${AddMember} onAdd=${(name) => act('POST', `/_emulator/signalwire/room_sessions/${enc(s.id)}/members`, { name })} />
            <button type="button" class="small danger" onClick=${() => act('POST', `/_emulator/signalwire/room_sessions/${enc(s.id)}/end`)}>End session</button>` : null}
        </div>
        ${s.members.length === 0 ? html`<${Empty}>No members.</${Empty}>` : html`<div class="table-wrap"><table>
          <thead><tr><th>Member</th><th>Joined</th><th>Left</th><th>Duration</th><th></th></tr></thead>
          <tbody>${s.members.map((m) => html`<tr><td>${m.name ?? m.id}</td><td>${time(m.join_time)}</td><td>${time(m.leave_time)}</td>
            <td>${m.duration ?? '—'}</td>
            <td class="actions">${m.leave_time === null && s.status === 'in-progress' ? html`<button type="button" class="small" onClick=${() => act('POST', `/_emulator/signalwire/room_sessions/${enc(s.id)}/members/${enc(m.id)}/leave`)}>Remove</button>` : null}</td></tr>`)}</tbody>
        </table></div>`}
      </div>`)}
      <${Pager} page=${sessions} onChange=${setSessOffset} />
    </section>
    <${SignalWireVideo} world=${world} tick=${tick} refresh=${refresh} setError=${setError} />`;
}

const MEDIA = { off: 1, on: 2 };
const duration = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
};

function DingTalk({ world, tick, refresh, setError }) {
  const [status, setStatus] = useState('');
  const [conferences, setOffset] = usePage(world, 'dingtalk/conferences', { status }, tick, setError);
  const act = (path, body) => attempt(setError, async () => {
    await api('POST', `/_emulator/dingtalk/conferences/${path}`, { world, body });
    refresh();
  });
  const recordingActions = (c) => {
    const host = c.members.find((m) => m.host)?.unionId ?? c.creatorId;
    const owner = c.recording.ownerUnionId ?? host;
    const button = (action) => html`<button type="button" class="small" onClick=${() => act(`${enc(c.conferenceId)}/recording`, { action, unionId: owner })}>${action} recording</button>`;
    if (c.recording.status === 'recording') return [button('pause'), button('stop')];
    if (c.recording.status === 'paused') return [button('resume'), button('stop')];
    return [button('start')];
  };
  return html`<section class="card">
    <h2>Conferences</h2>
    <div class="filters"><label>Status
      <select name="conference-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
        <option value="">any</option><option>initialized</option><option>started</option><option>ended</option>
      </select></label></div>
    ${!conferences ? null : conferences.conferences.length === 0 ? html`<${Empty}>No conferences${status ? ` with status ${status}` : ''}.</${Empty}>` : conferences.conferences.map((c) => {
      const base = `${enc(c.conferenceId)}/members`;
      const open = c.status === 'started';
      return html`<div class="item" data-conference=${c.conferenceId}>
        <div class="item-head">
          <strong>${c.title}</strong> <${Badge} value=${c.status} />
          <span class="conference-id"><${CopyId} value=${c.conferenceId} /></span>
          <span class="sub">host ${c.creatorNick} · room ${c.roomCode} · org ${c.org} · ${time(c.startTime)}${c.endTime ? ` → ${time(c.endTime)}` : ''} · recording <${Badge} value=${c.recording.status} />${flags(c)}</span>
          ${open ? html`<span class="grow"></span>${recordingActions(c)}
            <button type="button" class="small danger" onClick=${() => act(`${enc(c.conferenceId)}/end`)}>End meeting</button>` : null}
        </div>
        ${c.members.length === 0 ? html`<${Empty}>No members.</${Empty}>` : html`<div class="table-wrap"><table>
          <thead><tr><th>Member</th><th>State</th><th>Role</th><th>Camera</th><th>Mic</th><th>Joined</th><th>Duration</th><th></th></tr></thead>
          <tbody>${c.members.map((m) => {
            const path = `${base}/${enc(m.unionId)}`;
            const inMeeting = m.attendStatus === 'joined';
            const toggle = (field, value) => act(`${path}/state`, { [field]: MEDIA[value === 'on' ? 'off' : 'on'] });
            return html`<tr data-member=${m.unionId}>
              <td>${m.userNick}<div class="sub"><code>${m.unionId}</code></div></td>
              <td><${Badge} value=${m.attendStatus} /></td>
              <td>${m.host ? 'host' : m.coHost ? 'co-host' : '—'}</td>
              <td>${open && inMeeting ? html`<button type="button" class="small" title="Toggle camera" onClick=${() => toggle('cameraStatus', m.camera)}>${m.camera}</button>` : m.camera}</td>
              <td>${open && inMeeting ? html`<button type="button" class="small" title="Toggle microphone" onClick=${() => toggle('micStatus', m.mic)}>${m.mic}</button>` : m.mic}</td>
              <td>${time(m.joinTime)}</td><td>${duration(m.duration)}</td>
              <td class="actions">${!open ? null : inMeeting
                ? html`<button type="button" class="small" onClick=${() => act(`${path}/leave`)}>Leave</button>
                  <button type="button" class="small danger" onClick=${() => act(`${path}/kick`)}>Kick</button>`
                : html`<button type="button" class="small" onClick=${() => act(`${path}/join`)}>Join</button>
                  ${m.attendStatus === 'calling' || m.attendStatus === 'initialized' ? html`<button type="button" class="small danger" onClick=${() => act(`${path}/fail`, {})}>Fail</button>` : null}`}</td>
            </tr>`;
          })}</tbody>
        </table></div>`}
        ${open ? html`<${JoinOther} onJoin=${(unionId) => act(`${base}/${enc(unionId)}/join`)} />
          <${Say} members=${c.members} onSay=${(unionId, text) => act(`${enc(c.conferenceId)}/transcript`, { lines: [{ unionId, text }] })} />` : null}
      </div>`;
    })}
    <${Pager} page=${conferences} onChange=${setOffset} />
  </section>
  <${Schedules} world=${world} tick=${tick} refresh=${refresh} setError=${setError} />`;
}

/** What the in-meeting controls set (updateVideoConferenceSetting, lock, mute-all, subtitles) and where it came from. */
function flags(c) {
  const on = [
    c.scheduleConferenceId && `scheduled ${c.scheduleConferenceId}`,
    c.settings.lockConference && 'locked',
    c.settings.muteAll && (c.settings.allowUnmuteSelf ? 'muted' : 'force-muted'),
    c.settings.subtitles && 'subtitles',
    c.streamOuts.some((st) => st.endTime === null) && 'streaming',
  ].filter(Boolean);
  return on.length ? ` · ${on.join(' · ')}` : '';
}

/** A transcript line said now by a member: what recordings' texts and minutes are made of. */
function Say({ members, onSay }) {
  const [unionId, setUnionId] = useState('');
  const [text, setText] = useState('');
  const speaker = unionId || members.find((m) => m.attendStatus === 'joined')?.unionId || '';
  return html`<form class="inline" onSubmit=${(e) => {
    e.preventDefault();
    if (speaker && text) onSay(speaker, text).then((ok) => ok && setText(''));
  }}><select name="speaker" aria-label="Speaker" value=${speaker} onChange=${(e) => setUnionId(e.target.value)}>
      ${members.map((m) => html`<option value=${m.unionId}>${m.userNick}</option>`)}</select>
    <input name="transcript-text" placeholder="what they say (transcript)" aria-label="Transcript line" value=${text} onInput=${(e) => setText(e.target.value)} />
    <button type="submit" class="small">Say</button></form>`;
}

function Schedules({ world, tick, refresh, setError }) {
  const [page, setOffset] = usePage(world, 'dingtalk/scheduleConferences', {}, tick, setError);
  const start = (id) => attempt(setError, async () => {
    await api('POST', `/_emulator/dingtalk/scheduleConferences/${enc(id)}/start`, { world, body: {} });
    refresh();
  });
  if (!page) return null;
  return html`<section class="card">
    <h2>Scheduled conferences</h2>
    ${page.scheduleConferences.length === 0 ? html`<${Empty}>No scheduled conferences. Book one with <code>POST /v1.0/conference/scheduleConferences</code>.</${Empty}>` : html`
    <div class="table-wrap"><table>
      <thead><tr><th>Title</th><th>Status</th><th>Starts</th><th>Ends</th><th>Room</th><th>Meetings</th><th></th></tr></thead>
      <tbody>${page.scheduleConferences.map((sc) => html`<tr data-schedule=${sc.scheduleConferenceId}>
        <td>${sc.title}<div class="sub"><code>${sc.scheduleConferenceId}</code></div></td>
        <td><${Badge} value=${sc.status} /></td><td>${time(sc.startTime)}</td><td>${time(sc.endTime)}</td><td>${sc.roomCode}</td>
        <td>${sc.conferenceIds.length}${sc.startedByClock ? ' (clock started it)' : ''}</td>
        <td class="actions">${sc.status === 'scheduled' ? html`<button type="button" class="small" onClick=${() => start(sc.scheduleConferenceId)}>Start now</button>` : null}</td>
      </tr>`)}</tbody>
    </table></div>`}
    <${Pager} page=${page} onChange=${setOffset} />
  </section>`;
}

function JoinOther({ onJoin }) {
  const [unionId, setUnionId] = useState('');
  return html`<form class="inline" onSubmit=${(e) => {
    e.preventDefault();
    if (unionId) onJoin(unionId).then((ok) => ok && setUnionId(''));
  }}><input name="union-id" placeholder="unionId of another user" aria-label="unionId" value=${unionId} onInput=${(e) => setUnionId(e.target.value)} />
    <button type="submit" class="small">Join user</button></form>`;
}

const PROVIDERS = [['rocketchat', 'Rocket.Chat', RocketChat], ['signalwire', 'SignalWire', SignalWire], ['dingtalk', 'DingTalk', DingTalk]];

export function StateView({ world, tick, refresh }) {
  const [provider, setProvider] = useState(sessionStorage.getItem('vconf-emulator.provider') ?? 'rocketchat');
  const [error, setError] = useState(null);
  const choose = (slug) => {
    sessionStorage.setItem('vconf-emulator.provider', slug);
    setError(null);
    setProvider(slug);
  };
  const Provider = PROVIDERS.find(([slug]) => slug === provider)[2];
  return html`<div class="view state">
    <nav class="subtabs" aria-label="Provider">${PROVIDERS.map(([slug, label]) => html`<button type="button" class=${slug === provider ? 'active' : ''} aria-pressed=${slug === provider} onClick=${() => choose(slug)}>${label}</button>`)}</nav>
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    <${Provider} key=${provider} world=${world} tick=${tick} refresh=${refresh} setError=${setError} />
  </div>`;
}
