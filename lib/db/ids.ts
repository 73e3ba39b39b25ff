// Row ids are PostgreSQL uuids. An id that is not one (a mistyped URL, a stale link) names no row:
// callers answer "not found" for it, as for a well-formed id of nothing, instead of letting
// PostgreSQL reject the query.
import { postgresErrorCode } from './postgres-error-code.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID.test(value);
}

/** PostgreSQL refused a value given for a uuid column (SQLSTATE 22P02 naming type uuid). */
export function isMalformedIdError(error: unknown): boolean {
  return postgresErrorCode(error) === '22P02' && /type uuid/.test(error instanceof Error ? error.message : String(error));
}
