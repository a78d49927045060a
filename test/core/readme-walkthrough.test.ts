import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { build } from '../helper.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's Rocket.Chat walkthrough: the first `sh` block of its section, as a reader copies it. */
function walkthrough(): string {
  const section = README.slice(README.indexOf('\n## Rocket.Chat\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('no sh block in the README Rocket.Chat section');
  return block[1];
}

const END = '--end of answer--';

/** Runs the script with bash; every curl fails on an HTTP error (exit 22) and marks the end of each answer. */
async function runScript(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `set -eo pipefail\n${script}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

t.test("the README's Rocket.Chat walkthrough runs twice in a row, rate limits on, every answer a success", async (t) => {
  const app = await build(t);
  t.equal(app.emulator.options.rateLimits, true);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const text = walkthrough();
  t.match(text, 'video-conference.start', 'the walkthrough starts calls');
  // A captured answer (`$(curl …)`, read by the script) gets no end mark.
  const script = text
    .replaceAll('http://127.0.0.1:4010', url)
    .replaceAll('$(curl -s ', '$(curl -sS --fail-with-body ')
    .replaceAll('curl -s ', `curl -sS --fail-with-body -w '\\n${END}\\n' `);
  const commands = (text.match(/curl -s /g) ?? []).length;
  for (const run of [1, 2]) {
    const { code, stdout, stderr } = await runScript(script);
    t.equal(code, 0, `run ${run}: every request answered 2xx${stderr ? `: ${stderr}` : ''}`);
    t.equal(stderr, '', `run ${run}: nothing on stderr`);
    const answers = stdout.split(`\n${END}\n`).filter((a) => a !== '');
    // The two captured answers (the ringing call's id, the login's token) are read by the script, not printed.
    t.equal(answers.length, commands - 2, `run ${run}: one answer per printed request`);
    for (const answer of answers) {
      if (answer.startsWith('<svg')) continue;
      t.notMatch(answer, END, 'one answer');
      const body = JSON.parse(answer) as { success?: boolean; status?: string };
      t.ok(body.success === true || body.status === 'success', `run ${run}: ${answer.slice(0, 80)}`);
    }
    // cancel, providers, capabilities, the avatar, logout: the last five.
    t.same(JSON.parse(answers.at(-5)!), { success: true }, `run ${run}: the ringing call is cancelled`);
    t.same(JSON.parse(answers.at(-1)!), { status: 'success', data: { message: "You've been logged out!" } }, `run ${run}: logged out`);
  }
});
