#!/usr/bin/env node
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { startBanner } from './banner.js';
import { parseCli, USAGE, type CliOptions } from './cli-options.js';
import { DatabaseError } from './core/db.js';
import { consoleSettings } from './core/log.js';
import { FIXTURES_DIR, VERSION } from './core/paths.js';
import { providers } from './providers/index.js';
import { FixturesError } from './core/fixtures.js';
import { HarError } from './core/har.js';
import { formatReport, verifyRecording } from './verify.js';

const VERIFY_USAGE = 'usage: vconf-emulator verify <recording.har> [--fixtures <file>] [--json]';

/** `vconf-emulator verify`: exit 0 when the emulator answers as recorded, 1 on a difference, 2 on bad input. */
async function verify(args: string[]): Promise<void> {
  let values: { fixtures?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { fixtures: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
    if (!values.help && positionals.length !== 1) throw new Error(positionals.length === 0 ? 'a recording (.har) is required' : 'one recording at a time');
  } catch (err) {
    process.stderr.write(`vconf-emulator verify: ${(err as Error).message.split('\n')[0]}\n${VERIFY_USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${VERIFY_USAGE}\nReplays the recording against a fresh emulator world and prints how the answers differ.\n`);
    return;
  }
  let report;
  try {
    report = await verifyRecording(positionals[0], { fixtures: values.fixtures });
  } catch (err) {
    if (err instanceof HarError || err instanceof FixturesError) {
      process.stderr.write(`vconf-emulator verify: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  process.exitCode = report.differences.length === 0 ? 0 : 1;
}

/** Why the server could not listen, in words, with what to do about it. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host} (another emulator or server is listening there); choose another with --port <number>, or --port 0 for any free port`;
    case 'EACCES':
      return `no permission to listen on port ${port} of ${host} (ports below 1024 need privileges); choose another with --port <number>`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; choose one with --host (127.0.0.1 for this machine only, 0.0.0.0 for every interface)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} does not resolve; choose an address with --host`;
    default:
      return `cannot listen on ${host}:${port}: ${err.code ?? err.message}`;
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'verify') return verify(process.argv.slice(3));
  let options: CliOptions | 'help' | 'version';
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`vconf-emulator: ${(err as Error).message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options === 'version') {
    process.stdout.write(`vconf-emulator ${VERSION}\n`);
    return;
  }
  const { format: logFormat, colors } = consoleSettings(options.logFormat, process.stdout.isTTY === true, process.env);
  let app;
  try {
    app = await buildApp({ ...options, logFormat, logColors: colors });
  } catch (err) {
    if (err instanceof FixturesError || err instanceof DatabaseError || err instanceof HarError) {
      process.stderr.write(`vconf-emulator: ${(err as Error).message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Fastify logs each address it listens on (every interface under 0.0.0.0); the banner says it once.
  const level = app.log.level;
  app.log.level = 'warn';
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (err) {
    process.stderr.write(`vconf-emulator: ${listenError(err as NodeJS.ErrnoException, options.host, options.port)}\n`);
    await app.close();
    process.exit(1);
  } finally {
    app.log.level = level;
  }
  if (options.controlAccess === 'any' && !options.adminToken) {
    process.stderr.write(
      'vconf-emulator: warning: the control plane (/_emulator/) answers any caller that reaches this port, ' +
        'with no token (--control-access any). Publish the port to this machine only (docker run -p 127.0.0.1:4010:4010), ' +
        'or set --admin-token / VCONF_ADMIN_TOKEN.\n',
    );
  }
  const inContainer = existsSync('/.dockerenv') || existsSync('/run/.containerenv') || process.env.container !== undefined;
  process.stdout.write(
    startBanner(
      {
        version: VERSION,
        options,
        address: app.server.address() as AddressInfo,
        inContainer,
        providers: providers.map((p) => ({ slug: p.slug, prefix: p.prefix })),
        builtInFixtures: FIXTURES_DIR,
      },
      logFormat,
      colors,
    ),
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`vconf-emulator: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
