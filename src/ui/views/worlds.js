import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { attempt, CopyButton, Empty, ErrorBox, html, Secret } from '../components.js';

const SECRET = /token|secret|password/i;
const PROVIDER_NAMES = { rocketchat: 'Rocket.Chat', signalwire: 'SignalWire', dingtalk: 'DingTalk' };

function Credentials({ details }) {
  const providers = Object.entries(details.credentials);
  return html`<section class="card" aria-label="Credentials">
    <h2>Credentials of <em>${details.name}</em></h2>
    ${providers.map(([slug, groups]) => html`<div class="provider-creds">
      <h3>${PROVIDER_NAMES[slug] ?? slug}</h3>
      ${Object.entries(groups).map(([group, rows]) => (rows.length === 0 ? html`<${Empty}>No ${group}.</${Empty}>` : html`<div class="table-wrap"><table data-provider=${slug}>
        <thead><tr>${Object.keys(rows[0]).map((k) => html`<th>${k}</th>`)}</tr></thead>
        <tbody>${rows.map((row) => html`<tr>${Object.entries(row).map(([k, v]) => html`<td>
          ${SECRET.test(k) ? html`<${Secret} value=${String(v)} />` : html`<span class="secret"><code>${String(v)}</code> <${CopyButton} text=${String(v)} /></span>`}
        </td>`)}</tr>`)}</tbody>
      </table></div>`))}
    </div>`)}
  </section>`;
}

function CreateWorld({ onCreated, onSubmit }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState('default');
  const [json, setJson] = useState('');
  const [error, setError] = useState(null);
  const [fieldErrors, setFieldErrors] = useState(null);

  const submit = async (e) => {
    e.preventDefault();
    onSubmit();
    setFieldErrors(null);
    let fixtures = kind;
    if (kind === 'json') {
      try {
        fixtures = JSON.parse(json);
      } catch (err) {
        setFieldErrors([{ path: 'fixtures', message: `is not JSON: ${err.message}` }]);
        return;
      }
    }
    try {
      setError(null);
      const created = await api('POST', '/_emulator/worlds', { body: { ...(name ? { name } : {}), fixtures } });
      setName('');
      onCreated(created);
    } catch (err) {
      const errors = err.problem?.errors?.filter((x) => x.path.startsWith('fixtures') || x.path.startsWith('body/fixtures'));
      if (kind === 'json' && (errors?.length || err.status === 400)) setFieldErrors(errors?.length ? errors : [{ path: 'fixtures', message: err.message }]);
      else setError(err);
    }
  };

  return html`<form class="card create" onSubmit=${submit} aria-label="Create a world">
    <h2>New world</h2>
    <div class="row">
      <label>Name <input name="name" placeholder="checkout-tests" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <fieldset class="choice"><legend>Fixtures</legend>
        ${[['default', 'Default'], ['empty', 'Empty'], ['json', 'JSON']].map(([v, label]) => html`<label>
          <input type="radio" name="fixtures" value=${v} checked=${kind === v} onChange=${() => setKind(v)} /> ${label}</label>`)}
      </fieldset>
      <button type="submit" class="primary">Create</button>
    </div>
    ${kind === 'json' ? html`<label class="block">Fixtures (JSON, checked against fixtures/schema.json)
      <textarea name="fixtures-json" rows="8" spellcheck="false" class=${fieldErrors ? 'invalid' : ''} placeholder='{"rocketchat": {"users": []}}'
        value=${json} onInput=${(e) => setJson(e.target.value)}></textarea></label>
      ${fieldErrors ? html`<ul class="field-errors" role="alert">${fieldErrors.map((x) => html`<li><code>${x.path}</code> ${x.message}</li>`)}</ul>` : null}` : null}
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
  </form>`;
}

export function WorldsView({ worlds, world, chooseWorld, reloadWorlds, tick }) {
  const [details, setDetails] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  // A notice is about the last action: a later action or error replaces it.
  const failed = (err) => {
    setError(err);
    if (err) setNotice(null);
  };

  useEffect(() => {
    attempt(failed, async () => setDetails(await api('GET', `/_emulator/worlds/${encodeURIComponent(world)}`)));
  }, [world, tick]);

  const act = (fn, message) => attempt(failed, async () => {
    setNotice(null);
    await fn();
    setNotice(message);
    await reloadWorlds();
  });

  return html`<div class="view worlds">
    <${ErrorBox} error=${error} onClose=${() => setError(null)} />
    ${notice ? html`<div class="notice" role="status">${notice}</div>` : null}
    <${CreateWorld} onSubmit=${() => setNotice(null)} onCreated=${async (w) => {
      setNotice(`World ${w.name} created.`);
      await reloadWorlds();
      chooseWorld(w.id);
    }} />
    <section class="card">
      <h2>Worlds</h2>
      ${worlds.length === 0 ? html`<${Empty}>No worlds yet.</${Empty}>` : html`<div class="table-wrap"><table class="worlds-table">
        <thead><tr><th>Name</th><th>Id</th><th></th></tr></thead>
        <tbody>${worlds.map((w) => html`<tr class=${w.id === world ? 'selected' : ''} data-world=${w.id}>
          <td>${w.name}</td><td><code>${w.id}</code></td>
          <td class="actions">
            ${w.id === world ? html`<span class="badge ok">selected</span>` : html`<button type="button" class="small" onClick=${() => chooseWorld(w.id)}>Select</button>`}
            <button type="button" class="small" onClick=${() => act(() => api('POST', `/_emulator/worlds/${encodeURIComponent(w.id)}/reset`), `World ${w.name} reset to its fixtures.`)}>Reset</button>
            ${w.id === 'default' ? null : html`<button type="button" class="small danger" onClick=${() => confirm(`Delete world ${w.name} and all its data?`) && act(() => api('DELETE', `/_emulator/worlds/${encodeURIComponent(w.id)}`), `World ${w.name} deleted.`)}>Delete</button>`}
          </td></tr>`)}</tbody>
      </table></div>`}
    </section>
    ${details ? html`<${Credentials} details=${details} />` : null}
  </div>`;
}
