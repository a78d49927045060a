// Every call to the control plane goes through here: the admin token (kept for the tab in
// sessionStorage) rides along as Authorization: Bearer, and a 401 asks the page for it.
const TOKEN_KEY = 'vconf-emulator.admin-token';
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set(value) {
    sessionStorage.setItem(TOKEN_KEY, value);
    for (const fn of listeners) fn(false);
  },
  /** fn(needed) runs when the control plane asks for a token (true) or one was given (false). */
  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

function headers(world, body) {
  const h = {};
  const t = token.get();
  if (t) h.authorization = `Bearer ${t}`;
  if (world) h['x-emulator-world'] = world;
  if (body !== undefined) h['content-type'] = 'application/json';
  return h;
}

/** A control call: the parsed JSON answer, or an ApiError carrying the problem document. */
export async function api(method, path, { body, world } = {}) {
  const res = await fetch(path, { method, headers: headers(world, body), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = { title: text };
  }
  if (res.status === 401) for (const fn of listeners) fn(true);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== null) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/**
 * A live log (GET /_emulator/requests/stream, /_emulator/pushes/stream) read with fetch() (EventSource
 * cannot send Authorization). Reconnects after 2 s with Last-Event-ID. Returns a function that stops it.
 */
export function streamLog(path, onEntry, onState) {
  const abort = new AbortController();
  let lastId = null;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const h = headers();
        if (lastId !== null) h['last-event-id'] = lastId;
        const res = await fetch(path, { headers: h, signal: abort.signal });
        if (res.status === 401) for (const fn of listeners) fn(true);
        if (!res.ok || !res.body) throw new Error(`${path}: HTTP ${res.status}`);
        onState('live');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('id:')) lastId = line.slice(3).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (data) onEntry(JSON.parse(data));
          }
        }
        if (!stopped) onState('reconnecting');
      } catch (err) {
        if (stopped) return;
        onState('reconnecting', err.message);
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  run();
  return () => {
    stopped = true;
    abort.abort();
  };
}

export const streamJournal = (onEntry, onState) => streamLog('/_emulator/requests/stream', onEntry, onState);
