import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FixturesError(`fixtures file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return validateFixtures(data, `fixtures file ${path}`);
}
