import type { Prisma } from '../db/generated/client.ts';
import type { OrgRule } from './detect.ts';

/** How an org attributes AI: its own patterns, and whether weak evidence (mentions) counts. */
export interface AttributionPolicy {
  rules: OrgRule[];
  countWeak: boolean;
}

/** The org's enabled attribution patterns and its weak-evidence choice. */
export async function loadAttributionPolicy(tx: Prisma.TransactionClient, orgId: string): Promise<AttributionPolicy> {
  const [rules, org] = await Promise.all([
    tx.aiAttributionRule.findMany({ where: { orgId, enabled: true }, select: { kind: true, pattern: true, tool: true } }),
    tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { countWeakAiSignals: true } }),
  ]);
  return { rules, countWeak: org.countWeakAiSignals };
}
