import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type autocannon from 'autocannon';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SERVER = new URL('server.js', import.meta.url).pathname;
export const LOADGEN = new URL('loadgen.js', import.meta.url).pathname;
export const CLI = new URL('../dist/src/cli.js', import.meta.url).pathname;
export const BENCH_ROOM = 'benchroom0000000000000001';
/** Node flags of every measured server, the bare baseline too: those `npm start` runs the CLI with. */
export const NODE_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const command = /\bnode((?: --\S+)*) dist\/src\/cli\.js/.exec(start);
  if (!command) throw new Error(`package.json start script does not run dist/src/cli.js with node: ${start}`);
  return command[1].split(' ').filter(Boolean);
})();

// Default fixtures (fixtures/README.md).
export const ADMIN = { 'x-user-id': 'rbAXPnMktTFbNpwtJ', 'x-auth-token': 'Ad9mN3qR7sT1vW5xY2zB6cD0eF4gH8iJ-kL_mP3oQ7r' };
export const RC_CALL = '697866d5c8b053302078137a';
export const RC_ROOM = '674eca3e43725ce31dd9a2e8';
export const SW_AUTH = {
  authorization: `Basic ${Buffer.from('72a7ce5a-0281-4be1-a238-49fc41fafb42:PT72ae7e4b66c6ed90f96fdbc50eb45e0d1b5007cc563bc0d5').toString('base64')}`,
};
export const SW_CONFERENCE = 'c22d7124-5a01-49fe-8da0-46bec8e75f12';
export const DT_APP = { appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' };
export const DT_CONFERENCE = '6741c3a09f1e2d3c4b5a6978';

export interface ServerSpec {
  kind: 'bare' | 'emulator';
  db?: string;
  rateLimits?: boolean;
  roomCalls?: number;
  journalSize?: number;
  /** The CLI's default logging (level info, one line per request) in this format, to a file as a redirected stdout. */
  logging?: 'json' | 'pretty';
}

export interface Probe {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Spawn to the first 200 of the probe, ms. */
  startupMs: number;
  rss(): Promise<number>;
  close(): Promise<void>;
}

async function firstOk(url: string, probe: Probe): Promise<void> {
  const res = await fetch(url + probe.path, { method: probe.method ?? 'GET', headers: probe.headers, body: probe.body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${probe.method ?? 'GET'} ${probe.path}: ${res.status}`);
}

/** Starts bench/server.js in a child process and times it from spawn to the first 200 of `probe`. */
export async function startServer(spec: ServerSpec, probe: Probe, nodeArgs: string[] = []): Promise<RunningServer> {
  const started = performance.now();
  // A logging server's standard output is a file (as `vconf-emulator > log` or a container's log), removed at close.
  const logDir = spec.logging ? mkdtempSync(join(tmpdir(), 'vconf-bench-log-')) : undefined;
  const logFd = logDir ? openSync(join(logDir, 'stdout.log'), 'w') : undefined;
  const child = spawn(process.execPath, [...NODE_FLAGS, '--expose-gc', ...nodeArgs, SERVER, JSON.stringify(spec)], {
    cwd: ROOT,
    stdio: ['ignore', logFd ?? 'inherit', 'inherit', 'ipc'],
  });
  if (logFd !== undefined) closeSync(logFd);
  if (logDir) child.once('exit', () => rmSync(logDir, { recursive: true, force: true }));
  const [msg] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => Promise.reject(new Error('server exited')))])) as [{ port: number }];
  const url = `http://127.0.0.1:${msg.port}`;
  await firstOk(url, probe);
  const startupMs = performance.now() - started;
  return {
    url,
    child,
    startupMs,
    rss: async () => {
      child.send('rss');
      for (;;) {
        const [m] = (await once(child, 'message')) as [{ rss?: number }];
        if (m.rss !== undefined) return m.rss;
      }
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}

/**
 * The built CLI, from spawn to the first 200 of `probe`. (Call {@link warmClient} first: the
 * first `fetch` of a process loads its HTTP client, which is not the emulator's start-up.)
 */
export async function cliStartup(args: string[], probe: Probe): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, CLI, '--port', '0', '--log-level', 'silent', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  while (!/listening on (http:\/\/\S+)/.test(out)) {
    const [chunk] = (await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => Promise.reject(new Error('CLI exited')))])) as [string];
    out += chunk;
  }
  await firstOk(/listening on (http:\/\/\S+)/.exec(out)![1], probe);
  const ms = performance.now() - started;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  return ms;
}

/** Loads this process's `fetch` (undici) before anything is timed with it. */
export async function warmClient(): Promise<void> {
  const server = createServer((_req, res) => res.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}/`)).arrayBuffer();
  server.close();
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections?: number;
  /** Seconds. */
  duration?: number;
  /** Total requests instead of a duration. */
  amount?: number;
  /** Seconds of load before the measured run, by the same load generator (its JIT warmed up too). */
  warmup?: number;
  headers?: Record<string, string>;
  requests: LoadRequest[];
}

/**
 * An autocannon request as JSON (it crosses to bench/loadgen.js). `captureCallId` keeps the
 * response's `data.callId` for the connection; the JSON string `"{{callId}}"` in a later body is replaced by it.
 */
export type LoadRequest = Pick<autocannon.Request, 'method' | 'path' | 'headers'> & { body?: string; captureCallId?: boolean };

/** One autocannon run, in a load generator process of its own (bench/loadgen.js). */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const { connections = 50, duration = 8, ...rest } = opts;
  const child = spawn(process.execPath, [LOADGEN, JSON.stringify({ connections, ...(opts.amount ? {} : { duration }), ...rest })], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let result: LoadResult | undefined;
  child.on('message', (m: LoadResult) => (result = m));
  // 'close' comes after the IPC channel is drained ('exit' may come before its last message).
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0 || !result) throw new Error(`load generator ${signal ? `killed by ${signal}` : `exited with ${code}`}${result ? '' : ' without a result'}`);
  // JSON has no NaN: a run without a response sends null percentiles.
  return { ...result, p50: result.p50 ?? NaN, p99: result.p99 ?? NaN };
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

export const mb = (bytes: number) => bytes / 1024 / 1024;
