import { EmulatorError, fastifyErrorCode, type WireError } from '../../core/errors.js';
import type { Operation } from '../../core/openapi.js';

/**
 * DingTalk's error catalogue (reference §2.1–§3). The wire body is always
 * `{code, requestid, message}` (plus `accessdenieddetail` for scope errors), built only in `toWire`.
 */
export class DingTalkError extends EmulatorError {
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(status, code, message, details);
  }
}

const e = (status: number, code: string, message: string = code) => new DingTalkError(status, code, message);

interface RouteError {
  code: string;
  message: string;
}

/** The route's own parameter error (`x-param-error`), `<detail>` filled in (reference §2.4). */
export function paramError(op: Operation, detail: string): DingTalkError {
  const { code, message } = op.extensions['x-param-error'] as RouteError;
  return e(400, code, message.replace('<detail>', detail));
}

/** The route's own 500 (`x-system-error`). */
export function systemError(op: Operation | undefined, detail = 'internal error'): DingTalkError {
  const { code, message } = (op?.extensions['x-system-error'] as RouteError | undefined) ?? { code: 'systemError', message: 'systemError' };
  return e(500, code, message.replace('<detail>', detail));
}

export const errors = {
  notFound: () => e(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  missingToken: () => e(400, 'AuthenticationFailed.MissingParameter', '缺少参数：x-acs-dingtalk-access-token'),
  invalidToken: () => e(400, 'InvalidAuthentication', '不合法的access_token'),
  scopeDenied: (requiredScopes: string[]) =>
    new DingTalkError(
      403,
      'Forbidden.AccessDenied.AccessTokenPermissionDenied',
      '没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp-server/add-api-permission',
      { accessdenieddetail: { requiredScopes } },
    ),
  qpsLimit: () => e(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了'),
  notImplemented: (operationId: string) => e(501, 'notImplemented', `The operation ${operationId} is not implemented by the emulator`),
  // Token route (§3.1)
  missingBody: () => e(400, 'Missingbody', 'body is mandatory for this action.'),
  missingAppKey: () => e(400, 'MissingappKey', 'appKey is mandatory for this action.'),
  missingAppSecret: () => e(400, 'MissingappSecret', 'appSecret is mandatory for this action.'),
  invalidClient: () => e(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret'),
  // Conference routes (§2.4, §3)
  missingRoomId: () => e(400, 'missingRoomId', 'MISSING ROOM ID'),
  noPermission: () => e(403, 'noPermission', 'NO PERMISSION'),
  roomNotFound: () => e(404, 'roomNotFound', 'ROOM NOT FOUND'),
  titleError: (detail: string) => e(400, 'paramsTitleError', `error:${detail}`),
  unknownUser: () => e(400, 'unknownUserError'),
  orgAccessForbidden: () => e(400, 'orgAccessForbidden'),
  resourceClose: () => e(400, 'resourceClose', 'The meeting has ended'),
  missingRoomCode: () => e(400, 'missingRoomCode'),
  invalidRoomCode: () => e(400, 'invalidRoomCode'),
  // In-meeting control on an ended meeting, and lock's unknown action (lockConference page).
  confClosed: () => e(400, 'confClosed'),
  commandError: () => e(400, 'commandError'),
  // lockConference's page: another org's meeting is a 400 whose message equals its code.
  lockNoPermission: () => e(400, 'noPermission'),
  // queryUserOnGoingConference's page: its own dotted codes.
  userParamError: () => e(400, 'param.error'),
  missingUserInfo: () => e(400, 'param.error', 'missing.user.info'),
  // Scheduled conferences (their pages' own codes).
  permissionError: (detail: string) => e(400, 'permissionError', `permissionError:${detail}`),
  resourceCancel: () => e(400, 'resourceCancel', 'Schedule conference has canceled'),
  invalidScheduleConferenceId: () => e(400, 'invalidScheduleConferenceId'),
  scheduleConferenceIdError: () => e(400, 'scheduleConferenceIdError'),
  creatorUidError: () => e(400, 'creatorUidError'),
  userNotInOrg: () => e(400, 'userNotInOrg'),
  extensionAppSettingError: () => e(400, 'extensionAppSettingError', 'extensionAppSettingCountError'),
  settingsNoPermission: () => e(403, 'noPermission'),
  // Cloud recording and stream-out (their pages' own codes).
  roomClosed: () => e(400, 'roomClosed', 'the meeting has ended'),
  recordStartError: (detail: string) => e(404, 'recordStartError', `recordStartError:${detail}`),
  recordStartPermissionError: (detail: string) => e(404, 'recordStartPermissionError', `permissionError:${detail}`),
  recordStopPermissionError: () => e(400, 'recordStopPermissionError', "you can't operator, please contact meeting manager"),
  recordStopError: () => e(400, 'recordStopError', 'record stop error, please try again'),
  cloudRecordNotFound: () => e(400, 'cloudRecordNotFound'),
  // A proxied request the upstream did not answer (README, Proxy and record): the gateway's envelope.
  upstream: (status: number, message: string) => e(status, 'systemError', message),
  // Room-code lookup: its messages equal its codes (§3.7).
  roomCodeNoPermission: () => e(403, 'noPermission'),
};

/**
 * The error an injected fault answers with (control plane faults): a catalogue code, else by status
 * (5xx the route's systemError, 403 the throttle, anything else the route's parameter error).
 */
/** Catalogue codes an injected fault may name (`POST /_emulator/faults`), besides each route's own parameter code. */
export const FAULT_CODES = [
  'systemError',
  'waterLimitError',
  'permissionError',
  'AuthenticationFailed.MissingParameter',
  'InvalidAuthentication',
  'Forbidden.AccessDenied.AccessTokenPermissionDenied',
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  'invalidClientIdOrSecret',
  'missingRoomId',
  'noPermission',
  'roomNotFound',
  'resourceClose',
  'unknownUserError',
  'orgAccessForbidden',
  'paramError',
  'paramsError',
  'confClosed',
  'commandError',
  'resourceCancel',
  'invalidScheduleConferenceId',
  'scheduleConferenceIdError',
  'creatorUidError',
  'userNotInOrg',
  'roomClosed',
  'recordStartError',
  'recordStopError',
  'cloudRecordNotFound',
];

export function faultError(action: { status?: number; code?: string }, op: Operation): DingTalkError {
  const status = action.status;
  const byCode: Record<string, () => DingTalkError> = {
    systemError: () => systemError(op, 'injected fault'),
    // Documented for create, produced only by injection (reference §3.2).
    waterLimitError: () => e(404, 'waterLimitError', 'waterLimitError:conference quota exceeded'),
    permissionError: () => e(404, 'permissionError', 'permissionError:no permission to create a conference'),
    'AuthenticationFailed.MissingParameter': errors.missingToken,
    InvalidAuthentication: errors.invalidToken,
    'Forbidden.AccessDenied.AccessTokenPermissionDenied': () => errors.scopeDenied(op.requiredScopes),
    'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi': errors.qpsLimit,
    invalidClientIdOrSecret: errors.invalidClient,
    missingRoomId: errors.missingRoomId,
    noPermission: errors.noPermission,
    roomNotFound: errors.roomNotFound,
    resourceClose: errors.resourceClose,
    unknownUserError: errors.unknownUser,
    orgAccessForbidden: errors.orgAccessForbidden,
    confClosed: errors.confClosed,
    commandError: errors.commandError,
    resourceCancel: errors.resourceCancel,
    invalidScheduleConferenceId: errors.invalidScheduleConferenceId,
    scheduleConferenceIdError: errors.scheduleConferenceIdError,
    creatorUidError: errors.creatorUidError,
    userNotInOrg: errors.userNotInOrg,
    roomClosed: errors.roomClosed,
    recordStartError: () => errors.recordStartError('injected fault'),
    recordStopError: errors.recordStopError,
    cloudRecordNotFound: errors.cloudRecordNotFound,
  };
  const paramCode = (op.extensions['x-param-error'] as RouteError).code;
  if (action.code !== undefined) {
    if (action.code === paramCode) return paramError(op, 'injected fault');
    return byCode[action.code]?.() ?? e(status ?? 500, action.code);
  }
  if (status === undefined || status >= 500) {
    const err = systemError(op, 'injected fault');
    return status === undefined ? err : new DingTalkError(status, err.code, err.message);
  }
  if (status === 403) return errors.qpsLimit();
  const err = paramError(op, 'injected fault');
  return new DingTalkError(status, err.code, err.message);
}

/** What Fastify's own body errors mean, for the route's parameter error. */
const FASTIFY_BODY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body is required',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'body must be JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body is too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body is required',
};

/**
 * Renders anything thrown under `/v1.0` in DingTalk's envelope. Fastify's body errors become the
 * route's parameter error; any other unexpected exception the route's `systemError` (§2.1).
 */
export function toWire(err: unknown, op: Operation | undefined, requestId: string): WireError {
  let error: DingTalkError;
  if (err instanceof DingTalkError) error = err;
  else {
    const fastifyCode = fastifyErrorCode(err);
    if (fastifyCode && op) error = paramError(op, FASTIFY_BODY_DETAILS[fastifyCode] ?? 'invalid request');
    // Only an unmatched route has no operation: its body errors still answer "unknown API".
    else if (fastifyCode) error = errors.notFound();
    else error = systemError(op);
  }
  return { status: error.status, body: { code: error.code, requestid: requestId, message: error.message, ...error.details } };
}
