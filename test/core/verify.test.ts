import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import type { Har } from '../../src/core/har.js';
import { formatOf, formatReport, verifyRecording } from '../../src/verify.js';

const RECORDINGS = new URL('../../fixtures/recordings/', import.meta.url).pathname;
/** Exchanges in fixtures/recordings/dingtalk.har. */
const DT_EXCHANGES = 53;
const CLI = new URL('../../dist/src/cli.js', import.meta.url).pathname;
const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vconf-verify-'));

/** A copy of a shipped recording with one change. */
function altered(provider: string, change: (har: Har) => void): string {
  const har = JSON.parse(readFileSync(join(RECORDINGS, `${provider}.har`), 'utf8')) as Har;
  change(har);
  const file = join(dir, `${provider}-${Math.random().toString(36).slice(2)}.har`);
  writeFileSync(file, JSON.stringify(har));
  return file;
}

const body = (har: Har, i: number) => JSON.parse(har.log.entries[i].response.content.text!);
const setBody = (har: Har, i: number, value: unknown) => {
  har.log.entries[i].response.content.text = JSON.stringify(value);
};

for (const provider of ['rocketchat', 'signalwire', 'dingtalk']) {
  t.test(`the shipped ${provider} recording verifies`, async (t) => {
    const report = await verifyRecording(join(RECORDINGS, `${provider}.har`));
    t.same(report.differences, []);
    t.ok(report.exchanges >= 5);
  });
}

t.test('one altered field fails the recording, with that field named', async (t) => {
  const title = altered('rocketchat', (har) => setBody(har, 0, { ...body(har, 0), title: 'standup' }));
  let report = await verifyRecording(title);
  t.same(report.differences, [
    { exchange: 1, provider: 'rocketchat', operationId: 'get-api-v1-video-conference.info', method: 'GET', path: '/api/v1/video-conference.info', field: 'body.title', recorded: '"standup"', emulator: '"testdiscussion"' },
  ]);

  const format = altered('rocketchat', (har) => setBody(har, 3, { ...body(har, 3), data: { ...body(har, 3).data, rid: 'CkCPNctrgCDfmWLqZ' } }));
  report = await verifyRecording(format);
  t.same(report.differences.map((d) => [d.exchange, d.field, d.recorded, d.emulator]), [[4, 'body.data.rid', 'Meteor id', 'hex id (24)']]);

  const status = altered('signalwire', (har) => {
    har.log.entries[1].response.status = 410;
  });
  report = await verifyRecording(status);
  t.same(report.differences.map((d) => [d.exchange, d.operationId, d.field, d.recorded, d.emulator]), [[2, 'get_video_conference', 'status', '410', '404']]);

  const key = altered('signalwire', (har) => {
    const conference = body(har, 0);
    delete conference.enable_chat;
    conference.max_members = 20;
    setBody(har, 0, conference);
  });
  report = await verifyRecording(key);
  t.same(report.differences.map((d) => [d.field, d.recorded, d.emulator]), [
    ['body.max_members', '20', 'missing'],
    ['body.enable_chat', 'missing', 'true'],
  ]);

  const header = altered('dingtalk', (har) => {
    const h = har.log.entries[1].response.headers.find((x) => x.name === 'x-acs-request-id')!;
    h.value = h.value.toLowerCase();
  });
  report = await verifyRecording(header);
  t.same(report.differences.map((d) => [d.exchange, d.operationId, d.field, d.recorded, d.emulator]), [[2, 'queryConferenceInfo', 'header x-acs-request-id', 'uuid', 'UUID (upper case)']]);

  const type = altered('dingtalk', (har) => {
    const info = body(har, 1);
    info.confInfo.bizType = 0;
    setBody(har, 1, info);
  });
  report = await verifyRecording(type);
  t.same(report.differences.map((d) => [d.field, d.recorded, d.emulator]), [['body.confInfo.bizType', '0', '"0"']]);
  t.equal(
    formatReport(report),
    [
      `${type}: ${DT_EXCHANGES} exchanges replayed against a fresh emulator world`,
      'operation            #  field                  recorded  emulator',
      'queryConferenceInfo  2  body.confInfo.bizType  0         "0"',
      '1 difference in 1 operation',
    ].join('\n'),
  );
});

t.test('entries for no provider path (a browser recording\'s pages and assets) are skipped and counted', async (t) => {
  const file = altered('dingtalk', (har) => {
    const page = structuredClone(har.log.entries[0]);
    page.request.url = 'https://app.example.com/index.html';
    page.request.method = 'GET';
    delete page.request.postData;
    page.response.content = { size: 6, mimeType: 'text/html', text: '<html>' };
    har.log.entries.splice(1, 0, page);
  });
  const report = await verifyRecording(file);
  t.same({ exchanges: report.exchanges, skipped: report.skipped, differences: report.differences }, { exchanges: DT_EXCHANGES, skipped: 1, differences: [] });
  t.equal(formatReport(report), `${file}: ${DT_EXCHANGES} exchanges replayed against a fresh emulator world (1 entry for no provider path skipped)\nno differences`);
});

t.test('formats compared instead of values', async (t) => {
  t.equal(formatOf('697866d5c8b053302078137a'), 'hex id (24)');
  t.equal(formatOf('fRv4qm8ycWHXSA7af'), 'Meteor id');
  t.equal(formatOf('c22d7124-5a01-49fe-8da0-46bec8e75f12'), 'uuid');
  t.equal(formatOf('30EE8654-1AA2-7D88-8248-9518547248AA'), 'UUID (upper case)');
  t.equal(formatOf('2026-01-27T07:18:45.956Z'), 'ISO 8601 time');
  t.equal(formatOf('http://g.co/meet/RocketChat_1'), 'URL');
  t.equal(formatOf('42726033559'), 'numeric id');
  t.equal(formatOf('Jz7uQ2mVx9LrT4kWn8bYc3HdE6pSa5Gf1iNoKqXwR0t'), 'token');
  t.equal(formatOf('testdiscussion'), undefined);
  t.equal(formatOf('googlemeet'), undefined);
});

t.test('the verify command: table, --json, exit codes', async (t) => {
  const ok = await cli(['verify', join(RECORDINGS, 'dingtalk.har')]);
  t.equal(ok.code, 0);
  t.equal(ok.stdout, `${join(RECORDINGS, 'dingtalk.har')}: ${DT_EXCHANGES} exchanges replayed against a fresh emulator world\nno differences\n`);

  const bad = altered('dingtalk', (har) => {
    har.log.entries[0].response.status = 201;
  });
  const failed = await cli(['verify', bad, '--json']);
  t.equal(failed.code, 1);
  t.same(JSON.parse(failed.stdout), {
    file: bad,
    exchanges: DT_EXCHANGES,
    skipped: 0,
    differences: [{ exchange: 1, provider: 'dingtalk', operationId: 'getAccessToken', method: 'POST', path: '/v1.0/oauth2/accessToken', field: 'status', recorded: '201', emulator: '200' }],
  });

  const missing = await cli(['verify', join(dir, 'nope.har')]);
  t.equal(missing.code, 2);
  t.equal(missing.stderr, `vconf-emulator verify: cannot read ${join(dir, 'nope.har')}: ENOENT\n`);

  const none = await cli(['verify']);
  t.equal(none.code, 2);
  t.equal(none.stderr, 'vconf-emulator verify: a recording (.har) is required\nusage: vconf-emulator verify <recording.har> [--fixtures <file>] [--json]\n');
});
