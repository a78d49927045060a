import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { attempt, Empty, ErrorBox, html } from '../components.js';

const describe = (a) => [
  a.code !== undefined ? `error ${a.code}` : null,
  a.status !== undefined ? `status ${a.status}` : null,
  a.delayMs !== undefined ? `delay ${a.delayMs} ms` : null,
  a.drop ? 'drop connection' : null,
].filter(Boolean).join(', ');

function AddFault({ catalogue, worlds, world, onAdded }) {
  const [f, setF] = useState({ provider: 'dingtalk', operationId: '', world, kind: 'code', code: '', status: '500', delayMs: '1500', times: '', probability: '' });
  const [error, setError] = useState(null);
  // A new fault is for the world selected in the header, and follows it.
  useEffect(() => setF((now) => ({ ...now, world })), [world]);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  const codes = catalogue?.[f.provider]?.faultCodes ?? [];
  const operations = catalogue?.[f.provider]?.operations ?? [];
  const submit = (e) => {
    e.preventDefault();
    const match = {};
    if (f.provider) match.provider = f.provider;
    if (f.operationId) match.operationId = f.operationId;
    if (f.world) match.world = f.world;
    const action = f.kind === 'code' ? { code: f.code || codes[0] }
      : f.kind === 'status' ? { status: Number(f.status) }
        : f.kind === 'delay' ? { delayMs: Number(f.delayMs) } : { drop: true };
    const body = { match, action };
    if (f.times) body.times = Number(f.times);
    if (f.probability) body.probability = Number(f.probability);
    attempt(setError, async () => {
      await api('POST', '/_emulator/faults', { body });
      onAdded();
    });
  };
  return html`<form class="card" onSubmit=${submit} aria-label="Add a fault">
    <h2>New fault</h2>
    <div class="row">
      <label>Provider <select name="provider" value=${f.provider} onChange=${(e) => setF({ ...f, provider: e.target.value, code: '', operationId: '', kind: e.target.value || f.kind !== 'code' ? f.kind : 'status' })}>
        <option value="">any</option><option value="rocketchat">Rocket.Chat</option><option value="signalwire">SignalWire</option><option value="dingtalk">DingTalk</option></select></label>
      <label>Operation <select name="operation" value=${f.operationId} onChange=${set('operationId')} disabled=${!f.provider}>
        <option value="">any</option>${operations.map((o) => html`<option>${o}</option>`)}</select></label>
      <label>World <select name="fault-world" value=${f.world} onChange=${set('world')}><option value="">any</option>
        ${worlds.map((w) => html`<option value=${w.id}>${w.name}</option>`)}</select></label>
    </div>
    <div class="row">
      <fieldset class="choice"><legend>Action</legend>
        ${[['code', 'Catalogue error'], ['status', 'Status'], ['delay', 'Delay'], ['drop', 'Drop connection']].map(([v, label]) => html`<label>
          <input type="radio" name="kind" value=${v} checked=${f.kind === v} disabled=${v === 'code' && !f.provider} onChange=${() => setF({ ...f, kind: v })} /> ${label}</label>`)}
      </fieldset>
      ${f.kind === 'code' ? html`<label>Error <select name="code" value=${f.code || codes[0]} onChange=${set('code')}>${codes.map((c) => html`<option>${c}</option>`)}</select></label>` : null}
      ${f.kind === 'status' ? html`<label>Status <input name="status" type="number" min="400" max="599" value=${f.status} onInput=${set('status')} /></label>` : null}
      ${f.kind === 'delay' ? html`<label>Delay (ms) <input name="delay" type="number" min="0" max="600000" value=${f.delayMs} onInput=${set('delayMs')} /></label>` : null}
    </div>
    <div class="row">
      <label>Times <input name="times" type="number" min="1" placeholder="always" value=${f.times} onInput=${set('times')} /></label>
      <label>Probability <input name="probability" type="number" min="0" max="1" step="0.05" placeholder="1" value=${f.probability} onInput=${set('probability')} /></label>
      <button type="submit" class="primary">Add fault</button>
    </div>
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
  </form>`;
}

export function FaultsView({ worlds, world, tick }) {
  const [faults, setFaults] = useState(null);
  const [catalogue, setCatalogue] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('GET', '/_emulator/faults').then(({ faults: list }) => setFaults(list), setError);
  useEffect(() => {
    fetch('/_emulator/ui/catalogue.json').then((r) => r.json()).then(setCatalogue, setError);
  }, []);
  useEffect(() => {
    load();
  }, [tick]);
  const remove = (path) => attempt(setError, async () => {
    await api('DELETE', path);
    await load();
  });
  return html`<div class="view faults">
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    <${AddFault} catalogue=${catalogue} worlds=${worlds} world=${world} onAdded=${load} />
    <section class="card">
      <div class="item-head"><h2>Faults in force</h2><span class="grow"></span>
        ${faults?.length ? html`<button type="button" class="small danger" onClick=${() => remove('/_emulator/faults')}>Remove all</button>` : null}</div>
      ${!faults ? null : faults.length === 0 ? html`<${Empty}>No faults: every request gets its real answer.</${Empty}>` : html`
      <div class="table-wrap"><table class="faults-table">
        <thead><tr><th>Match</th><th>Action</th><th>Times</th><th>Probability</th><th>Hits</th><th></th></tr></thead>
        <tbody>${faults.map((x) => html`<tr data-fault=${x.id}>
          <td>${Object.entries(x.match ?? {}).map(([k, v]) => html`<div><span class="sub">${k}</span> <code>${v}</code></div>`)}${Object.keys(x.match ?? {}).length ? null : 'every request'}</td>
          <td>${describe(x.action)}</td><td>${x.times ?? '∞'}</td><td>${x.probability ?? 1}</td><td>${x.hits}</td>
          <td class="actions"><button type="button" class="small danger" onClick=${() => remove(`/_emulator/faults/${encodeURIComponent(x.id)}`)}>Remove</button></td></tr>`)}</tbody>
      </table></div>`}
    </section>
  </div>`;
}
