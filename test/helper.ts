import type { Test } from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp, type EmulatorOptions } from '../src/app.js';

/** The instant every test world starts at, frozen: tests move time only through the clock. */
export const T0 = '2026-02-01T00:00:00.000Z';
export const T0_MS = Date.parse(T0);

/**
 * A fresh emulator per test: in-memory SQLite, default fixtures, frozen clock at T0, seeded ids,
 * and every response checked against its documented schema. Closed on teardown, where any
 * contract violation fails the test.
 */
export async function build(t: Test, options: EmulatorOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ now: T0, frozen: true, idSeed: t.fullname, validateResponses: true, ...options });
  t.teardown(async () => {
    const violations = [...app.emulator.contractViolations];
    await app.close();
    if (violations.length > 0) throw new Error(`responses not matching their documented schema:\n${violations.join('\n')}`);
  });
  return app;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

export async function call(app: FastifyInstance, opts: InjectOptions): Promise<Reply> {
  const res = await app.inject(opts);
  let body: any;
  try {
    body = res.body === '' ? undefined : JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text: res.body };
}
