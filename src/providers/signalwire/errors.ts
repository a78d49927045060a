import { STATUS_CODES } from 'node:http';
import { EmulatorError, fastifyErrorCode, type WireError } from '../../core/errors.js';

/** One entry of a 422 body (reference §2.6). */
export interface FieldError {
  type: 'validation_error';
  code: 'invalid_parameter' | 'value_not_unique';
  message: string;
  attribute: string;
  url: string;
}

/** Rails validator messages (reference §2.6 table). */
export const MESSAGES = {
  blank: "can't be blank",
  invalid: 'is invalid',
  tooLong: (n: number) => `is too long (maximum is ${n} characters)`,
  inclusion: 'is not included in the list',
  unique: 'This value must be unique',
  unchangeable: "can't be changed",
  notANumber: 'is not a number',
  atLeast: (n: number) => `must be greater than or equal to ${n}`,
  atMost: (n: number) => `must be less than or equal to ${n}`,
  greaterThan: (n: number) => `must be greater than ${n}`,
} as const;

export function fieldError(attribute: string, message: string, code: FieldError['code'] = 'invalid_parameter'): FieldError {
  return { type: 'validation_error', code, message, attribute, url: `https://developer.signalwire.com/rest/overview/error-codes/#${code}` };
}

/** SignalWire's error catalogue: each error carries the exact body the API sends. */
export class SignalWireError extends EmulatorError {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(status, code);
    this.body = body;
    this.headers = headers;
  }
}

const generic = (status: number, reason: string) => new SignalWireError(status, reason, { error: reason });

export const errors = {
  badRequest: () => generic(400, 'Bad Request'),
  unauthorized: () => generic(401, 'Unauthorized'),
  forbidden: () => generic(403, 'Forbidden'),
  notFound: () => generic(404, 'Not Found'),
  payloadTooLarge: () => generic(413, 'Payload Too Large'),
  tooManyRequests: () => generic(429, 'Too Many Requests'),
  internal: () => generic(500, 'Internal Server Error'),
  notImplemented: () => generic(501, 'Not Implemented'),
  // A proxied request the upstream did not answer (README, Proxy and record).
  badGateway: () => generic(502, 'Bad Gateway'),
  gatewayTimeout: () => generic(504, 'Gateway Timeout'),
  validation: (entries: FieldError[]) => new SignalWireError(422, 'validation_error', { errors: entries }),
};

/** Renders anything thrown under `/api/video` in SignalWire's format. */
export function toWire(err: unknown): WireError {
  if (err instanceof SignalWireError) return { status: err.status, headers: err.headers, body: err.body };
  // A body over the limit is the generic body of 413; other body-parser failures (bad media type, …)
  // are the generic 400 (reference §2.6).
  const fastifyCode = fastifyErrorCode(err);
  if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') return toWire(errors.payloadTooLarge());
  if (fastifyCode?.startsWith('FST_ERR_CTP_')) return toWire(errors.badRequest());
  return toWire(errors.internal());
}

/** Catalogue codes an injected fault may name (control plane `POST /_emulator/faults`). */
export const FAULT_CODES = ['bad_request', 'unauthorized', 'not_found', 'too_many_requests', 'internal_server_error', 'value_not_unique'];

/** What an injected error needs to know of the operation it answers. */
export interface FaultTarget {
  /** The 422 body the operation documents (its example), for a 422 injected without a code. */
  validationExample?: { errors: FieldError[] };
  /** The project's request limit, when the operation counts against it (POST, PUT): its answers carry the headers. */
  limit?: number;
}

const BY_CODE: Record<string, () => SignalWireError> = {
  bad_request: errors.badRequest,
  unauthorized: errors.unauthorized,
  not_found: errors.notFound,
  too_many_requests: errors.tooManyRequests,
  internal_server_error: errors.internal,
  value_not_unique: () => errors.validation([fieldError('name', MESSAGES.unique, 'value_not_unique')]),
};

/**
 * The error an injected fault answers with: a catalogue code, or the body the spec documents for a
 * status (reference §2.6): the reason phrase, or for 422 the operation's documented example.
 */
export function faultError(action: { status?: number; code?: string }, target: FaultTarget = {}): SignalWireError {
  const status = action.status ?? 500;
  let err: SignalWireError;
  if (action.code !== undefined && BY_CODE[action.code]) err = BY_CODE[action.code]();
  else if (status === 422) err = errors.validation(structuredClone(target.validationExample?.errors ?? [fieldError('name', MESSAGES.invalid)]));
  else err = generic(status, STATUS_CODES[status] ?? 'Error');
  if (action.status !== undefined && action.status !== err.status) err = new SignalWireError(action.status, err.code, err.body);
  // A counted operation's answers carry the window's headers; a refused request leaves none.
  if (target.limit !== undefined && err.status !== 401) {
    err.headers['X-RateLimit-Limit'] = String(target.limit);
    err.headers['X-RateLimit-Remaining'] = err.status === 429 ? '0' : String(target.limit);
  }
  return err;
}
