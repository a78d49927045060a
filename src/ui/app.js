import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, streamJournal, token } from './api.js';
import { ErrorBox, html } from './components.js';
import { ClockView } from './views/clock.js';
import { FaultsView } from './views/faults.js';
import { JournalView } from './views/journal.js';
import { PushesView } from './views/pushes.js';
import { StateView } from './views/state.js';
import { WorldsView } from './views/worlds.js';

const VIEWS = [
  ['worlds', 'Worlds', WorldsView],
  ['state', 'State', StateView],
  ['journal', 'Journal', JournalView],
  ['pushes', 'Pushes', PushesView],
  ['faults', 'Faults', FaultsView],
  ['clock', 'Clock', ClockView],
];
const JOURNAL_KEEP = 1000;
const WORLD_KEY = 'vconf-emulator.world';

const viewFromHash = () => {
  const name = location.hash.replace(/^#\/?/, '');
  return VIEWS.some(([id]) => id === name) ? name : 'worlds';
};

function TokenDialog() {
  const [value, setValue] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (value) token.set(value);
  };
  return html`<div class="overlay">
    <form class="dialog" onSubmit=${submit}>
      <h2>Admin token</h2>
      <p>This emulator was started with an admin token. Enter it once; it is kept for this tab only.</p>
      <input type="password" name="token" aria-label="Admin token" autofocus value=${value} onInput=${(e) => setValue(e.target.value)} />
      <button type="submit" class="primary">Continue</button>
    </form>
  </div>`;
}

function App() {
  const [view, setView] = useState(viewFromHash());
  const [worlds, setWorlds] = useState(null);
  const [world, setWorld] = useState(sessionStorage.getItem(WORLD_KEY) ?? 'default');
  const [error, setError] = useState(null);
  const [needToken, setNeedToken] = useState(false);
  const [entries, setEntries] = useState([]);
  const [live, setLive] = useState('connecting');
  // Bumped by every journal entry and every action: views refetch what they show.
  const [tick, setTick] = useState(0);
  const pending = useRef(null);

  const refresh = () => setTick((n) => n + 1);
  const loadWorlds = async () => {
    try {
      const { worlds: list } = await api('GET', '/_emulator/worlds');
      setWorlds(list);
      setError(null);
      if (!list.some((w) => w.id === world)) chooseWorld('default');
    } catch (err) {
      if (err.status !== 401) setError(err);
    }
  };
  const chooseWorld = (id) => {
    sessionStorage.setItem(WORLD_KEY, id);
    setWorld(id);
  };

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    addEventListener('hashchange', onHash);
    const off = token.onChange((needed) => {
      setNeedToken(needed);
      if (!needed) {
        loadWorlds();
        refresh();
      }
    });
    return () => {
      removeEventListener('hashchange', onHash);
      off();
    };
  }, []);

  useEffect(() => {
    loadWorlds();
  }, [tick]);

  useEffect(() => {
    let stop = () => {};
    api('GET', `/_emulator/requests?limit=200`)
      .then(({ requests }) => setEntries((now) => (now.length ? now : requests)))
      .catch(() => {})
      .finally(() => {
        stop = streamJournal(
          (entry) => {
            setEntries((now) => [entry, ...now.filter((e) => e.id !== entry.id)].slice(0, JOURNAL_KEEP));
            // Several entries in a burst refresh the views once.
            clearTimeout(pending.current);
            pending.current = setTimeout(refresh, 150);
          },
          (state) => setLive(state),
        );
      });
    return () => stop();
  }, []);

  const ctx = { world, worlds: worlds ?? [], chooseWorld, refresh, tick, entries, setEntries, live, reloadWorlds: loadWorlds };
  const View = VIEWS.find(([id]) => id === view)[2];
  return html`
    <header class="top">
      <div class="brand"><a href="/">vconf-emulator</a> <span>dashboard</span></div>
      <nav class="tabs">
        ${VIEWS.map(([id, label]) => html`<a href=${`#/${id}`} class=${id === view ? 'active' : ''} aria-current=${id === view ? 'page' : undefined}>${label}</a>`)}
      </nav>
      <label class="world-pick">World
        <select name="world" value=${world} onChange=${(e) => chooseWorld(e.target.value)}>
          ${(worlds ?? [{ id: world, name: world }]).map((w) => html`<option value=${w.id}>${w.name}${w.name !== w.id ? ` (${w.id.slice(0, 8)})` : ''}</option>`)}
        </select>
      </label>
      <span class=${`live ${live}`} title="Journal stream">${live === 'live' ? '● live' : `○ ${live}`}</span>
    </header>
    <main>
      <${ErrorBox} error=${error} />
      <${View} ...${ctx} />
    </main>
    ${needToken ? html`<${TokenDialog} />` : null}
  `;
}

render(html`<${App} />`, document.getElementById('app'));
