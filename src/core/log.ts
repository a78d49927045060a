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
  /** Where lines go. Default: standard output, written asynchronously. */
  stream?: DestinationStream;
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

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Local wall-clock time, `HH:MM:SS.mmm`. */
function clockTime(ms: number): string {
  const d = new Date(ms);
  const milli = d.getMilliseconds();
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/**
 * The emulator's logger and its request lines. The pino logger carries start-up, shutdown and
 * error messages; a request line is one call here, with no logger per request (Fastify's child
 * loggers are turned off in app.ts). Lines go out asynchronously (pino's SonicBoom destination):
 * under load many lines leave in one write.
 */
export class EmulatorLog {
  readonly logger: Logger;
  readonly #out: DestinationStream;
  readonly #format: LogFormat;
  readonly #c: Colorette;
  readonly #info: boolean;
  readonly #debug: boolean;

  constructor(settings: LogSettings) {
    this.#out = settings.stream ?? pino.destination({ dest: 1, sync: false });
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

  /** Whether request lines of this level are written. */
  enabled(level: 'info' | 'debug'): boolean {
    return level === 'info' ? this.#info : this.#debug;
  }

  /** One line for one request (provider requests at `info`, the emulator's own traffic at `debug`). */
  request(r: RequestLine, level: 'info' | 'debug' = 'info'): void {
    if (level === 'info' ? !this.#info : !this.#debug) return;
    const url = redactUrl(r.url);
    if (this.#format === 'json') {
      this.logger[level](
        {
          world: r.world,
          provider: r.provider,
          operationId: r.operationId,
          method: r.method,
          url,
          status: r.status,
          durationMs: r.durationMs,
          fault: r.fault,
          rateLimited: r.rateLimited,
          proxied: r.proxied,
        },
        'request',
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
