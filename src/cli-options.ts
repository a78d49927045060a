import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { EmulatorOptions } from './app.js';
import { normalizePublicUrl } from './core/base-url.js';
import { jsonSyntaxError } from './core/fixtures.js';
import { providers } from './providers/index.js';

const SLUGS = providers.map((p) => p.slug);

export class UsageError extends Error {}

export interface CliOptions extends EmulatorOptions {
  port: number;
  host: string;
  db: string;
  rateLimits: boolean;
  rateLimitScale: number;
  logLevel: string;
  journalSize: number;
  controlAccess: 'loopback' | 'any';
  watchFixtures: boolean;
}

/** Thrown by an option's parser: what was expected, completed into a message naming the source. */
class Invalid extends Error {}

interface OptionDef {
  /** The flag without `--`; also the option's key in a config file. */
  flag: string;
  /** Placeholder in the usage text; absent for a switch (a flag without a value). */
  arg?: string;
  /** The value when no source sets the option. */
  fallback?: string;
  /** A file path: relative paths in a config file count from the file's folder. */
  path?: boolean;
  /**
   * Repeatable: each flag adds a value; the environment variable and the config file give the list
   * comma-separated (a config file may also give an array). The values reach `parse` joined by commas.
   */
  multiple?: boolean;
  /** Text (a flag's value, a variable, a config value as text) → option value; throws Invalid. */
  parse: (text: string) => unknown;
  /** CliOptions key. */
  key: keyof CliOptions;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const oneOf = (...choices: string[]) => (text: string) => {
  if (!choices.includes(text)) throw new Invalid(choices.length === 2 ? `expected ${choices[0]} or ${choices[1]}` : `expected one of ${choices.join(', ')}`);
  return text;
};

const integer = (max: number) => (text: string) => {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new Invalid(`expected an integer from 0 to ${max}`);
  return Number(text);
};

const nonEmpty = (expected: string) => (text: string) => {
  if (text === '') throw new Invalid(expected);
  return text;
};

/** `slug=url,…` → `{ slug: url }`: which providers are forwarded to a real server. */
function upstreams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const at = item.indexOf('=');
    const slug = item.slice(0, at);
    if (at <= 0 || !SLUGS.includes(slug)) throw new Invalid(`expected <provider>=<base URL>, the provider one of ${SLUGS.join(', ')}`);
    const url = normalizePublicUrl(item.slice(at + 1));
    if (url === undefined) throw new Invalid(`expected an absolute http or https URL after ${slug}=`);
    if (slug in out) throw new Invalid(`${slug} is given twice`);
    out[slug] = url;
  }
  return out;
}

const SWITCH_VALUES: Record<string, boolean> = { on: true, true: true, '1': true, off: false, false: false, '0': false };

/** Every CLI option, in usage order: flag, environment variable (`VCONF_` + flag) and config key in one place. */
const OPTIONS: OptionDef[] = [
  { flag: 'port', key: 'port', arg: '4010', fallback: '4010', parse: (text) => {
    if (!/^\d+$/.test(text) || Number(text) > 65535) throw new Invalid('a port is a whole number from 0 to 65535 (0 picks a free one)');
    return Number(text);
  } },
  { flag: 'host', key: 'host', arg: '127.0.0.1', fallback: '127.0.0.1', parse: nonEmpty('expected a host name or address') },
  { flag: 'db', key: 'db', arg: ':memory:', fallback: ':memory:', path: true, parse: nonEmpty('expected :memory: or a file path') },
  { flag: 'fixtures', key: 'fixtures', arg: '<file>', path: true, parse: nonEmpty('expected a file path') },
  { flag: 'watch-fixtures', key: 'watchFixtures', fallback: 'off', parse: (text) => {
    const value = SWITCH_VALUES[text];
    if (value === undefined) throw new Invalid('expected on or off');
    return value;
  } },
  { flag: 'rate-limits', key: 'rateLimits', arg: 'on|off', fallback: 'on', parse: (text) => oneOf('on', 'off')(text) === 'on' },
  { flag: 'rate-limit-scale', key: 'rateLimitScale', arg: '1', fallback: '1', parse: (text) => {
    if (!/^\d+(\.\d+)?$/.test(text) || !(Number(text) > 0)) throw new Invalid('expected a number greater than 0');
    return Number(text);
  } },
  { flag: 'log-level', key: 'logLevel', arg: 'info', fallback: 'info', parse: oneOf(...LOG_LEVELS) },
  // No fallback: the CLI picks pretty on a terminal, JSON otherwise.
  { flag: 'log-format', key: 'logFormat', arg: 'pretty|json', parse: oneOf('pretty', 'json') },
  { flag: 'journal-size', key: 'journalSize', arg: '1000', fallback: '1000', parse: integer(10_000_000) },
  { flag: 'admin-token', key: 'adminToken', arg: '<token>', parse: nonEmpty('expected a non-empty token') },
  { flag: 'control-access', key: 'controlAccess', arg: 'loopback|any', fallback: 'loopback', parse: oneOf('loopback', 'any') },
  { flag: 'public-url', key: 'publicUrl', arg: '<url>', parse: (text) => {
    const url = normalizePublicUrl(text);
    if (url === undefined) throw new Invalid('expected an absolute http or https URL');
    return url;
  } },
  { flag: 'upstream', key: 'upstream', arg: '<provider>=<url>', multiple: true, parse: upstreams },
  { flag: 'record', key: 'record', arg: '<file.har>', path: true, parse: nonEmpty('expected a file path') },
];

const envName = (flag: string) => `VCONF_${flag.toUpperCase().replace(/-/g, '_')}`;

/** The config files looked for in the working folder, in this order. */
export const CONFIG_FILES = ['vconf-emulator.config.json', 'vconf-emulator.config.yaml', 'vconf-emulator.config.yml'];

/** Words joined into lines of at most `width` characters, every line after the first indented. */
function wrap(words: string[], indent: string, width = 100): string {
  const lines = [''];
  for (const word of words) {
    const line = lines[lines.length - 1];
    if (line.trim() !== '' && line.length + 1 + word.length > width) lines.push(indent + word);
    else lines[lines.length - 1] = line === '' ? word : `${line} ${word}`;
  }
  return lines.join('\n');
}

export const USAGE = [
  wrap(['usage: vconf-emulator', '[--version]', '[--config <file>]', ...OPTIONS.map((o) => `[--${o.flag}${o.arg ? ` ${o.arg}` : ''}]`)], '                     '),
  wrap(['Each option can also be set with an environment variable:', ...OPTIONS.map((o) => `${envName(o.flag)},`), 'VCONF_CONFIG.'], ''),
  'A config file: --config <file>, else vconf-emulator.config.json, .yaml or .yml in the working folder,',
  'a JSON or YAML object keyed by the flag names ("port": 4010, "rate-limits": "off", "watch-fixtures": true).',
  'Relative paths in it count from its folder. Order: flag > environment > config file > default.',
  'Check the emulator against a recording of the real provider (--upstream with --record):',
  '  vconf-emulator verify <recording.har> [--fixtures <file>] [--json]',
].join('\n');

type Sources = { flags: Record<string, string | boolean | string[] | undefined>; env: NodeJS.ProcessEnv; file?: ConfigFile };

interface ConfigFile {
  path: string;
  values: Record<string, unknown>;
}

function findConfigFile(explicit: string | undefined, cwd: string): ConfigFile | undefined {
  let path: string;
  if (explicit !== undefined) {
    if (explicit === '') throw new UsageError('invalid --config "": expected a file path');
    path = resolve(cwd, explicit);
  } else {
    const found = CONFIG_FILES.map((name) => join(cwd, name)).filter((p) => existsSync(p));
    if (found.length === 0) return undefined;
    if (found.length > 1) throw new UsageError(`more than one config file: ${found.join(', ')}; keep one, or choose with --config`);
    path = found[0];
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    if (path.endsWith('.json')) data = JSON.parse(text);
    // A YAML file of comments only sets nothing (js-yaml refuses a document without content).
    else data = text.replace(/#.*$/gm, '').trim() === '' ? {} : loadYaml(text, { schema: CORE_SCHEMA, filename: path });
  } catch (err) {
    if (path.endsWith('.json')) throw new UsageError(`config file ${path} is not valid JSON: ${jsonSyntaxError(text, err as Error)}`);
    throw new UsageError(`config file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`config file ${path}: expected an object of options`);
  for (const key of Object.keys(data)) {
    if (!OPTIONS.some((o) => o.flag === key)) {
      throw new UsageError(`config file ${path}: unknown key "${key}"; the keys are the flag names: ${OPTIONS.map((o) => o.flag).join(', ')}`);
    }
  }
  return { path, values: data as Record<string, unknown> };
}

/** One option from the first source that sets it. */
function resolveOption(def: OptionDef, { flags, env, file }: Sources): unknown {
  const flagValue = flags[def.flag];
  const envValue = env[envName(def.flag)];
  let text: string | undefined;
  let from: 'flag' | 'env' | 'file' | 'default' = 'default';
  if (flagValue !== undefined) {
    text = typeof flagValue === 'boolean' ? (flagValue ? 'on' : 'off') : Array.isArray(flagValue) ? flagValue.join(',') : flagValue;
    from = 'flag';
  } else if (envValue !== undefined) {
    text = envValue;
    from = 'env';
  } else if (file && def.flag in file.values) {
    const value = file.values[def.flag];
    const switchLike = def.arg === undefined || def.arg === 'on|off';
    if (typeof value === 'string') text = value;
    else if (def.multiple && Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join(',');
    else if (def.multiple && typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')) {
      text = Object.entries(value).map(([k, v]) => `${k}=${v as string}`).join(',');
    } else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'boolean' && switchLike) text = value ? 'on' : 'off';
    else {
      const expected = switchLike ? 'true or false' : def.multiple ? 'a string, a list of strings or an object of strings' : 'a string or a number';
      throw new UsageError(`config file ${file.path}: invalid "${def.flag}" ${JSON.stringify(value)}: expected ${expected}`);
    }
    from = 'file';
  } else {
    text = def.fallback;
  }
  if (text === undefined) return undefined;
  try {
    const value = def.parse(text);
    if (from === 'file' && def.path && typeof value === 'string' && value !== ':memory:' && !isAbsolute(value)) return resolve(dirname(file!.path), value);
    return value;
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    if (from === 'file') throw new UsageError(`config file ${file!.path}: invalid "${def.flag}" ${JSON.stringify(file!.values[def.flag])}: ${err.message}`);
    throw new UsageError(`invalid ${from === 'env' ? envName(def.flag) : `--${def.flag}`} "${text}": ${err.message}`);
  }
}

const VALUE_FLAGS = new Set([...OPTIONS.filter((o) => o.arg !== undefined).map((o) => `--${o.flag}`), '--config']);

/**
 * `--port -1` as `--port=-1`: node's parser reads a value starting with a dash as an option and
 * refuses it as ambiguous; a negative number after a flag that takes a value is that value (and
 * its parser says what is wrong with it).
 */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    if (VALUE_FLAGS.has(argv[i]) && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** node's parseArgs errors, said in a line. */
function argsError(err: Error): string {
  const message = err.message.split('\n')[0];
  let m: RegExpExecArray | null;
  if ((m = /^Unknown option '([^']*)'/.exec(message))) return `unknown option ${m[1]}`;
  if ((m = /^Option '(-[^ ']*)(?: <value>)?' argument missing/.exec(message))) return `${m[1]} needs a value`;
  if ((m = /^Option '(-[^ ']*)(?: <value>)?' argument is ambiguous/.exec(message))) return `${m[1]} needs a value (one starting with "-" is written ${m[1]}=<value>)`;
  if ((m = /^Option '(-[^ ']*)' does not take an argument/.exec(message))) return `${m[1]} takes no value`;
  if ((m = /^Unexpected argument '([^']*)'/.exec(message))) return `unexpected argument "${m[1]}": every option is a --flag`;
  return message;
}

/**
 * Flags, environment and config file → options (flag > env > file > default). `cwd` is where a
 * config file is looked for. Throws UsageError with a one-line message on bad input.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): CliOptions | 'help' | 'version' {
  let flags: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values: flags } = parseArgs({
      args: joinNegativeValues(argv),
      options: {
        ...Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: o.arg === undefined ? ('boolean' as const) : ('string' as const), multiple: o.multiple === true }])),
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(argsError(err as Error));
  }
  if (flags.help) return 'help';
  if (flags.version) return 'version';
  const file = findConfigFile((flags.config as string | undefined) ?? env.VCONF_CONFIG, cwd);
  const options: Record<string, unknown> = {};
  for (const def of OPTIONS) options[def.key] = resolveOption(def, { flags, env, file });
  if (options.record !== undefined && Object.keys((options.upstream as Record<string, string> | undefined) ?? {}).length === 0) {
    throw new UsageError('--record needs an upstream (--upstream, VCONF_UPSTREAM or "upstream" in the config file): only proxied exchanges are recorded');
  }
  if (options.watchFixtures && options.fixtures === undefined) {
    throw new UsageError('--watch-fixtures needs a fixtures file (--fixtures, VCONF_FIXTURES or "fixtures" in the config file)');
  }
  return options as unknown as CliOptions;
}
