import { STATUS_CODES } from 'node:http';
import { EmulatorError, fastifyErrorCode, type WireError } from './errors.js';

/** A control-plane error, rendered as RFC 7807 problem details. */
export class Problem extends EmulatorError {
  constructor(status: number, detail?: string, errors?: { path: string; message: string }[]) {
    super(status, STATUS_CODES[status] ?? 'Error', detail, errors ? { errors } : {});
  }
}

export function problemToWire(err: unknown): WireError {
  let status = 500;
  let detail: string | undefined;
  let extra: Record<string, unknown> = {};
  if (err instanceof Problem) {
    status = err.status;
    detail = err.message === err.code ? undefined : err.message;
    extra = err.details;
  } else if (fastifyErrorCode(err)) {
    const e = err as { statusCode?: number; message: string };
    status = e.statusCode ?? 400;
    detail = e.message;
  } else {
    detail = 'Internal error';
  }
  const body: Record<string, unknown> = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status };
  if (detail !== undefined) body.detail = detail;
  return { status, headers: { 'content-type': 'application/problem+json' }, body: { ...body, ...extra } };
}
