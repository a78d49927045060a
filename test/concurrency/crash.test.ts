// kill -9 under write load, with a file database: every write that was answered 2xx is still there
// after a restart, and the file passes PRAGMA integrity_check. The CLI under test is the built one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { AUTH } from '../providers/signalwire/fixtures.js';
import { ADMIN, UI_TEST } from '../providers/rocketchat/fixtures.js';

const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const WORKERS = 32;
const KILL_AFTER = 400;

function start(db: string) {
  const child = spawn(process.execPath, [CLI, '--db', db, '--port', '0', '--rate-limits', 'off', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const url = (async () => {
    let out = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) return match[1];
    }
    throw new Error(`the CLI exited before listening: ${out}`);
  })();
  return { child, exited, url };
}

t.test('kill -9 during concurrent writes loses no acknowledged write and leaves a sound file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'emulator.db');

  const first = start(db);
  t.teardown(() => first.child.kill('SIGKILL'));
  const base = await first.url;
  const conferences: string[] = [];
  const calls: string[] = [];
  let acked = 0;
  let killed = false;

  const worker = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const signalwire = (w + i) % 2 === 0;
      try {
        const res = await fetch(signalwire ? `${base}/api/video/conferences` : `${base}/api/v1/video-conference.start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(signalwire ? AUTH : ADMIN) },
          body: JSON.stringify(signalwire ? { display_name: `crash ${w}-${i}` } : { roomId: UI_TEST, title: `crash ${w}-${i}` }),
        });
        const body = (await res.json()) as { id?: string; data?: { callId: string } };
        if (res.status >= 200 && res.status < 300) {
          if (signalwire) conferences.push(body.id!);
          else calls.push(body.data!.callId);
          if (++acked === KILL_AFTER) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      } catch {
        return; // the connection died with the server: this write was never acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  const [, signal] = await first.exited;
  t.equal(signal, 'SIGKILL', 'killed mid-load');
  t.ok(acked >= KILL_AFTER, `${acked} writes acknowledged before the kill`);

  const second = start(db);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await second.url;
  const missing: string[] = [];
  for (const id of conferences) {
    const res = await fetch(`${again}/api/video/conferences/${id}`, { headers: AUTH });
    await res.arrayBuffer();
    if (res.status !== 200) missing.push(`conference ${id}: ${res.status}`);
  }
  for (const id of calls) {
    const res = await fetch(`${again}/api/v1/video-conference.info?callId=${id}`, { headers: ADMIN });
    await res.arrayBuffer();
    if (res.status !== 200) missing.push(`call ${id}: ${res.status}`);
  }
  t.same(missing, [], `all ${conferences.length} conferences and ${calls.length} calls acknowledged before the kill are there`);
  const list = await fetch(`${again}/api/v1/video-conference.list?roomId=${UI_TEST}&count=1`, { headers: ADMIN });
  const { total } = (await list.json()) as { total: number };
  t.ok(total >= calls.length + 2, 'the room call count covers every acknowledged start');

  second.child.kill('SIGTERM');
  const [code] = await second.exited;
  t.equal(code, 0, 'the restarted server shuts down cleanly');
  const file = new Database(db, { readonly: true });
  t.teardown(() => file.close());
  t.equal(file.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check');
  t.equal((file.pragma('foreign_key_check') as unknown[]).length, 0, 'no dangling foreign keys');
});
