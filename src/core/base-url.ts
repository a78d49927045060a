import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Runtime } from './runtime.js';

/** `http://host:port` of a listening address; a wildcard address (`0.0.0.0`, `::`) reads as loopback. */
export function listenUrl(address: AddressInfo | string | null): string | undefined {
  if (!address || typeof address === 'string') return undefined;
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** A `--public-url`: an absolute http(s) URL, kept without its trailing slashes; `undefined` if invalid. */
export function normalizePublicUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return text.replace(/\/+$/, '');
}

/**
 * The emulator's own base URL as clients reach it: the configured public URL, else the address the
 * server listens on (read when it starts listening), else, for a server that does not listen
 * (`inject`), the request's Host.
 */
export function baseUrl(req: FastifyRequest): string {
  const runtime = req.server.emulator;
  return runtime.options.publicUrl ?? runtime.listenUrl ?? `http://${req.headers.host ?? 'localhost'}`;
}

const HOST = /^(?:[\w.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The server the served specs name (`servers[0].url`, what Swagger UI's "Try it out" calls): the
 * configured public URL, else the address this request reached (its Host, which names a mapped Docker
 * port or any `--port`), else the listening address, else `/` (relative to the spec: the same origin).
 */
export function docsServerUrl(runtime: Runtime, req: FastifyRequest): string {
  if (runtime.options.publicUrl) return runtime.options.publicUrl;
  const host = req.headers.host;
  if (host && HOST.test(host)) return `${req.protocol}://${host}`;
  return runtime.listenUrl ?? '/';
}
