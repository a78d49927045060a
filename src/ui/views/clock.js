import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { attempt, Badge, Empty, ErrorBox, html, time } from '../components.js';

const UNITS = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
// Rocket.Chat's timers (reference §6.3): a direct call rings 40 s, any call expires 24 h after its start.
const RINGING_MS = 40_000;
const EXPIRY_MS = 86_400_000;

const inFuture = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 120 ? `in ${s} s` : s < 7200 ? `in ${Math.round(s / 60)} min` : `in ${Math.round(s / 3600)} h`;
};

export function ClockView({ world, tick, refresh }) {
  const [clock, setClock] = useState(null);
  const [calls, setCalls] = useState(null);
  const [amount, setAmount] = useState('40');
  const [unit, setUnit] = useState('s');
  const [at, setAt] = useState('');
  const [error, setError] = useState(null);
  const path = `/_emulator/worlds/${encodeURIComponent(world)}`;

  useEffect(() => {
    api('GET', `${path}/clock`).then(setClock, setError);
    api('GET', `${path}/rocketchat/calls?limit=50`).then(({ calls: list }) => setCalls(list), setError);
  }, [world, tick]);

  const change = (body) => attempt(setError, async () => {
    setClock(await api('POST', `${path}/clock`, { body }));
    refresh();
  });
  const now = clock ? Date.parse(clock.now) : 0;
  const timers = (calls ?? []).filter((c) => c.status === 'calling' || c.status === 'started');

  return html`<div class="view clock">
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    <section class="card">
      <h2>World clock</h2>
      ${clock ? html`<div class="clock-now"><time class="now">${time(clock.now)}</time> <${Badge} value=${clock.frozen ? 'frozen' : 'running'} /></div>` : null}
      <div class="row">
        <form class="inline" onSubmit=${(e) => {
          e.preventDefault();
          change({ advanceMs: Math.round(Number(amount) * UNITS[unit]) });
        }}>
          <label>Advance by <input name="amount" type="number" min="0" step="any" value=${amount} onInput=${(e) => setAmount(e.target.value)} /></label>
          <select name="unit" aria-label="Unit" value=${unit} onChange=${(e) => setUnit(e.target.value)}>${Object.keys(UNITS).map((u) => html`<option>${u}</option>`)}</select>
          <button type="submit" class="primary">Advance</button>
        </form>
        <form class="inline" onSubmit=${(e) => {
          e.preventDefault();
          if (at) change({ now: new Date(`${at}Z`).toISOString() });
        }}>
          <label>Set to (UTC) <input name="at" type="datetime-local" step="1" value=${at} onInput=${(e) => setAt(e.target.value)} /></label>
          <button type="submit">Set</button>
        </form>
        <button type="button" onClick=${() => change({ frozen: !clock?.frozen })}>${clock?.frozen ? 'Unfreeze' : 'Freeze'}</button>
      </div>
    </section>
    <section class="card">
      <h2>Rocket.Chat timers</h2>
      ${timers.length === 0 ? html`<${Empty}>No call is ringing or running in this world.</${Empty}>` : html`<div class="table-wrap"><table class="timers">
        <thead><tr><th>Call</th><th>Type</th><th>Status</th><th>Started</th><th>Ringing times out</th><th>Expires</th></tr></thead>
        <tbody>${timers.map((c) => {
          const start = Date.parse(c.createdAt);
          // The deadlines count from the later of createdAt and when the call entered the world (reference
          // §6.3); a live call past createdAt's deadline was loaded from fixtures later, at an instant not shown.
          const deadline = (ms, what) => (start + ms > now ? html`${time(start + ms)} <span class="sub">${inFuture(start + ms - now)}</span>` : html`<span class="sub">${what} after the fixtures were loaded</span>`);
          return html`<tr data-call=${c._id}><td><code>${c._id}</code></td><td>${c.type}</td><td class="status"><${Badge} value=${c.status} /></td><td>${time(c.createdAt)}</td>
            <td>${c.status === 'calling' && c.type === 'direct' ? deadline(RINGING_MS, '40 s') : '—'}</td>
            <td>${deadline(EXPIRY_MS, '24 h')}</td></tr>`;
        })}</tbody>
      </table></div>`}
      ${calls?.length ? html`<h3>Recent calls</h3><div class="table-wrap"><table class="recent">
        <thead><tr><th>Call</th><th>Status</th><th>Ended</th></tr></thead>
        <tbody>${calls.slice(0, 10).map((c) => html`<tr data-call=${c._id}><td><code>${c._id}</code></td><td class="status"><${Badge} value=${c.status} /></td><td>${time(c.endedAt)}</td></tr>`)}</tbody>
      </table></div>` : null}
    </section>
  </div>`;
}
