// One Node line, warmTickQueue on and off (bench/tick-queue.sh prepares the two builds): fresh server
// processes in turns, each loaded with Rocket.Chat info (admin) by autocannon in this process.
// Usage: node bench/tick-queue.js <node binary> <project copy> <rounds>
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const [node, root, rounds] = [process.argv[2], process.argv[3], Number(process.argv[4] ?? 8)];
const headers = { 'X-User-Id': 'rbAXPnMktTFbNpwtJ', 'X-Auth-Token': 'Ad9mN3qR7sT1vW5xY2zB6cD0eF4gH8iJ-kL_mP3oQ7r' };

async function serve(dist) {
  const child = spawn(node, ['--max-semi-space-size=8', `${root}/${dist}/src/cli.js`, '--port', '0', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  while (!/listening on (http:\/\/\S+) /.test(out)) await once(child.stdout, 'data');
  const url = `${/listening on (http:\/\/\S+) /.exec(out)[1]}/api/v1/video-conference.info?callId=697866d5c8b053302078137a`;
  try {
    await autocannon({ url, connections: 50, duration: 2, headers });
    const result = await autocannon({ url, connections: 50, duration: 5, headers });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${dist}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return Math.round(result.requests.average);
  } finally {
    child.kill('SIGKILL');
  }
}

const warm = [];
const cold = [];
for (let i = 0; i < rounds; i++) {
  warm.push(await serve('dist'));
  cold.push(await serve('dist-cold'));
}
const sorted = (a) => [...a].sort((x, y) => x - y);
const median = (a) => sorted(a)[Math.floor(a.length / 2)];
const range = (a) => `${sorted(a)[0]}–${sorted(a)[a.length - 1]}`;
const version = execFileSync(node, ['--version']).toString().trim();
const gain = Math.round((median(warm) / median(cold) - 1) * 100);
console.log(
  `node ${version}: warmed ${median(warm)} req/s (median of ${rounds} processes, ${range(warm)}), ` +
    `not warmed ${median(cold)} (${range(cold)}): ${gain >= 0 ? '+' : ''}${gain} %`,
);
