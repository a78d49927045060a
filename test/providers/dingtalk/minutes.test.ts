import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ENDED, HOST, LI, STARTED, WANG, ZHANG, assertError, dt, tokenOf } from './fixtures.js';

const CONF = `/v1.0/conference/videoConferences/${STARTED}`;
const say = (lines: unknown[]) => ({ method: 'POST' as const, url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`, payload: { lines } });

t.test('minutes: start and pause, state in confInfo; text, audio, summary and result derived from what was said', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  await call(app, say([{ unionId: HOST, text: 'before the minutes' }]));
  clock.advance(5_000);
  let res = await dt(app, 'POST', `${CONF}/minutes/start`, token, { unionId: ZHANG, ownerUnionId: HOST, recordAudio: true });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  t.match((await dt(app, 'GET', CONF, token)).body.confInfo, { minutesStatus: 1, minutesOwnerUnionId: HOST });
  assertError(t, await dt(app, 'POST', `${CONF}/minutes/start`, token, { unionId: ZHANG }), 400, 'paramsError', 'error:minutes are already recording');
  await call(app, say([
    { unionId: HOST, text: '发布时间定了吗？', durationMs: 2000 },
    { unionId: ZHANG, text: '定在周五', durationMs: 1000 },
    { unionId: HOST, text: 'TODO: 周四前提交测试报告', durationMs: 3000 },
  ]));
  clock.advance(60_000);
  res = await dt(app, 'POST', `${CONF}/minutes/pause`, token, { unionId: HOST });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  t.equal((await dt(app, 'GET', CONF, token)).body.confInfo.minutesStatus, 2);
  assertError(t, await dt(app, 'POST', `${CONF}/minutes/pause`, token, { unionId: HOST }), 400, 'paramsError', 'error:minutes are not recording');

  const text = (await dt(app, 'GET', `${CONF}/minutes/textInfos?unionId=${HOST}&maxResults=2`, token)).body;
  t.same([text.hasMore, text.nextToken, text.paragraphList.map((p: { paragraph: string; paragraphId: number; startTime: number }) => [p.paragraph, p.paragraphId, p.startTime])], [
    true,
    '2',
    [
      ['发布时间定了吗？', 2, 0],
      ['定在周五', 3, 2000],
    ],
  ]);
  const audio = (await dt(app, 'GET', `${CONF}/minutes/audioInfos?unionId=${HOST}`, token, undefined, { host: 'emu.test' })).body.audioList;
  t.equal(audio.length, 1);
  t.match(audio[0], { duration: 60_000, startTime: T0_MS + 5_000, unionId: HOST, playUrl: /^http:\/\/emu\.test\/_emulator\/worlds\/default\/dingtalk\/media\/[0-9a-f]{32}\?format=mp3$/ });

  const summary = (await dt(app, 'POST', `${CONF}/minutes/summaries/query`, token, { unionId: HOST })).body.summary;
  t.same(summary, {
    actions: [{ end: 6000, id: 1, sentenceId: 3, start: 3000, text: '周四前提交测试报告' }],
    autoChapters: [{ end: 6000, headline: '发布时间定了吗？', id: 1, start: 0, summary: '发布时间定了吗？ 定在周五 TODO: 周四前提交测试报告' }],
    conversationalSummary: [
      { speakerId: HOST, speakerName: '小钉', summary: '发布时间定了吗？ TODO: 周四前提交测试报告' },
      { speakerId: ZHANG, speakerName: '张三', summary: '定在周五' },
    ],
    keySentences: [
      { end: 2000, id: 1, sentenceId: 1, start: 0, text: '发布时间定了吗？' },
      { end: 3000, id: 2, sentenceId: 2, start: 2000, text: '定在周五' },
    ],
    keywords: [],
    paragraphSummary: '发布时间定了吗？ 定在周五 TODO: 周四前提交测试报告',
    questionsAnsweringSummary: [{ answer: '定在周五', question: '发布时间定了吗？', sentenceIdsOfAnswer: [2], sentenceIdsOfQuestion: [1] }],
  });
  res = await dt(app, 'POST', `${CONF}/minutes/summaries/query`, token, { unionId: HOST, summaryTypeList: ['keywords', 'actions'] });
  t.same(Object.keys(res.body.summary), ['actions', 'keywords']);
  assertError(t, await dt(app, 'POST', `${CONF}/minutes/summaries/query`, token, { unionId: HOST, summaryTypeList: ['mood'] }), 400, 'paramsError', 'error:summaryTypeList must list some of actions, autoChapters, conversationalSummary, keySentences, keywords, paragraphSummary, questionsAnsweringSummary');

  let result = (await dt(app, 'GET', `${CONF}/minutes/meetingResult?unionId=${HOST}`, token)).body;
  t.same(result, { action: ['周四前提交测试报告'], fullSummary: '发布时间定了吗？ 定在周五 TODO: 周四前提交测试报告' });
  res = await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/minutes/summary`, payload: { fullSummary: '确定周五发布', keywords: ['发布'] } });
  t.same(res.body, { overrides: { fullSummary: '确定周五发布', keywords: ['发布'] } });
  result = (await dt(app, 'GET', `${CONF}/minutes/meetingResult?unionId=${HOST}`, token)).body;
  t.equal(result.fullSummary, '确定周五发布', 'the control plane states the summary');
  t.same((await dt(app, 'POST', `${CONF}/minutes/summaries/query`, token, { unionId: HOST, summaryTypeList: ['keywords'] })).body.summary, { keywords: ['发布'] });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/minutes/summary`, payload: { fullSummary: null } });
  t.equal((await dt(app, 'GET', `${CONF}/minutes/meetingResult?unionId=${HOST}`, token)).body.fullSummary, '发布时间定了吗？ 定在周五 TODO: 周四前提交测试报告', 'null: derived again');

  assertError(t, await dt(app, 'GET', `${CONF}/minutes/textInfos`, token), 400, 'paramsError', 'error:unionId is required');
  assertError(t, await dt(app, 'GET', `${CONF}/minutes/textInfos?unionId=${WANG}`, token), 400, 'orgAccessForbidden', 'orgAccessForbidden');
  assertError(t, await dt(app, 'POST', `${CONF}/minutes/start`, token, { unionId: LI }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'POST', `/v1.0/conference/videoConferences/${ENDED}/minutes/start`, token, { unionId: HOST }), 400, 'confClosed', 'confClosed');
});

t.test('flash minutes: permissions, record URLs, chapter summary, document URL the emulator serves', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  let res = await dt(app, 'GET', `${CONF}/flashMinutes/summaries?recorderUnionId=${HOST}`, token);
  t.same(res.body, { flashMinutesSummary: { status: 0, summary: [] } }, 'no minutes yet');
  t.same((await dt(app, 'GET', `${CONF}/flashMinutes/recordUrls?recorderUnionId=${HOST}`, token)).body, { recordMinutesUrls: [] });
  assertError(t, await dt(app, 'GET', `${CONF}/flashMinutes/document/generate?unionId=${HOST}`, token), 400, 'paramsError', 'error:the conference has no minutes');
  await dt(app, 'POST', `${CONF}/minutes/start`, token, { unionId: HOST });
  await call(app, say([{ unionId: HOST, text: 'hello team' }]));
  res = await dt(app, 'GET', `${CONF}/flashMinutes/summaries?recorderUnionId=${HOST}&bizType=conference`, token);
  t.same(res.body, { flashMinutesSummary: { status: 1, summary: [{ end: 2500, headline: 'hello team', id: 1, start: 0, summary: 'hello team' }] } });
  const page = `http://localhost:80/_emulator/worlds/default/dingtalk/conferences/${STARTED}/minutes`;
  t.same((await dt(app, 'GET', `${CONF}/flashMinutes/recordUrls?recorderUnionId=${HOST}`, token)).body, { recordMinutesUrls: [{ recordMinutesUrl: page }] });
  t.same((await dt(app, 'GET', `${CONF}/flashMinutes/recordUrls?recorderUnionId=${ZHANG}`, token)).body, { recordMinutesUrls: [] }, 'not permitted yet');
  assertError(t, await dt(app, 'GET', `${CONF}/flashMinutes/document/generate?unionId=${ZHANG}`, token), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'POST', `${CONF}/flashMinutes/recordPermissions`, token, { ownerUnionId: ZHANG, unionId: ZHANG }), 400, 'paramsError', 'error:ownerUnionId is not the owner of the minutes');
  res = await dt(app, 'POST', `${CONF}/flashMinutes/recordPermissions`, token, { bizType: 'conference', ownerUnionId: HOST, unionId: ZHANG });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  res = await dt(app, 'GET', `${CONF}/flashMinutes/document/generate?unionId=${ZHANG}&expireTime=1769990400000`, token);
  t.same(res.body, { minutesDocUrl: `${page}?expireTime=1769990400000` });
  const served = await call(app, { method: 'GET', url: `/_emulator/worlds/default/dingtalk/conferences/${STARTED}/minutes` });
  t.match(served.body, { conferenceId: STARTED, minutesStatus: 1, ownerUnionId: HOST, readers: [ZHANG], lines: [{ unionId: HOST, text: 'hello team', startTime: 0, endTime: 2500 }], summary: { paragraphSummary: 'hello team' } });
  assertError(t, await dt(app, 'GET', `${CONF}/flashMinutes/document/generate?unionId=${ZHANG}&expireTime=soon`, token), 400, 'paramsError', 'error:expireTime must be a number');
  assertError(t, await dt(app, 'GET', `${CONF}/flashMinutes/recordUrls`, token), 400, 'paramsError', 'error:recorderUnionId is required');
  assertError(t, await dt(app, 'POST', `${CONF}/flashMinutes/recordPermissions`, token, { ownerUnionId: HOST, unionId: 'nobody' }), 400, 'unknownUserError', 'unknownUserError');
});
