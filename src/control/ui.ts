import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROOT } from '../core/paths.js';
import { Problem } from '../core/problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A file of the dashboard: served without the admin token (the loopback rule still applies). */
    page?: boolean;
  }
}

/** Where `npm run build` puts the dashboard (from `src/ui/`, with its npm libraries under `vendor/`). */
export const UI_DIR = join(ROOT, 'dist', 'ui');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Every file of `dir` by its URL path under the page: only these are ever served (no path from the request reaches the disk). */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const file of walk(dir)) {
    const body = readFileSync(file);
    const path = relative(dir, file).split(sep).join('/');
    assets.set(path, { body, type: TYPES[extname(file)] ?? 'application/octet-stream', etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  }
  return assets;
}

/**
 * The dashboard at `/_emulator/ui/` (registered inside the control plane, so its access rule
 * applies; `config.page` lets the page itself load without the admin token, as it holds no secret).
 * The files are read on the first request, not at start-up.
 */
export function mountUi(app: FastifyInstance, dir = UI_DIR): void {
  let assets: Map<string, Asset> | undefined;
  const serve = (req: FastifyRequest, reply: FastifyReply) => {
    assets ??= loadAssets(dir);
    const path = (req.params as { '*'?: string })['*'] || 'index.html';
    const asset = assets.get(path);
    if (!asset) throw new Problem(404, `No file ${path} in the dashboard${assets.size === 0 ? ' (not built: run npm run build)' : ''}`);
    reply.header('cache-control', 'no-cache').header('etag', asset.etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };
  const config = { page: true };
  app.route({ method: 'GET', url: '/ui', config, handler: (_req, reply) => reply.redirect('/_emulator/ui/', 308) });
  app.route({ method: 'GET', url: '/ui/*', config, handler: serve });
}

/** The emulator's icon: a camera in the dashboard's accent colour (the page, the dashboard, Swagger UI's origin). */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2f6fed"/><rect x="5" y="10" width="15" height="12" rx="2.5" fill="#fff"/><path d="M21 14.5l6-3.5v10l-6-3.5z" fill="#fff"/></svg>
`;

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vconf-emulator</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
:root { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #f5f6f8; }
body { margin: 0; }
header { background: #141a26; color: #fff; padding: 14px 24px; font-weight: 600; font-size: 17px; }
header span { color: #9aa4b5; font-weight: 400; }
main { max-width: 760px; margin: 24px auto; padding: 0 16px; }
ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px; }
li { background: #fff; border: 1px solid #e3e6eb; border-radius: 8px; padding: 14px 16px; color: #667085; }
a { color: #2f6fed; font-weight: 600; text-decoration: none; display: block; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; color: #1d2330; }
</style></head>
<body><header>vconf-emulator <span>Rocket.Chat, SignalWire and DingTalk video conferences</span></header>
<main><ul>
<li><a href="/_emulator/ui/">Dashboard</a>Worlds, state, scenarios, live journal, faults, clock</li>
<li><a href="/docs">API docs</a>Swagger UI, every spec, <em>Try it out</em> against this emulator</li>
<li><a href="/_emulator/health">Health</a><code>GET /_emulator/health</code></li>
</ul></main></body></html>
`;

/** `GET /`: links to the dashboard and the docs; the icon at `/favicon.svg` and `/favicon.ico`. */
export function mountIndex(app: FastifyInstance): void {
  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX));
  const icon = (_req: FastifyRequest, reply: FastifyReply) => reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON);
  app.get('/favicon.svg', icon);
  app.get('/favicon.ico', icon);
}
