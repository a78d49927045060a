import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { loadSpec } from '../../src/core/openapi.js';

/*
 * openapi/rocketchat.yaml carries the request schemas of Rocket.Chat's own validators, from
 * `@rocket.chat/rest-typings` (8.8.1): the server's ajv rules, and so its messages. The package's
 * dist is ES modules without file extensions (it is bundled, not run by Node as is), so each
 * schema literal is read out of its file and evaluated alone, then compared with the spec's schema
 * stripped of documentation keys.
 */
const require = createRequire(import.meta.url);
const DIST = join(dirname(require.resolve('@rocket.chat/rest-typings/package.json')), 'dist', 'v1', 'videoConference');

function typingsSchema(file: string): { schema: Record<string, unknown>; ajv: string } {
  const text = readFileSync(join(DIST, `${file}.js`), 'utf8');
  const literal = /const \w+Schema = (\{[\s\S]*?\n\});\n/.exec(text);
  const compiled = /export const \w+ = (ajv|ajvQuery)\.compile\(/.exec(text);
  if (!literal || !compiled) throw new Error(`${file}: no schema literal`);
  // Through JSON: the evaluated object belongs to another realm.
  return { schema: JSON.parse(JSON.stringify(runInNewContext(`(${literal[1]})`))) as Record<string, unknown>, ajv: compiled[1] };
}

const DOC_KEYS = new Set(['description', 'example', 'examples']);
function validationKeys(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(validationKeys);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !DOC_KEYS.has(key))
      .map(([key, value]) => [key, validationKeys(value)]),
  );
}

t.test('the spec validates each video-conference request with rest-typings 8.8.1 schemas', async (t) => {
  t.equal((require('@rocket.chat/rest-typings/package.json') as { version: string }).version, '8.8.1');
  const spec = await loadSpec('rocketchat', new URL('../../openapi/rocketchat.yaml', import.meta.url).pathname);
  const paths = spec.document.paths as Record<string, Record<string, any>>;
  const body = (path: string) => {
    const requestBody = paths[path].post.requestBody;
    t.equal(requestBody['x-coerce-types'], true, `${path}: the body is coerced, as the server's ajv does`);
    return requestBody.content['application/json'].schema;
  };
  const query = (path: string) => {
    const params = paths[path].get.parameters as { name: string; required?: boolean; schema: unknown }[];
    return {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
      required: params.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
  };
  const cases: [string, string, unknown, 'ajv' | 'ajvQuery'][] = [
    ['VideoConfStartProps', '/api/v1/video-conference.start', body('/api/v1/video-conference.start'), 'ajv'],
    ['VideoConfJoinProps', '/api/v1/video-conference.join', body('/api/v1/video-conference.join'), 'ajv'],
    ['VideoConfCancelProps', '/api/v1/video-conference.cancel', body('/api/v1/video-conference.cancel'), 'ajv'],
    ['VideoConfInfoProps', '/api/v1/video-conference.info', query('/api/v1/video-conference.info'), 'ajvQuery'],
    ['VideoConfListProps', '/api/v1/video-conference.list', query('/api/v1/video-conference.list'), 'ajvQuery'],
  ];
  for (const [file, path, ours, ajv] of cases) {
    const theirs = typingsSchema(file);
    t.strictSame(validationKeys(ours), theirs.schema, `${path} = rest-typings ${file}`);
    t.equal(theirs.ajv, ajv, `${file} is compiled by ${ajv}`);
  }
  // Both of the package's ajv instances coerce (`ajv` true, `ajvQuery` 'array'): the emulator's do too.
  const ajvSource = readFileSync(join(DIST, '..', 'Ajv.js'), 'utf8');
  t.match(ajvSource, /const ajv = new Ajv\(\{\s*coerceTypes: true,/);
  t.match(ajvSource, /const ajvQuery = new Ajv\(\{\s*coerceTypes: 'array',/);
});
