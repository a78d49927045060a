import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { call, type Reply } from '../../helper.js';

/** Credentials and ids of the default DingTalk fixtures (fixtures/dingtalk.json). */
export const APP = { appKey: 'dingemulatorkey0001', appSecret: 'emulator-secret-0001' };
export const READONLY_APP = { appKey: 'dingreadonlykey0001', appSecret: 'readonly-secret-0001' };
export const OTHER_ORG_APP = { appKey: 'dingotherorgkey0001', appSecret: 'otherorg-secret-0001' };

export const HOST = 'unionid-host-0001iEiE';
export const ZHANG = 'unionid-user-0002iEiE';
export const LI = 'unionid-user-0003iEiE';
export const ZHOU = 'unionid-user-0006iEiE';
export const WANG = 'unionid-guest-0004iEiE'; // ding-org-2
export const SUN = 'unionid-user-0005iEiE'; // ding-org-2

export const STARTED = '6741c3a09f1e2d3c4b5a6978';
export const STARTED_ROOM_CODE = '42726033559';
export const STARTED_LINK = 'https://meeting.dingtalk.com/app?roomCode=42726033559&token=1_7ac9e3b2-4f1d-4c8a-9b6e-2d5f8a1c3e70';
export const STARTED_AT = 1732363168000;
export const ENDED = '67407220a1b2c3d4e5f60718';
export const ENDED_ROOM_CODE = '38145920671';
export const OTHER_ORG_CONFERENCE = '67431520c4d5e6f708192a3b';
export const OTHER_ORG_ROOM_CODE = '51730264893';

export const READ = 'VideoConference.Conference.Read';
export const WRITE = 'VideoConference.Conference.Write';

export const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
export const CONTENT_TYPE = 'application/json;charset=utf-8';

export const MSG = {
  missingToken: '缺少参数：x-acs-dingtalk-access-token',
  invalidToken: '不合法的access_token',
  scope: '没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp-server/add-api-permission',
  qps: '您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了',
  notFound: 'Specified api is not found, please check your url and method.',
};

export async function tokenOf(app: FastifyInstance, creds: { appKey: string; appSecret: string } = APP): Promise<string> {
  const res = await call(app, { method: 'POST', url: '/v1.0/oauth2/accessToken', payload: creds });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  return res.body.accessToken;
}

/** A request to the DingTalk API with a token (or none). */
export function dt(app: FastifyInstance, method: string, url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const h: Record<string, string> = { ...headers };
  if (token !== undefined) h['x-acs-dingtalk-access-token'] = token;
  return call(app, { method: method as 'GET', url, headers: h, ...(payload === undefined ? {} : { payload: payload as string }) });
}

/** The §2.1 headers every /v1.0 response carries. */
export function assertEnvelopeHeaders(t: Test, res: Reply): void {
  t.equal(res.headers['content-type'], CONTENT_TYPE, 'content-type exactly');
  t.match(res.headers['x-acs-request-id'], REQUEST_ID, 'x-acs-request-id is an uppercase GUID');
  t.match(res.headers['x-acs-trace-id'], /^[0-9a-f]{32}$/, 'x-acs-trace-id is 32 lowercase hex');
  t.equal(res.headers.server, 'DingTalk/1.0.0');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.equal(res.headers['access-control-allow-methods'], 'POST, GET, OPTIONS, PUT, DELETE');
  t.equal(res.headers['access-control-allow-headers'], 'X-Requested-With, X-Sequence, _aop_secret, _aop_signature, x-acs-dingtalk-access-token');
}

/** An error in DingTalk's envelope: exact status, code, message, key order, and request id header = body. */
export function assertError(t: Test, res: Reply, status: number, code: string, message: string, extra?: Record<string, unknown>): void {
  t.equal(res.status, status, `status ${status}`);
  assertEnvelopeHeaders(t, res);
  t.equal(res.headers['x-acs-request-id'], res.body?.requestid, 'x-acs-request-id equals requestid');
  t.equal(res.text, JSON.stringify({ code, requestid: res.body?.requestid, message, ...extra }), `${code}: exact body`);
}
