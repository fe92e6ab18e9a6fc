// One error type with a closed set of codes; `errorResponse` maps any error to an HTTP
// status and a JSON body without leaking internals.
import 'server-only';

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  conflict: 422,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorBody(err: unknown): { status: number; body: { error: string; message: string } & Record<string, unknown> } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: err.code, message: err.message, ...err.details } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error; see the server log' } };
}
