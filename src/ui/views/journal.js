import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { attempt, Badge, CopyButton, Empty, ErrorBox, html, Path, time } from '../components.js';

// Set by curl itself from the URL and the body.
const CURL_SETS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding']);
const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Whether the request carried a body: the journal records `{}` for a GET or HEAD without one. */
const hasBody = (entry) => entry.body !== undefined && entry.body !== null &&
  !((entry.method === 'GET' || entry.method === 'HEAD') && typeof entry.body === 'object' && Object.keys(entry.body).length === 0);

/** The request as a curl command (redacted values stay redacted: the journal never had them). */
export function curlOf(entry) {
  const url = new URL(entry.path, location.origin);
  for (const [k, v] of Object.entries(entry.query ?? {})) for (const one of [].concat(v)) url.searchParams.append(k, one);
  const parts = ['curl', '-X', entry.method, shellQuote(url.href)];
  for (const [k, v] of Object.entries(entry.headers ?? {})) if (!CURL_SETS.has(k)) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (hasBody(entry)) parts.push('--data-raw', shellQuote(typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body)));
  return parts.join(' ');
}

const pretty = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));

function Detail({ entry, onClose }) {
  return html`<aside class="card detail" aria-label="Request detail">
    <div class="item-head"><h2>#${entry.id} ${entry.method} <${Path} path=${entry.path} /></h2><span class="grow"></span>
      <${CopyButton} text=${curlOf(entry)} label="Copy as curl" />
      <button type="button" class="small" onClick=${onClose}>Close</button></div>
    <p class="sub">${time(entry.time)} · world <code>${entry.world}</code> · ${entry.provider} · <code>${entry.operationId ?? '—'}</code> · ${entry.durationMs} ms${entry.fault ? html` · fault <code>${entry.fault}</code>` : null}${entry.proxied ? ' · proxied to the upstream' : null}</p>
    <h3>Request</h3>
    ${Object.keys(entry.query ?? {}).length ? html`<pre class="query">${pretty(entry.query)}</pre>` : null}
    <pre class="headers">${Object.entries(entry.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
    ${hasBody(entry) ? html`<pre class="body">${pretty(entry.body)}</pre>` : null}
    <h3>Response <${Badge} value=${entry.status} /></h3>
    <pre class="response">${entry.responseBody === undefined ? '(no body recorded)' : pretty(entry.responseBody)}</pre>
  </aside>`;
}

export function JournalView({ entries, setEntries, worlds, live }) {
  const [filters, setFilters] = useState({ world: '', provider: '', operationId: '', status: '' });
  const [selected, setSelected] = useState(null);
  const [error, setError] = useState(null);
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.target.value });
  const operations = [...new Set(entries.map((e) => e.operationId).filter(Boolean))].sort();
  const shown = entries.filter((e) =>
    (!filters.world || e.world === filters.world) &&
    (!filters.provider || e.provider === filters.provider) &&
    (!filters.operationId || (e.operationId ?? '').includes(filters.operationId)) &&
    (!filters.status || String(e.status).startsWith(filters.status)));
  const current = selected === null ? null : entries.find((e) => e.id === selected);
  const clear = () => attempt(setError, async () => {
    await api('DELETE', '/_emulator/requests');
    setEntries([]);
    setSelected(null);
  });

  return html`<div class="view journal">
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    <section class="card">
      <div class="item-head"><h2>Journal</h2><span class=${`live ${live}`}>${live === 'live' ? '● live' : `○ ${live}`}</span><span class="grow"></span>
        <button type="button" class="small danger" onClick=${clear}>Clear journal</button></div>
      <div class="filters">
        <label>World <select name="filter-world" value=${filters.world} onChange=${set('world')}><option value="">all</option>
          ${worlds.map((w) => html`<option value=${w.id}>${w.name}</option>`)}</select></label>
        <label>Provider <select name="filter-provider" value=${filters.provider} onChange=${set('provider')}><option value="">all</option>
          <option value="rocketchat">Rocket.Chat</option><option value="signalwire">SignalWire</option><option value="dingtalk">DingTalk</option></select></label>
        <label>Operation <input name="filter-operation" list="journal-operations" placeholder="any" value=${filters.operationId} onInput=${set('operationId')} />
          <datalist id="journal-operations">${operations.map((o) => html`<option value=${o} />`)}</datalist></label>
        <label>Status <input name="filter-status" placeholder="e.g. 200 or 4" inputmode="numeric" size="6" value=${filters.status} onInput=${set('status')} /></label>
      </div>
    </section>
    <div class=${current ? 'split' : ''}>
      <section class="card">
        ${shown.length === 0 ? html`<${Empty}>${entries.length ? 'No request matches these filters.' : 'No provider request yet. Requests appear here as they arrive.'}</${Empty}>` : html`
        <div class="table-wrap"><table class="journal-table">
          <thead><tr><th class="wide">#</th><th>Time</th><th class="wide">World</th><th class="wide">Provider</th><th>Request</th><th>Status</th><th class="wide">ms</th></tr></thead>
          <tbody>${shown.map((e) => html`<tr class=${`clickable ${e.id === selected ? 'selected' : ''}`} data-entry=${e.id} onClick=${() => setSelected(e.id)}>
            <td class="wide">${e.id}</td><td>${time(e.time)}</td><td class="wide">${worlds.find((w) => w.id === e.world)?.name ?? e.world}</td><td class="wide">${e.provider}</td>
            <td><span class="method">${e.method}</span> <${Path} path=${e.path} /><div class="sub">${e.operationId ?? ''}${e.fault ? ' · fault' : ''}${e.proxied ? ' · proxied' : ''}</div></td>
            <td><${Badge} value=${e.status} /></td><td class="wide">${e.durationMs}</td></tr>`)}</tbody>
        </table></div>`}
      </section>
      ${current ? html`<${Detail} entry=${current} onClose=${() => setSelected(null)} />` : null}
    </div>
  </div>`;
}
