import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db/client.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../http/errors.ts';
import { TOKEN_SCOPES } from './token-scopes.ts';

// Ingest tokens for machines (CI jobs, scripts): 32 random bytes behind a readable prefix, shown
// once at creation and stored only as a SHA-256 hash. A presented token is hashed and looked up
// by that hash, so no comparison of secret material happens in application code.

export { TOKEN_SCOPES, type TokenScope } from './token-scopes.ts';
const TOKEN_PREFIX = 'tl_';
const TOKEN_PATTERN = /^tl_[A-Za-z0-9_-]{43}$/;
const LAST_USED_RESOLUTION_MS = 60_000;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1),
  expiresAt: z.coerce.date().optional(),
});

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; the returned `token` is the only time its value exists outside the caller. */
export async function createIngestToken(input: { orgId: string; createdById?: string } & z.infer<typeof createTokenSchema>) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db().ingestToken.create({
    data: {
      orgId: input.orgId,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt,
      createdById: input.createdById,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
    },
    omit: { tokenHash: true },
  });
  await recordAudit({ orgId: input.orgId, actorUserId: input.createdById ?? null, action: 'token.create', target: `token:${record.id}`, detail: { name: record.name, scopes: record.scopes } });
  return { token, record };
}

export async function listIngestTokens({ orgId }: { orgId: string }) {
  return db().ingestToken.findMany({ where: { orgId }, omit: { tokenHash: true }, orderBy: { createdAt: 'desc' } });
}

/** Revokes at once: the next request with the token fails. Another org's token looks missing. */
export async function revokeIngestToken({ orgId, id, actorUserId = null }: { orgId: string; id: string; actorUserId?: string | null }) {
  const { count } = await db().ingestToken.updateMany({ where: { orgId, id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new AppError('not_found', 'Token not found');
  await recordAudit({ orgId, actorUserId, action: 'token.revoke', target: `token:${id}` });
}

/** The token in an `Authorization: Bearer …` header, or null when the header is absent. */
export function bearerToken(headers: Headers): string | null {
  const header = headers.get('authorization');
  if (!header) return null;
  const match = header.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) throw new AppError('unauthorized', 'Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** The live token record for a presented token; unknown, revoked or expired → 401. */
export async function authenticateToken(token: string, now = new Date()) {
  const record = TOKEN_PATTERN.test(token) ? await db().ingestToken.findFirst({ where: { tokenHash: hashToken(token) }, omit: { tokenHash: true } }) : null;
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) {
    throw new AppError('unauthorized', 'Invalid, revoked or expired token');
  }
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().ingestToken.updateMany({ where: { orgId: record.orgId, id: record.id }, data: { lastUsedAt: now } });
  }
  return record;
}
