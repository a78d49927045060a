import { useEffect, useState } from 'preact/hooks';
import { api, streamLog } from '../api.js';
import { attempt, Empty, ErrorBox, html, time } from '../components.js';

const KEEP = 1000;
const STATE_CLASS = { sent: 'ok', acked: 'ok', delayed: 'warn', dropped: 'bad' };

const pretty = (frame) => {
  try {
    return JSON.stringify(JSON.parse(frame), null, 2);
  } catch {
    return frame;
  }
};

function AddPushFault({ worlds, onAdded }) {
  const [f, setF] = useState({ provider: '', world: '', event: '', subject: '', kind: 'drop', delayMs: '3000', times: '', probability: '' });
  const [error, setError] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  const submit = (e) => {
    e.preventDefault();
    const match = {};
    for (const k of ['provider', 'world', 'event', 'subject']) if (f[k]) match[k] = f[k];
    const body = { match, action: f.kind === 'drop' ? { drop: true } : { delayMs: Number(f.delayMs) } };
    if (f.times) body.times = Number(f.times);
    if (f.probability) body.probability = Number(f.probability);
    attempt(setError, async () => {
      await api('POST', '/_emulator/pushes/faults', { body });
      onAdded();
    });
  };
  return html`<form class="card" onSubmit=${submit} aria-label="Add a push fault">
    <h2>New push fault</h2>
    <div class="row">
      <label>Provider <select name="push-provider" value=${f.provider} onChange=${set('provider')}>
        <option value="">any</option><option value="rocketchat">Rocket.Chat</option><option value="signalwire">SignalWire</option></select></label>
      <label>World <select name="push-world" value=${f.world} onChange=${set('world')}><option value="">any</option>
        ${worlds.map((w) => html`<option value=${w.id}>${w.name}</option>`)}</select></label>
      <label>Event <input name="push-event" placeholder="any" value=${f.event} onInput=${set('event')} /></label>
      <label>Subject <input name="push-subject" placeholder="any" value=${f.subject} onInput=${set('subject')} /></label>
    </div>
    <div class="row">
      <fieldset class="choice"><legend>Action</legend>
        ${[['drop', 'Drop'], ['delay', 'Delay']].map(([v, label]) => html`<label>
          <input type="radio" name="push-kind" value=${v} checked=${f.kind === v} onChange=${() => setF({ ...f, kind: v })} /> ${label}</label>`)}
      </fieldset>
      ${f.kind === 'delay' ? html`<label>Delay (ms) <input name="push-delay" type="number" min="0" max="600000" value=${f.delayMs} onInput=${set('delayMs')} /></label>` : null}
      <label>Times <input name="push-times" type="number" min="1" placeholder="always" value=${f.times} onInput=${set('times')} /></label>
      <label>Probability <input name="push-probability" type="number" min="0" max="1" step="0.05" placeholder="1" value=${f.probability} onInput=${set('probability')} /></label>
      <button type="submit" class="primary">Add push fault</button>
    </div>
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
  </form>`;
}

/** Every frame pushed over the realtime endpoints, live, with the push faults in force. */
export function PushesView({ worlds, world }) {
  const [entries, setEntries] = useState([]);
  const [live, setLive] = useState('connecting');
  const [faults, setFaults] = useState(null);
  const [filters, setFilters] = useState({ world, provider: '', event: '', subject: '' });
  const [selected, setSelected] = useState(null);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.target.value });
  const loadFaults = () => api('GET', '/_emulator/pushes/faults').then(({ faults: list }) => setFaults(list), setError);

  useEffect(() => {
    let stop = () => {};
    let stopped = false;
    loadFaults();
    api('GET', '/_emulator/pushes?limit=200')
      .then(({ pushes }) => setEntries((now) => (now.length ? now : pushes)))
      .catch(setError)
      .finally(() => {
        if (stopped) return;
        stop = streamLog('/_emulator/pushes/stream', (entry) => {
          setEntries((now) => [entry, ...now.filter((e) => e.id !== entry.id)].sort((a, b) => b.id - a.id).slice(0, KEEP));
          if (entry.fault) loadFaults();
        }, (state) => setLive(state));
      });
    return () => {
      stopped = true;
      stop();
    };
  }, []);

  const shown = entries.filter((e) =>
    (!filters.world || e.world === filters.world) &&
    (!filters.provider || e.provider === filters.provider) &&
    (!filters.event || e.event.includes(filters.event)) &&
    (!filters.subject || (e.subject ?? '').includes(filters.subject)));
  const current = selected === null ? null : entries.find((e) => e.id === selected);
  const remove = (path) => attempt(setError, async () => {
    await api('DELETE', path);
    if (path === '/_emulator/pushes') {
      setEntries([]);
      setSelected(null);
    } else await loadFaults();
  });

  return html`<div class="view pushes">
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    <section class="card">
      <div class="item-head"><h2>Pushes</h2><span class=${`live ${live}`}>${live === 'live' ? '● live' : `○ ${live}`}</span><span class="grow"></span>
        <button type="button" class="small danger" onClick=${() => remove('/_emulator/pushes')}>Clear pushes</button></div>
      <p class="sub">Frames pushed to realtime clients (Rocket.Chat DDP, SignalWire Relay), as sent.</p>
      <div class="filters">
        <label>World <select name="push-filter-world" value=${filters.world} onChange=${set('world')}><option value="">all</option>
          ${worlds.map((w) => html`<option value=${w.id}>${w.name}</option>`)}</select></label>
        <label>Provider <select name="push-filter-provider" value=${filters.provider} onChange=${set('provider')}><option value="">all</option>
          <option value="rocketchat">Rocket.Chat</option><option value="signalwire">SignalWire</option></select></label>
        <label>Event <input name="push-filter-event" placeholder="any" value=${filters.event} onInput=${set('event')} /></label>
        <label>Subject <input name="push-filter-subject" placeholder="any" value=${filters.subject} onInput=${set('subject')} /></label>
      </div>
    </section>
    <div class=${current ? 'split' : ''}>
      <section class="card">
        ${shown.length === 0 ? html`<${Empty}>${entries.length ? 'No push matches these filters.' : 'No push yet. Frames appear here as realtime clients receive them.'}</${Empty}>` : html`
        <div class="table-wrap"><table class="pushes-table">
          <thead><tr><th class="wide">#</th><th>Time</th><th class="wide">World</th><th>Subject</th><th>Event</th><th class="wide">Channel</th><th>State</th></tr></thead>
          <tbody>${shown.map((e) => html`<tr class=${`clickable ${e.id === selected ? 'selected' : ''}`} data-push=${e.id} onClick=${() => setSelected(e.id)}>
            <td class="wide">${e.id}</td><td>${time(e.time)}</td><td class="wide">${worlds.find((w) => w.id === e.world)?.name ?? e.world}</td>
            <td><code>${e.subject ?? '—'}</code></td><td><code>${e.event}</code><div class="sub">${e.callId ?? ''}</div></td>
            <td class="wide"><code>${e.channel ?? ''}</code></td><td><span class=${`badge ${STATE_CLASS[e.state]}`}>${e.state}</span></td></tr>`)}</tbody>
        </table></div>`}
      </section>
      ${current ? html`<aside class="card detail" aria-label="Push detail">
        <div class="item-head"><h2>#${current.id} <code>${current.event}</code></h2><span class="grow"></span>
          <button type="button" class="small" onClick=${() => setSelected(null)}>Close</button></div>
        <p class="sub">${time(current.time)} · world <code>${current.world}</code> · ${current.provider} · connection <code>${current.connection}</code> · ${current.state}${current.fault ? html` · push fault <code>${current.fault}</code>` : null}</p>
        <pre class="frame">${pretty(current.frame)}</pre>
      </aside>` : null}
    </div>
    <${AddPushFault} worlds=${worlds} onAdded=${loadFaults} />
    <section class="card">
      <div class="item-head"><h2>Push faults in force</h2><span class="grow"></span>
        ${faults?.length ? html`<button type="button" class="small danger" onClick=${() => remove('/_emulator/pushes/faults')}>Remove all</button>` : null}</div>
      ${!faults ? null : faults.length === 0 ? html`<${Empty}>No push faults: every push is sent at once.</${Empty}>` : html`
      <div class="table-wrap"><table class="push-faults-table">
        <thead><tr><th>Match</th><th>Action</th><th>Times</th><th>Probability</th><th>Hits</th><th></th></tr></thead>
        <tbody>${faults.map((x) => html`<tr data-fault=${x.id}>
          <td>${Object.entries(x.match ?? {}).map(([k, v]) => html`<div><span class="sub">${k}</span> <code>${v}</code></div>`)}${Object.keys(x.match ?? {}).length ? null : 'every push'}</td>
          <td>${x.action.drop ? 'drop' : `delay ${x.action.delayMs} ms`}</td><td>${x.times ?? '∞'}</td><td>${x.probability ?? 1}</td><td>${x.hits}</td>
          <td class="actions"><button type="button" class="small danger" onClick=${() => remove(`/_emulator/pushes/faults/${encodeURIComponent(x.id)}`)}>Remove</button></td></tr>`)}</tbody>
      </table></div>`}
    </section>
  </div>`;
}
