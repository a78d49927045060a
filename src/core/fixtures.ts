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
  const problems = (validator.errors ?? []).map((e) => ({
    path: `${label}${e.instancePath}`,
    message: e.keyword === 'additionalProperties' ? `must NOT have additional property '${(e.params as { additionalProperty: string }).additionalProperty}'` : (e.message ?? 'is invalid'),
  }));
  throw new FixturesError(`${label} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
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
    throw new FixturesError(`fixtures file ${path} is not valid JSON: ${(err as Error).message}`);
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
