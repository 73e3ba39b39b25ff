import type { Prisma } from '../db/generated/client.ts';
import type { OrgRule } from './detect.ts';

/** The org's enabled attribution patterns. */
export async function listOrgRules(tx: Prisma.TransactionClient, orgId: string): Promise<OrgRule[]> {
  return tx.aiAttributionRule.findMany({ where: { orgId, enabled: true }, select: { kind: true, pattern: true, tool: true } });
}
