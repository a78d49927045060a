import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './paths.js';
import type { FixtureSet } from './worlds.js';

export class FixturesError extends Error {}

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
export function readFixturesFile(path: string, slugs: string[]): FixtureSet {
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
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new FixturesError(`fixtures file ${path} must hold a JSON object`);
  const unknown = Object.keys(data).filter((k) => !slugs.includes(k));
  if (unknown.length > 0) throw new FixturesError(`fixtures file ${path} has unknown sections: ${unknown.join(', ')} (expected ${slugs.join(', ')})`);
  return data as FixtureSet;
}
