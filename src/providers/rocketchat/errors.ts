import { EmulatorError, fastifyErrorCode, isStoreError, type WireError } from '../../core/errors.js';

/**
 * Rocket.Chat's error catalogue (reference §3.3, §4, §9). Each error carries the exact body the
 * server sends; `toWire` is the one place that turns any thrown value into a response.
 */
export class RocketChatError extends EmulatorError {
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(status, code, typeof body.error === 'string' ? body.error : code);
    this.body = body;
    this.headers = headers;
  }
}

/** `API.v1.failure(msg)`: 400 `{success:false, error}`; `failure()` drops `error`. */
export function failure(error?: string): RocketChatError {
  return new RocketChatError(400, error ?? 'failure', error === undefined ? { success: false } : { success: false, error });
}

const NOT_LOGGED_IN = 'You must be logged in to do this.';

/**
 * Bodies that follow the server's version switch (`applyBreakingChanges`, `semver.gte(version, '8.0.0')`
 * in `app/api/server/api.ts`, reference §12): `breaking` is true for a world at 8.0 or later.
 */
export const errors = {
  invalidParams: () => failure('invalid-params'),
  validation: (ajvMessage: string) =>
    new RocketChatError(400, 'invalid-params', { success: false, error: `${ajvMessage} [invalid-params]`, errorType: 'invalid-params' }),
  // `API.v1.unauthorized(msg)`; before 8.0 with the Restivus-era `status` and `message` too.
  notLoggedIn: (breaking: boolean) =>
    new RocketChatError(
      401,
      'not-logged-in',
      breaking ? { success: false, error: NOT_LOGGED_IN } : { success: false, error: NOT_LOGGED_IN, status: 'error', message: NOT_LOGGED_IN },
    ),
  // `API.v1.forbidden()`: `forbidden` from 8.0, `unauthorized` before.
  forbidden: (breaking: boolean) => new RocketChatError(403, 'forbidden', { success: false, error: breaking ? 'forbidden' : 'unauthorized' }),
  notFound: () => new RocketChatError(404, 'not-found', { success: false, error: 'Resource not found' }),
  methodNotAllowed: (allow: string) => new RocketChatError(405, 'method-not-allowed', { status: 'error', message: 'API endpoint does not exist' }, { Allow: allow }),
  payloadTooLarge: () => new RocketChatError(413, 'payload-too-large', { success: false, error: 'request entity too large' }),
  tooManyRequests: (seconds: number) =>
    new RocketChatError(429, 'error-too-many-requests', {
      success: false,
      error: `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again. [error-too-many-requests]`,
    }),
  notImplemented: (operationId: string) =>
    new RocketChatError(501, 'error-not-implemented', { success: false, error: `The operation ${operationId} is not implemented by the emulator [error-not-implemented]` }),
  // A proxied request the upstream did not answer (README, Proxy and record): the REST failure shape.
  upstream: (status: number, message: string) => new RocketChatError(status, 'upstream', { success: false, error: message }),
  // A failed login (§9) is `API.v1.unauthorized()`; before 8.0 Meteor's error code and reason are merged in.
  login: (breaking: boolean, code: string | number, message: string) =>
    new RocketChatError(401, 'login', breaking ? { success: false, error: 'unauthorized' } : { success: false, error: code, status: 'error', message }),
  loginUnknownUser: (breaking: boolean) => errors.login(breaking, 'Unauthorized', 'Unauthorized'),
  loginIncorrectPassword: (breaking: boolean) => errors.login(breaking, 403, 'Incorrect password'),
  loginUnknownResume: (breaking: boolean) => errors.login(breaking, 403, "You've been logged out by the server. Please log in again."),
  loginUnrecognized: (breaking: boolean) => errors.login(breaking, 400, 'Unrecognized options for login request'),
  /** `MongoServerError` 51024, which the action wrapper passes on as a failure: a negative `skip` (§12 pagination). */
  negativeSkip: (skip: string) => failure(`BSON field 'skip' value must be >= 0, actual value '${skip}'`),
};

/** `availabilityErrors` of `lib/videoConference/constants.ts`. */
export const availability = {
  NO_APP: 'no-videoconf-provider-app',
  NOT_ACTIVE: 'no-active-video-conf-provider',
  NOT_CONFIGURED: 'video-conf-provider-not-configured',
} as const;

/** Catalogue codes an injected fault may name (`POST /_emulator/faults`). */
export const FAULT_CODES = [
  'invalid-params',
  'invalid-call',
  'invalid-call-status',
  'no-active-video-conf-provider',
  'no-videoconf-provider-app',
  'video-conf-provider-not-configured',
  'error-invalid-user',
  'failed-to-get-url',
  'room_is_archived',
  'room_is_blocked',
  'You_have_been_muted',
  'unauthorized',
  'forbidden',
  'not-logged-in',
  'error-too-many-requests',
];

/** What an injected error needs to know of the operation it answers. */
export interface FaultTarget {
  rateLimit?: { limit: number; intervalMs: number };
  /** The `Allow` header of the operation's path (its methods, then `OPTIONS`). */
  allow: string;
}

// A status alone gives the body the spec documents for it (openapi/rocketchat.yaml components/responses).
const BY_STATUS: Record<number, string> = { 400: 'failure', 401: 'not-logged-in', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed', 413: 'payload-too-large', 429: 'error-too-many-requests' };

/** The error an injected fault answers with: a catalogue code, or the documented body for a status. */
export function faultError(action: { status?: number; code?: string }, target: FaultTarget, now: number, breaking = true): RocketChatError {
  const code = action.code ?? BY_STATUS[action.status ?? 400] ?? 'internal-error';
  let err: RocketChatError;
  if (code === 'not-logged-in') err = errors.notLoggedIn(breaking);
  // `unauthorized` names the 403 of `API.v1.forbidden()`, whose body the world's version picks.
  else if (code === 'unauthorized' || code === 'forbidden') err = errors.forbidden(breaking);
  else if (code === 'not-found') err = errors.notFound();
  else if (code === 'failure') err = failure();
  else if (code === 'method-not-allowed') err = errors.methodNotAllowed(target.allow);
  else if (code === 'payload-too-large') err = errors.payloadTooLarge();
  // No operation documents a 500: the fault is refused when created, so this answers only a direct caller.
  else if (code === 'internal-error') err = new RocketChatError(500, code, { success: false, error: 'Internal server error' });
  else if (code === 'error-too-many-requests') {
    const interval = target.rateLimit?.intervalMs ?? 60_000;
    err = errors.tooManyRequests(Math.ceil(interval / 1000));
    Object.assign(err.headers, {
      'X-RateLimit-Limit': String(target.rateLimit?.limit ?? 10),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(now + interval),
    });
  } else err = failure(code);
  if (action.status === undefined || action.status === err.status) return err;
  return new RocketChatError(action.status, err.code, err.body, err.headers);
}

/** Renders anything thrown on a `/api/v1` route in Rocket.Chat's format. */
export function toWire(err: unknown): WireError {
  if (err instanceof RocketChatError) return { status: err.status, headers: err.headers, body: err.body };
  if (fastifyErrorCode(err) === 'FST_ERR_CTP_BODY_TOO_LARGE') return toWire(errors.payloadTooLarge());
  // The REST action wrapper turns any other exception into a 400 failure (reference §3.1 step 5); a
  // store error's text is the emulator's own, so it answers the documented failure without a message.
  const message = err instanceof Error && err.message && !isStoreError(err) ? err.message : undefined;
  return { status: 400, body: message === undefined ? { success: false } : { success: false, error: message } };
}
