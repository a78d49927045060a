#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { parseCli, USAGE, type CliOptions } from './cli-options.js';
import { DatabaseError } from './core/db.js';
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

async function main(): Promise<void> {
  if (process.argv[2] === 'verify') return verify(process.argv.slice(3));
  let options: CliOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`vconf-emulator: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let app;
  try {
    app = await buildApp(options);
  } catch (err) {
    if (err instanceof FixturesError || err instanceof DatabaseError || err instanceof HarError) {
      process.stderr.write(`vconf-emulator: ${(err as Error).message}\n`);
      process.exit(2);
    }
    throw err;
  }
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (err) {
    process.stderr.write(`vconf-emulator: cannot listen on ${options.host}:${options.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    await app.close();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  if (options.controlAccess === 'any' && !options.adminToken) {
    process.stderr.write(
      'vconf-emulator: warning: the control plane (/_emulator/) answers any caller that reaches this port, ' +
        'with no token (--control-access any). Publish the port to this machine only (docker run -p 127.0.0.1:4010:4010), ' +
        'or set --admin-token / VCONF_ADMIN_TOKEN.\n',
    );
  }
  process.stdout.write(`vconf-emulator listening on http://${host}:${port} (docs: http://${host}:${port}/docs)\n`);

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
