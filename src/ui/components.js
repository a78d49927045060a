import { h } from 'preact';
import { useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/** Copies text; falls back to a hidden textarea where the Clipboard API is refused. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  const onClick = async () => {
    await copyText(text);
    setDone(true);
    setTimeout(() => setDone(false), 1200);
  };
  return html`<button type="button" class="small" title="Copy to the clipboard" onClick=${onClick}>${done ? 'Copied' : label}</button>`;
}

/** An id to call the API with: shown in full, with a copy button. */
export function CopyId({ value }) {
  return html`<span class="copy-id"><code>${value}</code><${CopyButton} text=${value} /></span>`;
}

/** A URL path that wraps only after a slash, never inside a segment. */
export function Path({ path }) {
  const parts = path.split(/(?<=\/)/);
  return html`<code class="path">${parts.map((p) => html`<span>${p}</span><wbr />`)}</code>`;
}

/** A secret shown as dots until clicked. */
export function Secret({ value }) {
  const [shown, setShown] = useState(false);
  return html`<span class="secret">
    ${shown
      ? html`<code>${value}</code>`
      : html`<button type="button" class="masked" title="Show" onClick=${() => setShown(true)}>••••••••</button>`}
    <${CopyButton} text=${value} />
  </span>`;
}

export function ErrorBox({ error, onClose }) {
  if (!error) return null;
  const problem = error.problem;
  return html`<div class="error" role="alert">
    <strong>${error.status ? `${error.status} ` : ''}${problem?.title ?? error.message}</strong>
    ${problem?.detail && problem.detail !== problem.title ? html`<div>${problem.detail}</div>` : null}
    ${problem?.errors?.length ? html`<ul>${problem.errors.map((e) => html`<li><code>${e.path}</code> ${e.message}</li>`)}</ul>` : null}
    ${onClose ? html`<button type="button" class="small link" onClick=${onClose}>Dismiss</button>` : null}
  </div>`;
}

export function Empty({ children }) {
  return html`<div class="empty">${children}</div>`;
}

const STATUS_CLASS = {
  calling: 'warn', started: 'ok', 'in-progress': 'ok', joined: 'ok', recording: 'ok', on: 'ok', live: 'ok',
  ended: 'muted', completed: 'muted', left: 'muted', finished: 'muted', off: 'muted', initialized: 'muted', none: 'muted',
  expired: 'bad', declined: 'bad', failed: 'bad', kicked: 'bad', reconnecting: 'warn', paused: 'warn',
};

export function Badge({ value }) {
  const v = String(value);
  return html`<span class=${`badge ${STATUS_CLASS[v] ?? (/^[45]/.test(v) ? 'bad' : /^2/.test(v) ? 'ok' : '')}`}>${v}</span>`;
}

export function Pager({ page, onChange }) {
  if (!page || page.total <= page.limit) return null;
  const { offset, limit, total } = page;
  return html`<div class="pager">
    <button type="button" class="small" disabled=${offset === 0} onClick=${() => onChange(Math.max(0, offset - limit))}>Previous</button>
    <span>${offset + 1}–${Math.min(total, offset + limit)} of ${total}</span>
    <button type="button" class="small" disabled=${offset + limit >= total} onClick=${() => onChange(offset + limit)}>Next</button>
  </div>`;
}

export const time = (value) => {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
};

/** Runs an action, reporting a failure to setError; resolves to whether it succeeded. */
export async function attempt(setError, fn) {
  try {
    setError(null);
    await fn();
    return true;
  } catch (err) {
    setError(err);
    return false;
  }
}
