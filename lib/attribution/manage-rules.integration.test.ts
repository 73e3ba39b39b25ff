import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { detectCommitSignals, isAiWritten } from './detect.ts';
import { createAttributionRule, deleteAttributionRule, setAttributionRuleEnabled, getCountWeakSignals, listAttributionRules, setCountWeakSignals } from './manage-rules.ts';
import { loadAttributionPolicy } from './org-rules.ts';
import { prismaSql } from '../db/sql.ts';

const newOrg = () => db().organization.create({ data: { slug: randomSlug(), name: 'Rules' } });

describe('attribution rules', () => {
  test('a free-text mention counts as AI only once the org opts in; opting in is audited once', async () => {
    const { id: orgId } = await newOrg();
    const signals = detectCommitSignals({ message: 'Fix the parser\n\nclaude code helped here' });
    expect(signals.map((s) => [s.kind, s.strength])).toEqual([['mention', 'weak']]);
    expect(await getCountWeakSignals({ orgId })).toBe(false);
    expect(isAiWritten(signals, await loadAttributionPolicy(prismaSql(db()), orgId))).toBe(false);
    await setCountWeakSignals({ orgId, actorUserId: null, countWeakAiSignals: true });
    await setCountWeakSignals({ orgId, actorUserId: null, countWeakAiSignals: true });
    expect(isAiWritten(signals, await loadAttributionPolicy(prismaSql(db()), orgId))).toBe(true);
    const audit = await db().auditLogEntry.findMany({ where: { orgId }, select: { action: true, detail: true } });
    expect(audit).toEqual([{ action: 'attribution.weak_signals_set', detail: { countWeakAiSignals: true } }]);
  });

  test('a rule added is listed, applied by ingestion (loadAttributionPolicy) and audited; deleted, it is gone', async () => {
    const { id: orgId } = await newOrg();
    const rule = await createAttributionRule({ orgId, actorUserId: null, kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code' });
    expect(await listAttributionRules({ orgId })).toEqual([{ id: rule.id, kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code', enabled: true, createdAt: rule.createdAt }]);
    expect((await loadAttributionPolicy(prismaSql(db()), orgId)).rules).toEqual([{ kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code' }]);

    await deleteAttributionRule({ orgId, id: rule.id, actorUserId: null });
    expect(await listAttributionRules({ orgId })).toEqual([]);
    const audit = await db().auditLogEntry.findMany({ where: { orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { action: true, target: true, detail: true } });
    const detail = { kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code' };
    expect(audit).toEqual([
      { action: 'attribution_rule.create', target: `attribution_rule:${rule.id}`, detail },
      { action: 'attribution_rule.delete', target: `attribution_rule:${rule.id}`, detail },
    ]);
  });

  test('a disabled rule stays listed but ingestion stops applying it; enabled again, it applies; each change audited once', async () => {
    const { id: orgId } = await newOrg();
    const rule = await createAttributionRule({ orgId, actorUserId: null, kind: 'pr_label', pattern: '^ai$', tool: 'other' });
    expect(await setAttributionRuleEnabled({ orgId, id: rule.id, enabled: false, actorUserId: null })).toMatchObject({ id: rule.id, enabled: false });
    await setAttributionRuleEnabled({ orgId, id: rule.id, enabled: false, actorUserId: null });
    expect((await loadAttributionPolicy(prismaSql(db()), orgId)).rules).toEqual([]);
    expect((await listAttributionRules({ orgId })).map((r) => r.enabled)).toEqual([false]);
    await setAttributionRuleEnabled({ orgId, id: rule.id, enabled: true, actorUserId: null });
    expect((await loadAttributionPolicy(prismaSql(db()), orgId)).rules).toEqual([{ kind: 'pr_label', pattern: '^ai$', tool: 'other' }]);
    const actions = (await db().auditLogEntry.findMany({ where: { orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(['attribution_rule.create', 'attribution_rule.disable', 'attribution_rule.enable']);
    await expect(setAttributionRuleEnabled({ orgId: (await newOrg()).id, id: rule.id, enabled: false, actorUserId: null })).rejects.toMatchObject({ code: 'not_found' });
  });

  test('the same kind and pattern twice is a conflict', async () => {
    const { id: orgId } = await newOrg();
    await createAttributionRule({ orgId, actorUserId: null, kind: 'pr_label', pattern: 'ai', tool: 'other' });
    await expect(createAttributionRule({ orgId, actorUserId: null, kind: 'pr_label', pattern: 'ai', tool: 'cursor' })).rejects.toMatchObject({
      code: 'conflict',
      message: 'A pr_label rule with this pattern exists already',
    });
  });

  test("another org's rule looks missing and stays", async () => {
    const [a, b] = await Promise.all([newOrg(), newOrg()]);
    const rule = await createAttributionRule({ orgId: b.id, actorUserId: null, kind: 'branch_name', pattern: '^ai/', tool: 'other' });
    await expect(deleteAttributionRule({ orgId: a.id, id: rule.id, actorUserId: null })).rejects.toMatchObject({ code: 'not_found', message: 'Rule not found' });
    expect(await listAttributionRules({ orgId: a.id })).toEqual([]);
    expect((await listAttributionRules({ orgId: b.id })).map((r) => r.id)).toEqual([rule.id]);
  });
});
