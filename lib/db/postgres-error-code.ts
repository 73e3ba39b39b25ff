/**
 * The SQLSTATE PostgreSQL answered with, however the error reached us: node-postgres puts it in
 * `code`; Prisma in `cause.originalCode` (ORM queries) or `meta.driverAdapterError.cause.originalCode`
 * (raw queries, P2010), keeping its own P-code in `code`.
 */
export function postgresErrorCode(error: unknown): string | undefined {
  const { code, cause, meta } = (error ?? {}) as { code?: unknown; cause?: { originalCode?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  const original = cause?.originalCode ?? meta?.driverAdapterError?.cause?.originalCode;
  if (original) return original;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
