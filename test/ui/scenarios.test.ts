import t from 'tap';
import { build } from '../helper.js';
import { listen, openBrowser } from './browser.js';
import type { Page } from 'playwright-core';

const DT_CONFERENCE = '6741c3a09f1e2d3c4b5a6978';
const DT_GUEST = 'unionid-user-0002iEiE';

/** At 420 px: each of these buttons is inside the window and not covered; each id on one line. */
async function narrowChecks(page: Page, buttons: string, ids: string, shot?: () => Promise<void>) {
  await page.setViewportSize({ width: 420, height: 800 });
  const problems = await page.evaluate(([buttons, ids]) => {
    const out: string[] = [];
    for (const b of document.querySelectorAll<HTMLElement>(buttons)) {
      // Vertically into view only: the tables stay scrolled to their start, as a page shows them.
      window.scrollBy(0, b.getBoundingClientRect().top - innerHeight / 2);
      const r = b.getBoundingClientRect();
      if (r.left < 0 || r.right > innerWidth) out.push(`${b.textContent} at ${r.left}–${r.right}`);
      else if (!b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2))) out.push(`${b.textContent} covered`);
    }
    for (const code of document.querySelectorAll<HTMLElement>(ids)) {
      if (code.getClientRects().length !== 1 || code.getBoundingClientRect().height > 24) out.push(`${code.textContent} wraps`);
    }
    return out;
  }, [buttons, ids]);
  await shot?.();
  await page.setViewportSize({ width: 1280, height: 800 });
  return problems;
}

t.test('SignalWire and DingTalk scenario buttons drive the world and the view follows', async (t) => {
  const app = await build(t);
  const base = await listen(app);
  const { page, errors, shot } = await openBrowser(t, base);
  const state = async (path: string) => (await (await fetch(`${base}/_emulator/worlds/default/${path}`)).json()) as any;
  const dtToken = async () =>
    ((await (await fetch(`${base}/v1.0/oauth2/accessToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' }) })).json()) as any).accessToken as string;

  await page.goto(`${base}/_emulator/ui/#/state`);
  await page.getByRole('button', { name: 'SignalWire' }).click();
  const { conferences } = await state('signalwire/conferences');
  const idle = conferences.find((c: any) => c.active_session_id === null);
  const row = page.locator(`tr[data-conference="${idle.id}"]`);
  await row.getByRole('button', { name: 'Start session' }).click();
  await row.getByRole('button', { name: 'Start session' }).waitFor({ state: 'detached' });
  const session = (await state(`signalwire/room_sessions?conferenceId=${idle.id}&status=in-progress`)).room_sessions[0];
  const item = page.locator(`.item[data-session="${session.id}"]`);
  await item.getByLabel('Member name').fill('Carol');
  await item.getByRole('button', { name: 'Add member' }).click();
  const carol = item.locator('tr', { hasText: 'Carol' });
  await carol.getByRole('button', { name: 'Remove' }).waitFor();
  t.equal((await page.locator(`tr[data-conference="${idle.id}"] .conference-id code`).innerText()).trim(), idle.id, 'the conference id shows');
  await page.locator(`tr[data-conference="${idle.id}"] .conference-id`).getByRole('button', { name: 'Copy' }).click();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), idle.id, 'and copies');
  t.same(await narrowChecks(page, `.item[data-session="${session.id}"] td.actions button, tr[data-conference] td.actions button`, 'tr[data-conference] td code'), [], 'SignalWire at 420 px');
  await carol.getByRole('button', { name: 'Remove' }).click();
  await carol.getByRole('button', { name: 'Remove' }).waitFor({ state: 'detached' });
  t.not((await state(`signalwire/room_sessions?conferenceId=${idle.id}`)).room_sessions[0].members[0].leave_time, null, 'Carol left');
  await shot('state-signalwire');
  await item.getByRole('button', { name: 'End session' }).click();
  await item.locator('.badge', { hasText: 'completed' }).waitFor();

  await page.getByRole('button', { name: 'DingTalk' }).click();
  const conf = page.locator(`.item[data-conference="${DT_CONFERENCE}"]`);
  const guest = conf.locator(`tr[data-member="${DT_GUEST}"]`);
  await guest.getByRole('button', { name: 'Join' }).click();
  await guest.locator('.badge', { hasText: 'joined' }).waitFor();
  await guest.getByTitle('Toggle camera').click();
  await guest.getByTitle('Toggle camera', { exact: true }).filter({ hasText: 'on' }).waitFor();
  await conf.getByRole('button', { name: /^start recording$/ }).click();
  await conf.getByRole('button', { name: /^stop recording$/ }).waitFor();
  await conf.getByLabel('Speaker').selectOption(DT_GUEST);
  await conf.getByLabel('Transcript line').fill('hello from the dashboard');
  await conf.getByRole('button', { name: 'Say' }).click();
  await page.waitForFunction(() => (document.querySelector('input[name="transcript-text"]') as HTMLInputElement).value === '');
  const texts = (await (await fetch(`${base}/v1.0/conference/videoConferences/${DT_CONFERENCE}/cloudRecords/getTexts`, { headers: { 'x-acs-dingtalk-access-token': await dtToken() } })).json()) as any;
  t.same(texts.paragraphList.map((p: any) => [p.unionId, p.paragraph]), [[DT_GUEST, 'hello from the dashboard']], 'the line said from the dashboard is in the recording');
  await shot('state-dingtalk');
  t.equal((await conf.locator('.item-head .conference-id code').innerText()).trim(), DT_CONFERENCE, 'the conferenceId shows');
  await conf.locator('.item-head .conference-id').getByRole('button', { name: 'Copy' }).click();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), DT_CONFERENCE, 'and copies');
  t.same(await narrowChecks(page, '.item[data-conference] td.actions button', '.item[data-conference] td code', () => shot('narrow-state-dingtalk')), [], 'DingTalk at 420 px');
  await guest.getByRole('button', { name: 'Kick' }).click();
  await guest.locator('.badge', { hasText: 'kicked' }).waitFor();
  const member = (await state('dingtalk/conferences')).conferences.find((c: any) => c.conferenceId === DT_CONFERENCE).members.find((m: any) => m.unionId === DT_GUEST);
  t.match(member, { attendStatus: 'kicked', camera: 'on' });
  await conf.getByRole('button', { name: 'End meeting' }).click();
  await conf.locator('.item-head .badge', { hasText: 'ended' }).waitFor();

  const token = await dtToken();
  const booked = (await (
    await fetch(`${base}/v1.0/conference/scheduleConferences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
      body: JSON.stringify({ creatorUnionId: 'unionid-host-0001iEiE', title: 'Planning', startTime: Date.parse('2026-03-01T00:00:00Z'), endTime: Date.parse('2026-03-01T01:00:00Z') }),
    })
  ).json()) as any;
  const schedule = page.locator(`tr[data-schedule="${booked.scheduleConferenceId}"]`);
  await schedule.getByRole('button', { name: 'Start now' }).click();
  await page.locator('.item-head', { hasText: `scheduled ${booked.scheduleConferenceId}` }).waitFor();
  t.equal((await state('dingtalk/scheduleConferences')).scheduleConferences[0].conferenceIds.length, 1, 'the scheduled conference started from the dashboard');
  t.same(errors, [], 'no console error');
});
