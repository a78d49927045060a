/**
 * Base of every error the emulator throws on purpose. Each provider subclasses it in its own
 * catalogue (`src/providers/<slug>/errors.ts`) and renders it with its own `toWire`.
 */
export class EmulatorError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? code);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** What a provider's `toWire` produces: the exact status, headers and body the client sees. */
export interface WireError {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; `undefined` sends no body. */
  body?: unknown;
}

/** Fastify's own errors (body parser, limits) carry a `code` such as FST_ERR_CTP_INVALID_JSON_BODY. */
export function fastifyErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('FST_') ? code : undefined;
}

/** An error of the store (better-sqlite3's `SqliteError`): its text names tables and types, never shown to a client. */
export function isStoreError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: unknown }).code;
  return err.name === 'SqliteError' || (typeof code === 'string' && code.startsWith('SQLITE_'));
}
