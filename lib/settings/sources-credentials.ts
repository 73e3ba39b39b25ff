import { recordAudit } from '../audit/audit-log.ts';
import { encryptSecret } from '../auth/secrets.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import type { SourceCredentialInput, SourceCredentialSummary, SourceId } from './sources.ts';

// API tokens Throughline fetches a source with (Copilot metrics), one per org, source and target.
// The token is stored encrypted (the fetcher must send it) and never leaves the server again.

const summarySelect = { id: true, source: true, target: true, createdAt: true, lastFetchAt: true, lastError: true } as const;

function toSummary(row: { id: string; source: string; target: string; createdAt: Date; lastFetchAt: Date | null; lastError: string | null }): SourceCredentialSummary {
  return { ...row, source: row.source as SourceId, createdAt: row.createdAt.toISOString(), lastFetchAt: row.lastFetchAt?.toISOString() ?? null };
}

export async function listSourceCredentials({ orgId, source }: { orgId: string; source?: SourceId }): Promise<SourceCredentialSummary[]> {
  const rows = await db().sourceCredential.findMany({ where: { orgId, ...(source && { source }) }, select: summarySelect, orderBy: [{ source: 'asc' }, { target: 'asc' }] });
  return rows.map(toSummary);
}

/**
 * Stores the token for a source and target; a second one for the same target replaces the first
 * (a new token clears the last fetch error, which was the old token's). `created` tells which.
 */
export async function setSourceCredential({ orgId, source, target, token, actorUserId }: { orgId: string; actorUserId: string | null } & SourceCredentialInput) {
  const key = { orgId_source_target: { orgId, source, target } };
  const existed = (await db().sourceCredential.count({ where: { orgId, source, target } })) > 0;
  const tokenEnc = encryptSecret(token);
  const row = await db().sourceCredential.upsert({ where: key, create: { orgId, source, target, tokenEnc }, update: { tokenEnc, lastError: null }, select: summarySelect });
  await recordAudit({ orgId, actorUserId, action: 'source_credential.set', target: `source_credential:${row.id}`, detail: { source, target, replaced: existed } });
  return { credential: toSummary(row), created: !existed };
}

/** Deletes at once: the next scheduled fetch skips it. Another org's credential looks missing. */
export async function deleteSourceCredential({ orgId, id, actorUserId }: { orgId: string; id: string; actorUserId: string | null }): Promise<void> {
  const [row] = await db().sourceCredential.findMany({ where: { orgId, id }, select: { source: true, target: true }, take: 1 });
  const { count } = await db().sourceCredential.deleteMany({ where: { orgId, id } });
  if (!row || count === 0) throw new AppError('not_found', 'Credential not found');
  await recordAudit({ orgId, actorUserId, action: 'source_credential.delete', target: `source_credential:${id}`, detail: { source: row.source, target: row.target } });
}
