// Row ids are PostgreSQL uuids. An id that is not one (a mistyped URL, a stale link) names no row:
// callers answer "not found" for it, as for a well-formed id of nothing, instead of letting
// PostgreSQL reject the query.
import { randomBytes } from 'node:crypto';
import { postgresErrorCode } from './postgres-error-code.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID.test(value);
}

/** PostgreSQL refused a value given for a uuid column (SQLSTATE 22P02 naming type uuid). */
export function isMalformedIdError(error: unknown): boolean {
  return postgresErrorCode(error) === '22P02' && /type uuid/.test(error instanceof Error ? error.message : String(error));
}

/** A version 7 (time-ordered) UUID, as Prisma's @default(uuid(7)) makes the ids of rows it creates. */
export function uuidV7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
