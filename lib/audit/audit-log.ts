import type { Prisma } from '../db/generated/client.ts';
import { db } from '../db/client.ts';

// Admin actions, kept per org for its admins to read. Details never hold secrets.

export type AuditAction =
  | 'sso.oidc_set'
  | 'sso.saml_set'
  | 'token.create'
  | 'token.revoke'
  | 'webhook_secret.rotate'
  | 'member.role_change'
  | 'member.remove'
  | 'member.sessions_end'
  | 'person.merge'
  | 'person.bot_set'
  | 'attribution_rule.create'
  | 'attribution_rule.delete'
  | 'attribution_rule.enable'
  | 'attribution_rule.disable'
  | 'attribution.weak_signals_set'
  | 'source_credential.set'
  | 'source_credential.delete'
  | 'annotation.create'
  | 'annotation.delete'
  | 'review.snapshot_refresh'
  | 'action_item.create'
  | 'action_item.complete'
  | 'action_item.reopen'
  | 'action_item.delete'
  | 'team.create'
  | 'team.rename'
  | 'team.delete'
  | 'team.membership_add'
  | 'team.membership_update'
  | 'team.membership_delete'
  | 'repository.team_set'
  | 'org.metric_options_set';

export interface AuditEntry {
  orgId: string;
  /** The signed-in user who acted; null for the command line. */
  actorUserId: string | null;
  action: AuditAction;
  target?: string;
  detail?: Prisma.InputJsonObject;
}

export async function recordAudit(entry: AuditEntry): Promise<void> {
  await db().auditLogEntry.create({ data: { ...entry, detail: entry.detail ?? {} } });
}

export async function listAudit({ orgId, limit = 100 }: { orgId: string; limit?: number }) {
  return db().auditLogEntry.findMany({ where: { orgId }, orderBy: { createdAt: 'desc' }, take: limit });
}
