import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './app.js';
import { normalizePublicUrl } from './core/base-url.js';

export const USAGE = `usage: vconf-emulator [--port 4010] [--host 127.0.0.1] [--db :memory:] [--fixtures <file>]
                     [--rate-limits on|off] [--rate-limit-scale 1] [--log-level info] [--journal-size 1000]
                     [--admin-token <token>] [--control-access loopback|any] [--public-url <url>]
Each flag can also be set with an environment variable: VCONF_PORT, VCONF_HOST, VCONF_DB,
VCONF_FIXTURES, VCONF_RATE_LIMITS, VCONF_RATE_LIMIT_SCALE, VCONF_LOG_LEVEL, VCONF_JOURNAL_SIZE,
VCONF_ADMIN_TOKEN, VCONF_CONTROL_ACCESS, VCONF_PUBLIC_URL.
Flags win over the environment.`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class UsageError extends Error {}

export interface CliOptions extends EmulatorOptions {
  port: number;
  host: string;
}

/** Flags and environment → options. Throws UsageError with a one-line message on bad input. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        fixtures: { type: 'string' },
        'rate-limits': { type: 'string' },
        'rate-limit-scale': { type: 'string' },
        'log-level': { type: 'string' },
        'journal-size': { type: 'string' },
        'admin-token': { type: 'string' },
        'public-url': { type: 'string' },
        'control-access': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (values.help) return 'help';
  const pick = (flag: string, envName: string) => (values[flag] as string | undefined) ?? env[envName];

  const portText = pick('port', 'VCONF_PORT') ?? '4010';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`invalid port "${portText}": expected an integer from 0 to 65535`);
  const rateLimits = pick('rate-limits', 'VCONF_RATE_LIMITS') ?? 'on';
  if (rateLimits !== 'on' && rateLimits !== 'off') throw new UsageError(`invalid --rate-limits "${rateLimits}": expected on or off`);
  const scaleText = pick('rate-limit-scale', 'VCONF_RATE_LIMIT_SCALE') ?? '1';
  const rateLimitScale = Number(scaleText);
  if (!/^\d+(\.\d+)?$/.test(scaleText) || !(rateLimitScale > 0)) {
    throw new UsageError(`invalid --rate-limit-scale "${scaleText}": expected a number greater than 0`);
  }
  const logLevel = pick('log-level', 'VCONF_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`invalid --log-level "${logLevel}": expected one of ${LOG_LEVELS.join(', ')}`);
  const journalText = pick('journal-size', 'VCONF_JOURNAL_SIZE') ?? '1000';
  if (!/^\d+$/.test(journalText) || Number(journalText) > 10_000_000) {
    throw new UsageError(`invalid --journal-size "${journalText}": expected an integer from 0 to 10000000`);
  }
  const adminToken = pick('admin-token', 'VCONF_ADMIN_TOKEN');
  if (adminToken === '') throw new UsageError('invalid --admin-token "": expected a non-empty token');
  const publicUrlText = pick('public-url', 'VCONF_PUBLIC_URL');
  const publicUrl = publicUrlText === undefined ? undefined : normalizePublicUrl(publicUrlText);
  if (publicUrlText !== undefined && publicUrl === undefined) {
    throw new UsageError(`invalid --public-url "${publicUrlText}": expected an absolute http or https URL`);
  }
  const controlAccess = pick('control-access', 'VCONF_CONTROL_ACCESS') ?? 'loopback';
  if (controlAccess !== 'loopback' && controlAccess !== 'any') {
    throw new UsageError(`invalid --control-access "${controlAccess}": expected loopback or any`);
  }
  const db = pick('db', 'VCONF_DB') ?? ':memory:';
  if (db === '') throw new UsageError('invalid --db "": expected :memory: or a file path');
  return {
    port,
    host: pick('host', 'VCONF_HOST') ?? '127.0.0.1',
    db,
    fixtures: pick('fixtures', 'VCONF_FIXTURES'),
    rateLimits: rateLimits === 'on',
    rateLimitScale,
    logLevel,
    journalSize: Number(journalText),
    adminToken,
    publicUrl,
    controlAccess,
  };
}
