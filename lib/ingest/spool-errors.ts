// What counts as "the database is unreachable" (the only failure a receiver spools through), and
// the answer a receiver gives when it can neither store nor spool a delivery.

// PostgreSQL SQLSTATEs of a lost or refused session: admin shutdown, crash shutdown, cannot
// connect now (starting up, shutting down, in recovery), and class 08 (connection exception).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
// Socket errors of a refused, reset or vanished connection.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
// Prisma's codes for the same: can't reach, timed out reaching, server closed the connection.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
// The driver adapter's kinds (@prisma/adapter-pg) for the same.
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
// node-postgres raises some of these as plain Errors, which Prisma passes on as text only.
const MESSAGES =
  /Connection terminated|Connection ended|Can't reach database server|Server has closed the connection|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|timeout exceeded when trying to connect|Client was closed and is not queryable|Client has encountered a connection error and is not queryable/i;

/**
 * True when `error` says the database could not be reached or dropped the session (refused,
 * terminated, shutting down or starting up), as opposed to a query the database answered with an
 * error. Looks through Prisma's wrappers (`cause`, `meta.driverAdapterError`).
 */
export function isConnectionError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, originalCode, message, cause, meta } = e as { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (typeof code === 'string' && (SQLSTATES.has(code) || SOCKET_CODES.has(code) || PRISMA_CODES.has(code))) return true;
    if (typeof originalCode === 'string' && SQLSTATES.has(originalCode)) return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}

/**
 * A delivery that could be neither stored nor spooled: the database is unreachable and either
 * this process never verified a delivery for the org (no last-known-good secret to check the
 * signature with), or the spool is full or failed. Answered 503 with Retry-After: the sender
 * tries again later, nothing was acknowledged.
 */
export class SpoolUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 30,
  ) {
    super(message);
    this.name = 'SpoolUnavailableError';
  }
}
