import { hostname } from 'node:os';
import { createColors, type Colorette } from 'colorette';
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactUrl } from './redact.js';

/** `pretty`: one readable line per request, for a person; `json`: one pino JSON object per line, for log tooling. */
export type LogFormat = 'pretty' | 'json';

/** What the console says of one request (the same fields in both formats). */
export interface RequestLine {
  world: string | null;
  /** The provider's slug, or for the emulator's own traffic `control`, `dashboard` or `docs`. */
  provider: string;
  operationId: string | null;
  method: string;
  /** The request target; secrets in the query string are redacted before it is written. */
  url: string;
  /** 0: the connection was dropped (an injected fault). */
  status: number;
  durationMs: number;
  fault: string | null;
  rateLimited: boolean;
  proxied: boolean;
}

export interface LogSettings {
  level: string;
  format: LogFormat;
  /** Colours in the pretty format (a terminal only). */
  colors: boolean;
  /** Where lines go, as they are written. Default: `fd`, asynchronously. */
  stream?: DestinationStream;
  /** The file descriptor written to asynchronously when there is no `stream` (default 1, standard output). */
  fd?: number;
}

/** Whether to colour the console: `FORCE_COLOR` / `NO_COLOR` first, else only on a terminal that is not dumb. */
export function colorsWanted(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/**
 * The console's time: the wall clock of the person reading it, not a world's clock (worlds may be
 * moved or frozen; the journal and the answers carry the world's time).
 */
// eslint-disable-next-line no-restricted-properties
export const wallClock = (): number => Date.now();

/** The CLI's console: the format asked for, else pretty on a terminal and JSON otherwise; colours only when pretty. */
export function consoleSettings(format: LogFormat | undefined, isTTY: boolean, env: NodeJS.ProcessEnv): { format: LogFormat; colors: boolean } {
  const chosen = format ?? (isTTY ? 'pretty' : 'json');
  return { format: chosen, colors: chosen === 'pretty' && colorsWanted(isTTY, env) };
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

let clockSecond = NaN;
let clockPrefix = '';

/** Local wall-clock time, `HH:MM:SS.mmm` (the part up to the second built once a second). */
function clockTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== clockSecond) {
    const d = new Date(ms);
    clockSecond = second;
    clockPrefix = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
  }
  const milli = ms - second * 1000;
  return `${clockPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/** Characters a JSON string cannot hold as they are (quote, backslash, controls, lone surrogate halves). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string (or null) as JSON: as it is between quotes when nothing in it needs escaping. */
const jsonString = (text: string | null): string => (text === null ? 'null' : NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);

type Boom = ReturnType<typeof pino.destination>;

const batches = new Set<LineBatch>();
let exitHook = false;

/**
 * Lines gathered for one turn of the event loop and handed to the asynchronous destination in one
 * write. SonicBoom measures its whole pending chunk on every write (a `Buffer.byteLength` of up to
 * 16 KB), several microseconds a line under load; a line appended here costs a string append.
 */
class LineBatch implements DestinationStream {
  readonly #out: Boom;
  #pending = '';
  #scheduled = false;

  constructor(out: Boom) {
    this.#out = out;
    batches.add(this);
    if (!exitHook) {
      exitHook = true;
      // What is still pending when the process exits is written synchronously.
      process.once('exit', () => {
        for (const batch of batches) batch.flushSync();
      });
    }
  }

  write(line: string): void {
    this.#pending += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#out.write(text);
  };

  flushSync(): void {
    this.#flush();
    try {
      this.#out.flushSync();
    } catch {
      // Not open yet, or already closed: nothing more can be written.
    }
  }

  close(): void {
    this.flushSync();
    batches.delete(this);
  }
}

/**
 * The emulator's logger and its request lines. The pino logger carries start-up, shutdown and
 * error messages; a request line is one call here, with no logger per request (Fastify's child
 * loggers are turned off in app.ts). Lines go out asynchronously, those of one turn of the event
 * loop in one write (through pino's SonicBoom destination).
 */
export class EmulatorLog {
  readonly logger: Logger;
  readonly #out: DestinationStream;
  readonly #batch: LineBatch | undefined;
  readonly #format: LogFormat;
  readonly #c: Colorette;
  readonly #info: boolean;
  readonly #debug: boolean;
  /** `,"pid":…,"hostname":…`, as pino writes them. */
  readonly #base = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;

  constructor(settings: LogSettings) {
    this.#batch = settings.stream ? undefined : new LineBatch(pino.destination({ dest: settings.fd ?? 1, sync: false }));
    this.#out = settings.stream ?? this.#batch!;
    this.#format = settings.format;
    this.#c = createColors({ useColor: settings.colors });
    const options = {
      level: settings.level,
      // Fastify's own error lines may carry a request: its target is shown redacted, like the journal's.
      serializers: { req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url === undefined ? undefined : redactUrl(req.url) }) },
    };
    this.logger = pino(options, settings.format === 'json' ? this.#out : { write: (line: string) => this.#prettyLine(line) });
    this.#info = this.logger.isLevelEnabled('info');
    this.#debug = this.logger.isLevelEnabled('debug');
  }

  /** Writes what is pending now (on close; at exit it happens by itself). */
  close(): void {
    this.#batch?.close();
  }

  /** Whether request lines of this level are written. */
  enabled(level: 'info' | 'debug'): boolean {
    return level === 'info' ? this.#info : this.#debug;
  }

  /** One line for one request (provider requests at `info`, the emulator's own traffic at `debug`). */
  request(r: RequestLine, level: 'info' | 'debug' = 'info'): void {
    if (level === 'info' ? !this.#info : !this.#debug) return;
    const url = redactUrl(r.url);
    if (this.#format === 'json') {
      // pino's line shape, built here: this is every request's cost, and Node 20's JSON.stringify
      // (or pino's per-field serialisation) costs several times a template of known-safe strings.
      this.#out.write(
        `{"level":${level === 'info' ? 30 : 20},"time":${wallClock()}${this.#base},"world":${jsonString(r.world)},"provider":${jsonString(r.provider)},` +
          `"operationId":${jsonString(r.operationId)},"method":${jsonString(r.method)},"url":${jsonString(url)},"status":${r.status},` +
          `"durationMs":${r.durationMs},"fault":${jsonString(r.fault)},"rateLimited":${r.rateLimited},"proxied":${r.proxied},"msg":"request"}\n`,
      );
      return;
    }
    const c = this.#c;
    const status = r.status === 0 ? c.red('dropped') : r.status >= 500 ? c.red(String(r.status)) : r.status >= 400 ? c.yellow(String(r.status)) : c.green(String(r.status));
    let line = `${c.dim(clockTime(wallClock()))} ${c.cyan(r.world ?? '-')} ${c.bold(r.provider)} ${r.operationId ?? '-'} ${r.method} ${url} ${status} ${c.dim(`${r.durationMs.toFixed(2)} ms`)}`;
    if (r.fault !== null) line += ` ${c.magenta(`FAULT ${r.fault}`)}`;
    if (r.rateLimited) line += ` ${c.yellow('RATE-LIMITED')}`;
    if (r.proxied) line += ` ${c.blue('PROXIED')}`;
    this.#out.write(`${line}\n`);
  }

  /** A pino line (start-up, errors) in the pretty format: time, level, message, other fields as JSON. */
  #prettyLine(json: string): void {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(json) as Record<string, unknown>;
    } catch {
      this.#out.write(json);
      return;
    }
    const { level, time, msg, pid: _pid, hostname: _hostname, err, ...rest } = entry;
    const c = this.#c;
    const name = LEVEL_NAMES[level as number] ?? String(level);
    const label = (level as number) >= 50 ? c.red(name) : (level as number) >= 40 ? c.yellow(name) : c.dim(name);
    let line = `${c.dim(clockTime(typeof time === 'number' ? time : wallClock()))} ${label} ${String(msg ?? '')}`;
    if (Object.keys(rest).length > 0) line += ` ${c.dim(JSON.stringify(rest))}`;
    const stack = (err as { stack?: unknown } | undefined)?.stack;
    if (typeof stack === 'string') line += `\n${stack}`;
    this.#out.write(`${line}\n`);
  }
}
