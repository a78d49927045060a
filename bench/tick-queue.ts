// One Node line, warmTickQueue on and off (bench/tick-queue.sh prepares the two builds): fresh CLI
// processes of that line in turns, each loaded with Rocket.Chat info (admin) by bench/loadgen.js.
// Usage: node --import @tapjs/typescript/import bench/tick-queue.ts <node binary> <project copy> <rounds>
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { ADMIN, load, NODE_FLAGS, RC_CALL } from './lib.js';

const [node, root] = [process.argv[2], process.argv[3]];
const rounds = Number(process.argv[4] ?? 8);

/** Requests per second of one fresh server process built from `dist`. */
async function serve(dist: string): Promise<number> {
  const child = spawn(node, [...NODE_FLAGS, `${root}/${dist}/src/cli.js`, '--port', '0', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    while (!/listening on (http:\/\/\S+) /.test(out)) out += ((await once(child.stdout, 'data')) as [string])[0];
    const url = /listening on (http:\/\/\S+) /.exec(out)![1];
    const result = await load({ url, warmup: 2, duration: 5, headers: ADMIN, requests: [{ method: 'GET', path: `/api/v1/video-conference.info?callId=${RC_CALL}` }] });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${dist}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return Math.round(result.rps);
  } finally {
    child.kill('SIGKILL');
  }
}

const warm: number[] = [];
const cold: number[] = [];
for (let i = 0; i < rounds; i++) {
  warm.push(await serve('dist'));
  cold.push(await serve('dist-cold'));
}
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const median = (a: number[]) => sorted(a)[Math.floor(a.length / 2)];
const range = (a: number[]) => `${sorted(a)[0]}–${sorted(a)[a.length - 1]}`;
const version = execFileSync(node, ['--version']).toString().trim();
const gain = Math.round((median(warm) / median(cold) - 1) * 100);
console.log(
  `node ${version}: warmed ${median(warm)} req/s (median of ${rounds} processes, ${range(warm)}), ` +
    `not warmed ${median(cold)} (${range(cold)}): ${gain >= 0 ? '+' : ''}${gain} %`,
);
