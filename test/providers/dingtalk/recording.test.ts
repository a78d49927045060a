import t from 'tap';
import { build, call, T0_MS } from '../../helper.js';
import { ENDED, HOST, OTHER_ORG_CONFERENCE, STARTED, WANG, ZHANG, assertError, dt, tokenOf } from './fixtures.js';

const CONF = `/v1.0/conference/videoConferences/${STARTED}`;
const RECORD_ID = 0x6741c3a0;

t.test('cloud recording: host only, one at a time, segments become files; texts from the transcript', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const clock = app.emulator.worlds.default.clock;
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${ZHANG}/join` });
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/getVideos?unionId=${HOST}`, token), 400, 'cloudRecordNotFound', 'cloudRecordNotFound');
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: ZHANG }), 404, 'recordStartPermissionError', 'permissionError:only the host may start the cloud recording');
  let res = await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: HOST, mode: 'grid' });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  t.match((await dt(app, 'GET', CONF, token)).body.confInfo, { cloudRecordStatus: 1, cloudRecordOwnerUnionId: HOST });
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: HOST }), 404, 'recordStartError', 'recordStartError:a cloud recording is already running');

  res = await call(app, {
    method: 'POST',
    url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`,
    payload: { lines: [{ unionId: HOST, text: 'hello world' }, { unionId: ZHANG, text: '你好' }] },
  });
  t.same(res.body.lines, [
    { seq: 1, unionId: HOST, userNick: '小钉', startTime: T0_MS, endTime: T0_MS + 2750, text: 'hello world' },
    { seq: 2, unionId: ZHANG, userNick: '张三', startTime: T0_MS + 2750, endTime: T0_MS + 3750, text: '你好' },
  ]);
  clock.advance(60_000);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/recording`, payload: { action: 'pause', unionId: HOST } });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`, payload: { lines: [{ unionId: HOST, text: 'not recorded' }] } });
  clock.advance(10_000);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/recording`, payload: { action: 'resume', unionId: HOST } });
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/transcript`, payload: { lines: [{ unionId: ZHANG, text: 'again', durationMs: 500 }] } });
  clock.advance(20_000);
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/stop`, token, { unionId: ZHANG }), 400, 'recordStopPermissionError', "you can't operator, please contact meeting manager");
  res = await dt(app, 'POST', `${CONF}/cloudRecords/stop`, token, { unionId: HOST });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  t.equal((await dt(app, 'GET', CONF, token)).body.confInfo.cloudRecordStatus, 3);
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/stop`, token, { unionId: HOST }), 400, 'recordStopError', 'record stop error, please try again');

  const videos = (await dt(app, 'GET', `${CONF}/cloudRecords/getVideos?unionId=${HOST}`, token)).body.videoList;
  t.equal(videos.length, 2, 'a file per segment');
  t.same(videos[0], {
    recordId: String(RECORD_ID),
    unionId: HOST,
    startTime: T0_MS,
    recordType: 0,
    duration: 60_000,
    fileSize: 7_500_000,
    endTime: T0_MS + 60_000,
    mediaId: videos[0].mediaId,
    regionId: 'cn-hangzhou',
  });
  t.match(videos[0].mediaId, /^[0-9a-f]{32}$/);
  t.same([videos[1].startTime, videos[1].duration], [T0_MS + 70_000, 20_000]);

  const play = await dt(app, 'GET', `${CONF}/cloudRecords/videos/getPlayInfos?unionId=${HOST}&mediaId=${videos[1].mediaId}&regionId=cn-hangzhou`, token, undefined, { host: 'emu.test:4010' });
  const mediaUrl = `http://emu.test:4010/_emulator/worlds/default/dingtalk/media/${videos[1].mediaId}`;
  t.same(play.body, { playUrl: `${mediaUrl}?format=m3u8`, mp4FileUrl: `${mediaUrl}?format=mp4`, fileSize: 2_500_000, duration: 20_000, status: 0 });
  const served = await call(app, { method: 'GET', url: new URL(play.body.mp4FileUrl).pathname + '?format=mp4' });
  t.same(served.body, { mediaId: videos[1].mediaId, conferenceId: STARTED, kind: 'cloud', unionId: HOST, startTime: T0_MS + 70_000, endTime: T0_MS + 90_000, duration: 20_000, fileSize: 2_500_000, format: 'mp4' });
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/videos/getPlayInfos?unionId=${HOST}&mediaId=nope&regionId=cn-hangzhou`, token), 400, 'cloudRecordNotFound', 'cloudRecordNotFound');
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/videos/getPlayInfos?unionId=${HOST}&regionId=cn-hangzhou`, token), 400, 'paramsError', 'error:mediaId is required');

  const texts = (await dt(app, 'GET', `${CONF}/cloudRecords/getTexts?unionId=${HOST}`, token)).body;
  t.same(texts.paragraphList.map((p: { paragraph: string; startTime: number; endTime: number }) => [p.paragraph, p.startTime, p.endTime]), [
    ['hello world', 0, 2750],
    ['你好', 2750, 3750],
    ['again', 70_000, 70_500],
  ], 'lines said while recording, ms since the recording started; the paused line is left out');
  t.same(texts.paragraphList[0], {
    endTime: 2750,
    nextTtoken: 1,
    nickName: '小钉',
    paragraph: 'hello world',
    recordId: RECORD_ID,
    sentenceList: [
      {
        endTime: 2750,
        sentence: 'hello world',
        startTime: 0,
        unionId: HOST,
        wordList: [
          { endTime: 1375, startTime: 0, word: 'hello', wordId: '1-1' },
          { endTime: 2750, startTime: 1375, word: 'world', wordId: '1-2' },
        ],
      },
    ],
    startTime: 0,
    status: 0,
    unionId: HOST,
  });
  t.same(texts.paragraphList[1].sentenceList[0].wordList.map((w: { word: string }) => w.word), ['你', '好'], 'per character without white space');
  let page = (await dt(app, 'GET', `${CONF}/cloudRecords/getTexts?maxResults=1&nextToken=1&direction=1`, token)).body;
  t.same([page.hasMore, page.paragraphList[0].paragraph, page.paragraphList[0].nextTtoken], [true, '你好', 2]);
  page = (await dt(app, 'GET', `${CONF}/cloudRecords/getTexts?startTime=3000`, token)).body;
  t.same(page.paragraphList.map((p: { paragraph: string }) => p.paragraph), ['again']);
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/getTexts?maxResults=2001`, token), 400, 'paramsError', 'error:maxResults is invalid');
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/getTexts?unionId=${WANG}`, token), 400, 'orgAccessForbidden', 'orgAccessForbidden');
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/getVideos?unionId=nobody`, token), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await dt(app, 'GET', `${CONF}/cloudRecords/getVideos`, token), 400, 'paramsError', 'error:unionId is required');

  await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: HOST });
  clock.advance(5_000);
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/end` });
  t.equal((await dt(app, 'GET', `${CONF}/cloudRecords/getVideos?unionId=${HOST}`, token)).body.videoList.length, 3, 'the end of the meeting finishes the file; files stay readable');
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: HOST }), 400, 'roomClosed', 'the meeting has ended');
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/stop`, token, { unionId: HOST }), 400, 'roomClosed', 'the meeting has ended');
});

t.test('cloud recording: parameter and permission errors', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, {}), 400, 'paramsError', 'error:unionId is required');
  assertError(t, await dt(app, 'POST', `${CONF}/cloudRecords/start`, token, { unionId: HOST, mode: 'mosaic' }), 400, 'paramsError', 'error:mode must be one of grid, speech, full_screen');
  assertError(t, await dt(app, 'POST', `/v1.0/conference/videoConferences/${OTHER_ORG_CONFERENCE}/cloudRecords/start`, token, { unionId: HOST }), 403, 'noPermission', 'NO PERMISSION');
  assertError(t, await dt(app, 'POST', `/v1.0/conference/videoConferences/${ENDED}/cloudRecords/start`, token, { unionId: HOST }), 400, 'roomClosed', 'the meeting has ended');
  assertError(t, await dt(app, 'GET', `/v1.0/conference/videoConferences/nope/cloudRecords/getTexts`, token), 404, 'roomNotFound', 'ROOM NOT FOUND');
  const missing = await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/media/nope' });
  t.same([missing.status, missing.body.detail], [404, 'No media nope in world default']);
});

t.test('stream-out: rtmp URLs start, others fail with a reason; stop one or all; the meeting end stops them', async (t) => {
  const app = await build(t);
  const token = await tokenOf(app);
  const body = { unionId: HOST, needHostJoin: true, streamName: '直播', mode: 'grid', smallWindowPosition: 'float_right' };
  let res = await dt(app, 'POST', `${CONF}/streamOuts/start`, token, { ...body, streamUrlList: ['rtmp://a.example/live/1', 'http://b.example/x', 'rtmp://a.example/live/2'] });
  t.equal(res.status, 200);
  const ids = res.body.successStreamMap;
  t.same(Object.keys(ids), ['rtmp://a.example/live/1', 'rtmp://a.example/live/2']);
  t.match(ids['rtmp://a.example/live/1'], /^[0-9a-f]{32}$/);
  t.same(res.body.failStreamMap, { 'http://b.example/x': 'stream url must start with rtmp' });
  const view = async () =>
    (await call(app, { method: 'GET', url: '/_emulator/worlds/default/dingtalk/conferences' })).body.conferences.find((c: { conferenceId: string }) => c.conferenceId === STARTED).streamOuts;
  t.same((await view()).map((s: { url: string; endTime: number | null }) => [s.url, s.endTime]), [
    ['rtmp://a.example/live/1', null],
    ['rtmp://a.example/live/2', null],
  ]);
  app.emulator.worlds.default.clock.advance(1000);
  res = await dt(app, 'POST', `${CONF}/streamOuts/stop`, token, { unionId: HOST, stopAllStream: false, streamId: ids['rtmp://a.example/live/1'] });
  t.same([res.status, res.text], [200, '{"code":"200"}']);
  t.same((await view()).map((s: { endTime: number | null }) => s.endTime), [T0_MS + 1000, null]);
  assertError(t, await dt(app, 'POST', `${CONF}/streamOuts/stop`, token, { unionId: HOST, stopAllStream: false, streamId: ids['rtmp://a.example/live/1'] }), 400, 'paramsError', 'error:streamId is invalid');
  await call(app, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/end` });
  t.same((await view()).map((s: { endTime: number | null }) => s.endTime), [T0_MS + 1000, T0_MS + 1000]);

  assertError(t, await dt(app, 'POST', `${CONF}/streamOuts/start`, token, { ...body, streamUrlList: ['rtmp://x'] }), 400, 'confClosed', 'confClosed');
  const app2 = await build(t);
  const token2 = await tokenOf(app2);
  const start = (extra: Record<string, unknown>) => dt(app2, 'POST', `${CONF}/streamOuts/start`, token2, { ...body, streamUrlList: ['rtmp://x'], ...extra });
  assertError(t, await start({ streamName: undefined }), 400, 'paramsError', 'error:streamName is required');
  assertError(t, await start({ needHostJoin: undefined }), 400, 'paramsError', 'error:needHostJoin is required');
  assertError(t, await start({ streamUrlList: Array.from({ length: 11 }, (_, i) => `rtmp://x/${i}`) }), 400, 'paramsError', 'error:streamUrlList holds at most 10 urls');
  assertError(t, await start({ unionId: 'nobody' }), 400, 'unknownUserError', 'unknownUserError');
  assertError(t, await start({ unionId: WANG }), 400, 'orgAccessForbidden', 'orgAccessForbidden');
  await call(app2, { method: 'POST', url: `/_emulator/dingtalk/conferences/${STARTED}/members/${HOST}/leave` });
  res = await start({});
  t.same(res.body, { successStreamMap: {}, failStreamMap: { 'rtmp://x': 'the host has not joined' } });
  res = await dt(app2, 'POST', `${CONF}/streamOuts/stop`, token2, { unionId: HOST, stopAllStream: true });
  t.equal(res.status, 200);
  assertError(t, await dt(app2, 'POST', `${CONF}/streamOuts/stop`, token2, { unionId: HOST }), 400, 'paramsError', 'error:stopAllStream is required');
});
