import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestedWorld } from '../../core/request.js';
import type { RocketChatStore } from './store.js';

// The letter avatar of apps/meteor/server/routes/avatar/utils.ts (RocketChat/Rocket.Chat@006c13d)
// and app/utils/lib/getAvatarColor.ts (@aa40574): no user in a world has an uploaded avatar.
const COLORS = ['#158D65', '#7F1B9F', '#B68D00', '#E26D0E', '#10529E', '#6C727A'];
const FALLBACK_LAST_MODIFIED = 'Thu, 01 Jan 2015 00:00:00 GMT';
const DEFAULT_CACHE_TIME = 3600; // Accounts_AvatarCacheTime
const MIN_SIZE = 16;
const MAX_SIZE = 1024;
const MAX_INITIALS = 3;

const firstLetter = (name: string) => name.replace(/[^A-Za-z0-9]/g, '').slice(0, 1).toUpperCase();

/** `renderSVGLetters`: the name's first letter (or up to three initials) on a colour picked by its length. */
export function renderSvgLetters(name: string, viewSize = 200, useAllInitials = false): string {
  const color = name === '?' ? '#000' : COLORS[name.length % COLORS.length];
  const initials = name === '?' ? name : useAllInitials ? name.split(' ').slice(0, MAX_INITIALS).map(firstLetter).join('') : firstLetter(name);
  const reduction = initials.length > 1 ? initials.length ** 2 / 10 : 0;
  const fontSize = viewSize / (1.6 + reduction);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${viewSize} ${viewSize}">\n<rect width="100%" height="100%" fill="${color}"/>\n` +
    `<text x="50%" y="50%" dy="0.36em" text-anchor="middle" pointer-events="none" fill="#ffffff" ` +
    `font-family="'Helvetica', 'Arial', 'Lucida Grande', 'sans-serif'" font-size="${fontSize}">\n${initials}\n</text>\n</svg>`
  );
}

function queryValue(req: FastifyRequest, key: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** `?size=` as `getAvatarSizeFromRequest` reads it: parseInt, clamped to 16…1024; none or 0 is 200. */
function sizeOf(req: FastifyRequest): number {
  const size = Number.parseInt(queryValue(req, 'size') ?? '', 10);
  return size ? Math.min(Math.max(size, MIN_SIZE), MAX_SIZE) : 200;
}

function sendSvg(req: FastifyRequest, reply: FastifyReply, name: string, useAllInitials = false): FastifyReply {
  return reply
    .code(200)
    .header('last-modified', FALLBACK_LAST_MODIFIED)
    .header('content-type', 'image/svg+xml')
    .send(renderSvgLetters(name, sizeOf(req), useAllInitials));
}

const empty = (reply: FastifyReply, status: number) => reply.code(status).send();

/**
 * `GET /avatar/<username>` (`userAvatarByUsername`, server/routes/avatar/user.ts@1bd0fa3): the letter
 * avatar, `/avatar/@<name>` always; `If-Modified-Since` equal to the fallback date is 304. The world is
 * the one `X-Emulator-World` names (the request carries no credential), else the default world.
 * Deviation (issue 19): an unknown username is 404 with an empty body, as the server answers for an
 * unknown `/avatar/uid/<id>`; the server itself draws the requested name's letter.
 */
export function avatarPlugin(store: RocketChatStore) {
  return async (app: FastifyInstance): Promise<void> => {
    const serve = (req: FastifyRequest, reply: FastifyReply, byId: boolean) => {
      const requested = (req.params as { '*': string })['*'];
      if (!requested) return empty(reply, 404);
      const cacheTime = queryValue(req, 'cacheTime') || DEFAULT_CACHE_TIME;
      reply.header('cache-control', `public, max-age=${cacheTime}`).header('content-disposition', 'inline');
      if (!byId && requested.startsWith('@')) return sendSvg(req, reply, requested.slice(1));
      if (req.headers['if-modified-since'] === FALLBACK_LAST_MODIFIED) return empty(reply, 304);
      const world = requestedWorld(req);
      const user = world && (byId ? store.userById(world.id, requested) : store.userByUsername(world.id, requested));
      if (!world || !user?.username) return empty(reply, 404);
      if (store.setting(world.id, 'UI_Use_Name_Avatar') === true && user.name) return sendSvg(req, reply, user.name, true);
      return sendSvg(req, reply, byId ? user.username : requested);
    };
    // A connect handler (`WebApp.connectHandlers.use`): every method gets the same answer, the body is not read.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    app.all('/uid/*', (req, reply) => serve(req, reply, true));
    app.all('/*', (req, reply) => serve(req, reply, false));
    app.all('', (_req, reply) => empty(reply, 404));
  };
}
