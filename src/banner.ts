import type { AddressInfo } from 'node:net';
import { createColors } from 'colorette';
import type { CliOptions } from './cli-options.js';
import { listenUrl } from './core/base-url.js';
import { wallClock, type LogFormat } from './core/log.js';

export interface BannerFacts {
  version: string;
  options: CliOptions;
  address: AddressInfo;
  /** Running in a container (Docker, Podman): a wildcard address is reached from the host through a published port. */
  inContainer: boolean;
  /** Every provider: slug and path prefix. */
  providers: { slug: string; prefix: string }[];
  /** Where the default fixtures come from when no file is given. */
  builtInFixtures: string;
}

/**
 * Where the emulator is reached: `local`, the address it listens on as this machine reaches it (a
 * wildcard reads as loopback; in a container, as `localhost` through the published port), and
 * `url`, the base clients use (`--public-url`, else `local`).
 */
export function reachableUrl(facts: Pick<BannerFacts, 'options' | 'address' | 'inContainer'>): { local: string; url: string; note?: string } {
  const { options, address, inContainer } = facts;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const local = wildcard && inContainer ? `http://localhost:${address.port}` : listenUrl(address)!;
  const note =
    wildcard && inContainer
      ? `in a container: from the host, use the port published with docker run -p <host port>:${address.port}`
      : wildcard
        ? 'bound to every interface of this machine'
        : undefined;
  return { local, url: options.publicUrl ?? local, note };
}

/** The start banner: what runs where. Printed whatever the log level, in the log's format. */
export function startBanner(facts: BannerFacts, format: LogFormat, colors: boolean): string {
  const { options } = facts;
  const { local, url, note } = reachableUrl(facts);
  const upstream = options.upstream ?? {};
  const providers = Object.fromEntries(facts.providers.map((p) => [p.slug, upstream[p.slug] ? `proxied to ${upstream[p.slug]}` : `emulated at ${p.prefix}`]));
  const control =
    options.adminToken !== undefined
      ? 'any caller with the admin token (--admin-token)'
      : options.controlAccess === 'any'
        ? 'any caller, no token (--control-access any)'
        : 'callers on this machine only (loopback), no token';
  const facts_ = {
    version: facts.version,
    url: local,
    ...(note ? { note } : {}),
    ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
    dashboard: `${url}/_emulator/ui/`,
    docs: `${url}/docs`,
    fixtures: typeof options.fixtures === 'string' ? options.fixtures : `built-in (${facts.builtInFixtures})`,
    database: options.db === ':memory:' ? ':memory: (lost on exit)' : options.db,
    providers,
    controlPlane: `${url}/_emulator: ${control}`,
    rateLimits: options.rateLimits ? (options.rateLimitScale === 1 ? 'on' : `on, ×${options.rateLimitScale}`) : 'off',
    log: `${options.logLevel}, ${format}`,
  };
  const headline = `vconf-emulator ${facts.version} listening on ${local} (docs: ${url}/docs)`;
  if (format === 'json') return `${JSON.stringify({ level: 30, time: wallClock(), msg: headline, ...facts_ })}\n`;
  const c = createColors({ useColor: colors });
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(14))}${value}`;
  return [
    c.bold(headline),
    ...(note ? [row('', c.dim(`(${note})`))] : []),
    ...(options.publicUrl !== undefined ? [row('public URL', options.publicUrl)] : []),
    row('dashboard', facts_.dashboard),
    row('API docs', facts_.docs),
    row('fixtures', facts_.fixtures),
    row('database', facts_.database),
    ...Object.entries(providers).map(([slug, how]) => row(slug, how)),
    row('control plane', facts_.controlPlane),
    row('rate limits', facts_.rateLimits),
    row('log', `${facts_.log} (--log-level, --log-format)`),
    '',
  ].join('\n');
}
