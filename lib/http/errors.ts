// One error type for expected failures; its code decides the HTTP status (see `statusOf`).
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For rate_limited: seconds until a retry can succeed (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** One line naming each bad field: "from: must be a date as YYYY-MM-DD; team: …". */
export function formatZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorResponse(code: ErrorCode, message: string, retryAfterSeconds?: number): Response {
  const body: ErrorBody = { error: { code, message } };
  const headers = retryAfterSeconds === undefined ? undefined : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return Response.json(body, { status: errorStatus[code], headers });
}
