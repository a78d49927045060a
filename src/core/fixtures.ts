import { readFileSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { newAjv } from './openapi.js';
import { FIXTURES_DIR } from './paths.js';
import type { FixtureSet } from './worlds.js';

export class FixturesError extends Error {
  /** Every bad path, for the control plane's problem details. */
  readonly problems: { path: string; message: string }[];

  constructor(message: string, problems: { path: string; message: string }[] = []) {
    super(message);
    this.problems = problems;
  }
}

let validator: ValidateFunction | undefined;

/**
 * Checks fixtures against `fixtures/schema.json` (every error, not just the first) so that
 * nothing is half-loaded. Throws a FixturesError naming each bad path.
 */
export function validateFixtures(data: unknown, label: string): FixtureSet {
  if (!validator) {
    validator = newAjv({ coerce: false, allErrors: true }).compile(JSON.parse(readFileSync(join(FIXTURES_DIR, 'schema.json'), 'utf8')));
  }
  if (validator(data)) return data as FixtureSet;
  const errors = (validator.errors ?? []).map((e) => ({
    pointer: e.instancePath,
    message: e.keyword === 'additionalProperties' ? `must NOT have additional property '${(e.params as { additionalProperty: string }).additionalProperty}'` : (e.message ?? 'is invalid'),
  }));
  const problems = errors.map((e) => ({ path: `${label}${e.pointer}`, message: e.message }));
  // The source once, then each JSON pointer in it (fixtures/schema.json says what each part holds).
  const lines = errors.map((e) => `  ${e.pointer === '' ? '(the whole file)' : e.pointer}: ${e.message}`);
  throw new FixturesError(`${label} does not match fixtures/schema.json:\n${lines.join('\n')}`, problems);
}

/** Line and column (from 1) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** V8's message for this parse of `text`, without the position or excerpt it may carry. */
function syntaxMessage(err: Error): string {
  return err.message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '');
}

/** Offset of the character JSON.parse stumbles on, or `undefined` when `text` parses. */
function errorOffset(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const at = / at position (\d+)/.exec(message);
    if (at) return Number(at[1]);
    if (message.startsWith('Unexpected end of JSON input')) return text.length;
    return -1;
  }
}

/**
 * A JSON syntax error as `line L, column C: <what>`. V8 gives the offset for most errors, but not
 * for an unexpected token: that one is found as the shortest prefix failing other than by ending early.
 */
export function jsonSyntaxError(text: string, err: Error): string {
  let offset = errorOffset(text) ?? 0;
  if (offset === -1) {
    let lo = 1;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const found = errorOffset(text.slice(0, mid));
      if (found !== undefined && found !== mid && (found === -1 || found < mid)) hi = mid;
      else lo = mid + 1;
    }
    offset = lo - 1;
  }
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}: ${syntaxMessage(err)}`;
}

/** The default fixtures: `fixtures/<slug>.json` for every provider that has one. */
export function defaultFixtures(slugs: string[]): FixtureSet {
  const set: FixtureSet = {};
  for (const slug of slugs) {
    try {
      set[slug] = JSON.parse(readFileSync(join(FIXTURES_DIR, `${slug}.json`), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return set;
}

/** A fixtures file given with `--fixtures`: one JSON object with a section per provider slug. */
export function readFixturesFile(path: string): FixtureSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FixturesError(`cannot read fixtures file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseFixturesFile(path, text);
}

/** The text of a fixtures file, parsed and checked against the schema. */
export function parseFixturesFile(path: string, text: string): FixtureSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FixturesError(`fixtures file ${path} is not valid JSON: ${jsonSyntaxError(text, err as Error)}`);
  }
  return validateFixtures(data, `fixtures file ${path}`);
}

/**
 * Calls `onChange` with the file's text after it changes (debounced; a write of the same text is no
 * change). Watches the folder, not the file: editors save by writing a new file and renaming it.
 */
export function watchFile(path: string, onChange: (text: string) => void, debounceMs = 100): () => void {
  const name = basename(path);
  let last = readText(path);
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    timer = undefined;
    const text = readText(path);
    if (text === undefined || text === last) return;
    last = text;
    onChange(text);
  };
  const watcher = watch(dirname(path), (_event, file) => {
    if (file !== null && file !== name) return;
    clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
  });
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
