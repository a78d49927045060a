import { readFileSync } from 'node:fs';
import t from 'tap';
import { build, call } from '../../helper.js';
import { IdSource } from '../../../src/core/ids.js';
import { freshCredentials, listCredentials } from '../../../src/providers/signalwire/fixtures.js';
import { AUTH, PROJECT, TOKEN, WEEKLY_SYNC, basic, entry, unprocessable } from './fixtures.js';

t.test('a world created from the defaults gets fresh SignalWire credentials', async (t) => {
  const app = await build(t);
  const signalwire = JSON.parse(readFileSync(new URL('../../../fixtures/signalwire.json', import.meta.url), 'utf8'));
  // What `POST /_emulator/worlds` does with the provider's hooks (its HTTP test belongs to the control plane).
  const fresh = freshCredentials(signalwire, new IdSource('fresh'));
  app.emulator.worlds.create('isolated', 'isolated', { signalwire: fresh });
  const projects = (listCredentials(fresh) as { projects: { projectId: string; token: string; apiTokens: { scopes: string[] }[] }[] }).projects;
  t.same(listCredentials(undefined), { projects: [] });
  t.equal(projects.length, 2);
  const [mine] = projects;
  t.not(mine.projectId, PROJECT);
  t.not(mine.token, TOKEN);
  t.match(mine.token, /^PT[0-9a-f]{48}$/);
  t.same(mine.apiTokens.map((tk: { scopes: string[] }) => tk.scopes), [['video'], ['messaging', 'voice']]);

  const auth = basic(mine.projectId, mine.token);
  let got = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: auth });
  t.same([got.status, got.body.name], [200, 'weekly-sync'], 'same data, other world');
  await call(app, { method: 'PUT', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: auth, payload: { display_name: 'Changed there' } });
  got = await call(app, { method: 'GET', url: `/api/video/conferences/${WEEKLY_SYNC}`, headers: AUTH });
  t.equal(got.body.display_name, 'Weekly Sync', 'the default world is untouched');
  got = await call(app, { method: 'GET', url: '/api/video/conferences', headers: basic(PROJECT, mine.token) });
  t.equal(got.status, 401, 'credentials do not mix across worlds');
});

t.test('injected faults answer in the SignalWire format', async (t) => {
  const app = await build(t);
  const fault = (action: object) =>
    call(app, { method: 'POST', url: '/_emulator/faults', payload: { match: { provider: 'signalwire', operationId: 'create_video_conference' }, action, times: 1 } });
  const create = () => call(app, { method: 'POST', url: '/api/video/conferences', headers: AUTH, payload: { display_name: 'Faulty' } });
  // Only statuses the operation documents: every response is checked against openapi/signalwire.yaml.
  for (const [action, status, body] of [
    [{ code: 'internal_server_error' }, 500, { error: 'Internal Server Error' }],
    [{ status: 500 }, 500, { error: 'Internal Server Error' }],
    [{ code: 'too_many_requests' }, 429, { error: 'Too Many Requests' }],
    [{ code: 'unauthorized' }, 401, { error: 'Unauthorized' }],
    [{ code: 'bad_request' }, 400, { error: 'Bad Request' }],
    [{ status: 400 }, 400, { error: 'Bad Request' }],
    [{ code: 'value_not_unique' }, 422, unprocessable(entry('name', 'This value must be unique', 'value_not_unique'))],
  ] as const) {
    const created = await fault(action);
    t.equal(created.status, 201, JSON.stringify(action));
    const res = await create();
    t.same([res.status, res.body], [status, body], JSON.stringify(action));
  }
  const undocumented = await fault({ code: 'not_found' });
  t.same([undocumented.status, undocumented.body.detail, undocumented.body.errors], [
    400,
    'Error code not_found (status 404) is not documented for create_video_conference',
    [{ path: 'body/action/code', message: 'must answer a status every matched operation documents: 400, 401, 413, 422, 429, 500' }],
  ]);
  const res = await create();
  t.equal(res.status, 200, 'faults with times: 1 are used up');
  const unknown = await fault({ code: 'nope' });
  t.equal(unknown.status, 400, 'codes come from the catalogue');
});
