import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { FAVICON, mountUi, UI_DIR } from '../../src/control/ui.js';
import { problemToWire } from '../../src/core/problem.js';
import { build, call } from '../helper.js';

// The dashboard's files at /_emulator/ui/ and the access rule on them.

const BUILT = existsSync(join(UI_DIR, 'index.html'));
const NOT_BUILT = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No file index.html in the dashboard (not built: run npm run build)' };

t.test('files of the page, by type, with an ETag; only files of the folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vconf-ui-'));
  mkdirSync(join(dir, 'vendor', 'preact'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'app.js'), 'export {};');
  writeFileSync(join(dir, 'style.css'), 'body{}');
  writeFileSync(join(dir, 'vendor', 'preact', 'preact.module.js'), 'export const h = 1;');
  writeFileSync(join(dir, 'data.bin'), 'x');
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    const wire = problemToWire(err);
    reply.code(wire.status).headers(wire.headers ?? {}).send(wire.body);
  });
  mountUi(app, dir);
  t.teardown(() => app.close());

  let res = await app.inject({ url: '/ui/' });
  t.same([res.statusCode, res.headers['content-type'], res.headers['cache-control'], res.body], [200, 'text/html; charset=utf-8', 'no-cache', '<!doctype html><title>x</title>']);
  const etag = res.headers.etag as string;
  t.match(etag, /^"[A-Za-z0-9_-]+"$/);
  res = await app.inject({ url: '/ui/', headers: { 'if-none-match': etag } });
  t.same([res.statusCode, res.body], [304, '']);
  for (const [path, type, body] of [
    ['app.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['style.css', 'text/css; charset=utf-8', 'body{}'],
    ['vendor/preact/preact.module.js', 'text/javascript; charset=utf-8', 'export const h = 1;'],
    ['data.bin', 'application/octet-stream', 'x'],
  ]) {
    res = await app.inject({ url: `/ui/${path}` });
    t.same([res.statusCode, res.headers['content-type'], res.body], [200, type, body], path);
  }
  res = await app.inject({ url: '/ui' });
  t.same([res.statusCode, res.headers.location], [308, '/_emulator/ui/']);
  for (const path of ['/ui/missing.js', '/ui/../package.json', '/ui/%2e%2e/package.json']) {
    res = await app.inject({ url: path });
    t.equal(res.statusCode, 404, path);
  }
  t.same(JSON.parse((await app.inject({ url: '/ui/missing.js' })).body), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No file missing.js in the dashboard' });
});

const page = (status: number) => (BUILT ? [status, 'text/html; charset=utf-8'] : [404, 'application/problem+json']);

t.test('the page answers loopback callers only by default', async (t) => {
  const app = await build(t);
  let res = await call(app, { method: 'GET', url: '/_emulator/ui/', remoteAddress: '10.1.2.3' });
  t.same([res.status, res.body.title], [403, 'Forbidden']);
  res = await call(app, { method: 'GET', url: '/_emulator/ui/' });
  t.same([res.status, res.headers['content-type']], page(200));
  if (!BUILT) t.same(res.body, NOT_BUILT);
});

t.test('with an admin token the page loads without it, from anywhere; the API still needs it', async (t) => {
  const app = await build(t, { adminToken: 's3cret' });
  let res = await call(app, { method: 'GET', url: '/_emulator/ui/', remoteAddress: '172.17.0.1' });
  t.same([res.status, res.headers['content-type']], page(200));
  res = await call(app, { method: 'GET', url: '/_emulator/ui', remoteAddress: '172.17.0.1' });
  t.same([res.status, res.headers.location], [308, '/_emulator/ui/']);
  res = await call(app, { method: 'GET', url: '/_emulator/worlds', remoteAddress: '172.17.0.1' });
  t.equal(res.status, 401);
  res = await call(app, { method: 'GET', url: '/_emulator/worlds', headers: { authorization: 'Bearer s3cret' }, remoteAddress: '172.17.0.1' });
  t.equal(res.status, 200);
});

t.test('/ links to the dashboard and the docs', async (t) => {
  const app = await build(t);
  const res = await call(app, { method: 'GET', url: '/' });
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  t.match(res.text, '<a href="/_emulator/ui/">Dashboard</a>');
  t.match(res.text, '<a href="/docs">API docs</a>');
  t.match(res.text, '<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  t.match(res.text, /<style>[^]*header \{ background: #141a26;[^]*<\/style>/, 'styled');
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    const icon = await call(app, { method: 'GET', url, remoteAddress: '172.17.0.1' });
    t.same([icon.status, icon.headers['content-type'], icon.text], [200, 'image/svg+xml', FAVICON], `${url}, to any caller`);
  }
});
