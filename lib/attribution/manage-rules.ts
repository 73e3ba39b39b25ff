import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import type { AttributionRuleSummary, CreateRule } from './rule-schemas.ts';

// The org's AI attribution rules as admins edit them. Rules are applied when commits and pull
// requests are ingested (org-rules.ts); a change reaches earlier history through `throughline replay`.

const ruleSelect = { id: true, kind: true, pattern: true, tool: true, enabled: true, createdAt: true } as const;

function toSummary(rule: Omit<AttributionRuleSummary, 'createdAt'> & { createdAt: Date }): AttributionRuleSummary {
  return { ...rule, createdAt: rule.createdAt.toISOString() };
}

export async function listAttributionRules({ orgId }: { orgId: string }): Promise<AttributionRuleSummary[]> {
  const rules = await db().aiAttributionRule.findMany({ where: { orgId }, select: ruleSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rules.map(toSummary);
}

/** Adds a rule (its pattern validated by `createRuleSchema`); the same kind and pattern twice is a conflict. */
export async function createAttributionRule({ orgId, actorUserId, kind, pattern, tool }: { orgId: string; actorUserId: string | null } & CreateRule): Promise<AttributionRuleSummary> {
  if (await db().aiAttributionRule.findFirst({ where: { orgId, kind, pattern }, select: { id: true } })) {
    throw new AppError('conflict', `A ${kind} rule with this pattern exists already`);
  }
  const rule = await db().aiAttributionRule.create({ data: { orgId, kind, pattern, tool }, select: ruleSelect });
  await recordAudit({ orgId, actorUserId, action: 'attribution_rule.create', target: `attribution_rule:${rule.id}`, detail: { kind, pattern, tool } });
  return toSummary(rule);
}

export async function deleteAttributionRule({ orgId, id, actorUserId }: { orgId: string; id: string; actorUserId: string | null }): Promise<void> {
  const rule = await db().aiAttributionRule.findFirst({ where: { orgId, id }, select: ruleSelect });
  if (!rule) throw new AppError('not_found', 'Rule not found');
  // deleteMany: a concurrent delete of the same rule is not an error, and is audited once.
  const { count } = await db().aiAttributionRule.deleteMany({ where: { orgId, id } });
  if (count > 0) await recordAudit({ orgId, actorUserId, action: 'attribution_rule.delete', target: `attribution_rule:${id}`, detail: { kind: rule.kind, pattern: rule.pattern, tool: rule.tool } });
}

/** Turns a rule off (ingestion stops applying it at once) or back on, keeping it for later. */
export async function setAttributionRuleEnabled({ orgId, id, enabled, actorUserId }: { orgId: string; id: string; enabled: boolean; actorUserId: string | null }): Promise<AttributionRuleSummary> {
  const { count } = await db().aiAttributionRule.updateMany({ where: { orgId, id, enabled: !enabled }, data: { enabled } });
  const rule = await db().aiAttributionRule.findFirst({ where: { orgId, id }, select: ruleSelect });
  if (!rule) throw new AppError('not_found', 'Rule not found');
  if (count > 0) await recordAudit({ orgId, actorUserId, action: enabled ? 'attribution_rule.enable' : 'attribution_rule.disable', target: `attribution_rule:${id}`, detail: { kind: rule.kind, pattern: rule.pattern } });
  return toSummary(rule);
}

/** Whether the org counts weak evidence (free-text mentions) as AI; off unless an admin opts in. */
export async function getCountWeakSignals({ orgId }: { orgId: string }): Promise<boolean> {
  return (await db().organization.findUniqueOrThrow({ where: { id: orgId }, select: { countWeakAiSignals: true } })).countWeakAiSignals;
}

export async function setCountWeakSignals({ orgId, actorUserId, countWeakAiSignals }: { orgId: string; actorUserId: string | null; countWeakAiSignals: boolean }): Promise<void> {
  const { count } = await db().organization.updateMany({ where: { id: orgId, countWeakAiSignals: !countWeakAiSignals }, data: { countWeakAiSignals } });
  if (count > 0) await recordAudit({ orgId, actorUserId, action: 'attribution.weak_signals_set', target: `org:${orgId}`, detail: { countWeakAiSignals } });
}
