import t from 'tap';
import { buildApp } from '../../../src/app.js';
import { startEmulator } from '../../../src/index.js';
import { listenUrl } from '../../../src/core/base-url.js';
import { renderSvgLetters } from '../../../src/providers/rocketchat/avatar.js';

const LOGIN = { user: 'jane.doe', password: 'jane-pass' };
const svg = (letters: string, color: string, size = 200, fontSize = 125) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}">\n<rect width="100%" height="100%" fill="${color}"/>\n` +
  `<text x="50%" y="50%" dy="0.36em" text-anchor="middle" pointer-events="none" fill="#ffffff" ` +
  `font-family="'Helvetica', 'Arial', 'Lucida Grande', 'sans-serif'" font-size="${fontSize}">\n${letters}\n</text>\n</svg>`;
// The colour is picked by the name's length: 'jane.doe' is 8, 8 % 6 = 2.
const JANE_SVG = svg('J', '#B68D00');
const AVATAR_HEADERS = { 'cache-control': 'public, max-age=3600', 'content-disposition': 'inline' };

async function login(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(LOGIN) });
  const body = (await res.json()) as { data: { userId: string; authToken: string; me: { avatarUrl: string } } };
  const me = await fetch(`${url}/api/v1/me`, { headers: { 'x-user-id': body.data.userId, 'x-auth-token': body.data.authToken } });
  return { login: body.data.me.avatarUrl, me: ((await me.json()) as { avatarUrl: string }).avatarUrl };
}

const pick = (res: Response, names: string[]) => Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));

t.test('avatarUrl carries the port the server listens on, and the avatar is served there', async (t) => {
  const emulator = await startEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  t.not(emulator.port, 4010);
  const urls = await login(emulator.url);
  t.same(urls, { login: `${emulator.url}/avatar/jane.doe`, me: `${emulator.url}/avatar/jane.doe` });
  const res = await fetch(urls.me);
  t.equal(res.status, 200);
  t.same(pick(res, ['content-type', 'cache-control', 'content-disposition', 'last-modified']), {
    'content-type': 'image/svg+xml',
    ...AVATAR_HEADERS,
    'last-modified': 'Thu, 01 Jan 2015 00:00:00 GMT',
  });
  t.equal(await res.text(), JANE_SVG);
});

t.test('a wildcard listening address reads as loopback', async (t) => {
  const emulator = await startEmulator({ port: 0, host: '0.0.0.0' });
  t.teardown(() => emulator.close());
  t.same(await login(`http://127.0.0.1:${emulator.port}`), {
    login: `http://127.0.0.1:${emulator.port}/avatar/jane.doe`,
    me: `http://127.0.0.1:${emulator.port}/avatar/jane.doe`,
  });
});

t.test('publicUrl wins over the listening address; a world whose fixtures set Site_Url keeps it', async (t) => {
  const emulator = await startEmulator({ port: 0, publicUrl: 'https://emu.example/chat/' });
  t.teardown(() => emulator.close());
  t.same(await login(emulator.url), { login: 'https://emu.example/chat/avatar/jane.doe', me: 'https://emu.example/chat/avatar/jane.doe' });
  const world = await emulator.createWorld({
    fixtures: {
      rocketchat: {
        settings: { Site_Url: 'https://chat.example.org' },
        users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', password: 'jane-pass' }],
      },
    },
  });
  t.same(await login(emulator.url, { 'x-emulator-world': world.id }), {
    login: 'https://chat.example.org/avatar/jane.doe',
    me: 'https://chat.example.org/avatar/jane.doe',
  });
});

t.test('an invalid publicUrl is refused', async (t) => {
  await t.rejects(buildApp({ publicUrl: 'emu.example' }), { message: 'invalid publicUrl "emu.example": expected an absolute http or https URL' });
});

t.test('GET /avatar/…: letters, 304, unknown users, worlds', async (t) => {
  const app = await buildApp({ rateLimits: false });
  t.teardown(() => app.close());
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, type: res.headers['content-type'], cache: res.headers['cache-control'], disposition: res.headers['content-disposition'], lastModified: res.headers['last-modified'], body: res.body };
  };
  const ok = (body: string, cache = 'public, max-age=3600') => ({
    status: 200, type: 'image/svg+xml', cache, disposition: 'inline', lastModified: 'Thu, 01 Jan 2015 00:00:00 GMT', body,
  });
  const none = (status: number, cacheHeaders = true) => ({
    status,
    type: undefined,
    cache: cacheHeaders ? 'public, max-age=3600' : undefined,
    disposition: cacheHeaders ? 'inline' : undefined,
    lastModified: undefined,
    body: '',
  });

  t.same(await get('/avatar/jane.doe'), ok(JANE_SVG));
  t.same(await get('/avatar/jane.doe?size=64&cacheTime=60'), ok(svg('J', '#B68D00', 64, 40), 'public, max-age=60'));
  t.same(await get('/avatar/jane.doe?size=5000'), ok(svg('J', '#B68D00', 1024, 640)));
  t.same(await get('/avatar/jane.doe?size=1'), ok(svg('J', '#B68D00', 16, 10)));
  t.same(await get('/avatar/john.doe', { 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' }), none(304));
  t.same(await get('/avatar/john.doe', { 'if-modified-since': 'Fri, 02 Jan 2015 00:00:00 GMT' }), ok(svg('J', '#B68D00')));
  // `@` always draws the letters of the name given, user or not.
  t.same(await get('/avatar/@Zed%20Shaw'), ok(svg('Z', '#B68D00')));
  t.same(await get('/avatar/nobody'), none(404));
  t.same(await get('/avatar/'), none(404, false));
  t.same(await get('/avatar'), none(404, false));
  t.same(await get('/avatar/uid/fRv4qm8ycWHXSA7af'), ok(JANE_SVG));
  t.same(await get('/avatar/uid/nobody'), none(404));
  t.same(await get('/avatar/uid/'), none(404, false));

  const world = await app.inject({
    method: 'POST',
    url: '/_emulator/worlds',
    payload: { fixtures: { rocketchat: { settings: { UI_Use_Name_Avatar: true }, users: [{ _id: 'a1', username: 'ann', name: 'Ann Marie Lee Park' }, { _id: 'b1', username: 'bob' }] } } },
  });
  const id = (JSON.parse(world.body) as { id: string }).id;
  t.same(await get('/avatar/jane.doe', { 'x-emulator-world': id }), none(404), 'users of another world are unknown');
  t.same(await get('/avatar/ann', { 'x-emulator-world': id }), ok(svg('AML', '#158D65', 200, 200 / 2.5)), 'UI_Use_Name_Avatar: up to three initials of the name');
  t.same(await get('/avatar/bob', { 'x-emulator-world': id }), ok(svg('B', '#E26D0E')));
  t.same(await get('/avatar/ann', { 'x-emulator-world': 'no-such-world' }), none(404));
  t.same(await get('/avatar/jane.doe?size=64&size=32'), ok(svg('J', '#B68D00', 64, 40)), 'a repeated key: the first');

  // Any method, any body (a connect handler); HEAD has no body.
  const post = await app.inject({ method: 'POST', url: '/avatar/jane.doe', headers: { 'content-type': 'application/json' }, payload: '{not json' });
  t.same([post.statusCode, post.headers['content-type'], post.body], [200, 'image/svg+xml', JANE_SVG]);
  const head = await app.inject({ method: 'HEAD', url: '/avatar/jane.doe' });
  t.same([head.statusCode, head.headers['content-type'], head.body], [200, 'image/svg+xml', '']);
});

t.test('listenUrl', async (t) => {
  t.equal(listenUrl({ address: '::', family: 'IPv6', port: 5 }), 'http://[::1]:5');
  t.equal(listenUrl({ address: '::1', family: 'IPv6', port: 5 }), 'http://[::1]:5');
  t.equal(listenUrl({ address: '10.1.2.3', family: 'IPv4', port: 5 }), 'http://10.1.2.3:5');
  t.equal(listenUrl('/tmp/emulator.sock'), undefined);
  t.equal(listenUrl(null), undefined);
});

t.test('renderSvgLetters', async (t) => {
  t.equal(renderSvgLetters('?'), svg('?', '#000'));
  t.equal(renderSvgLetters('ab', 200, true), svg('A', '#B68D00'));
  t.equal(renderSvgLetters('..'), svg('', '#B68D00'));
});
