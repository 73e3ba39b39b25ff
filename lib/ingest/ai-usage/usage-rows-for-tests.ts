import { db } from '../../db/client.ts';
import { USAGE_METRIC_NAMES } from './ai-usage-schemas.ts';

// For tests: an org's AiUsageDaily rows as plain values with only their non-zero figures, so an
// expected row lists what it should hold and any other figure that is not 0 shows up as a difference.

export async function usageRowsOf(orgId: string) {
  const rows = await db().aiUsageDaily.findMany({ where: { orgId }, orderBy: [{ day: 'asc' }, { tool: 'asc' }, { identityKey: 'asc' }, { model: 'asc' }] });
  return rows.map((row) => {
    const figures = Object.fromEntries(USAGE_METRIC_NAMES.map((m) => [m, Number(row[m])]).filter(([, v]) => v !== 0));
    return { day: row.day.toISOString().slice(0, 10), tool: row.tool, identityKey: row.identityKey, model: row.model, personId: row.personId, ...figures };
  });
}
