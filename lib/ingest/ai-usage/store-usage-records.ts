import { randomUUID } from 'node:crypto';
import { Prisma } from '../../db/generated/client.ts';
import { USAGE_METRIC_NAMES, type AiUsageRecord } from './ai-usage-schemas.ts';
import { resolveUsagePeople } from './resolve-usage-people.ts';
import { sumUsageRecords } from './sum-usage-records.ts';

const COLUMNS = ['orgId', 'id', 'day', 'tool', 'identityKey', 'model', 'personId', ...USAGE_METRIC_NAMES, 'sourceEventId'];
const COLUMN_LIST = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(', '));
// A report replaces the rows it names (every figure, absent ones as 0), so resending a day or
// replaying the log gives the same table; it never adds to what an earlier report stored.
const REPLACE = Prisma.raw(
  `ON CONFLICT ("orgId", day, tool, "identityKey", model) DO UPDATE SET ${['personId', ...USAGE_METRIC_NAMES, 'sourceEventId'].map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}`,
);
const BATCH = 2000;

/**
 * The one place AI usage reports become AiUsageDaily rows, whatever sent them (the generic
 * endpoint, a vendor import): records summed per (day, tool, identity, model), people resolved,
 * rows upserted with `sourceEventId` = the raw event. Returns how many rows it wrote.
 */
export async function storeUsageRecords(tx: Prisma.TransactionClient, { orgId, eventId, records }: { orgId: string; eventId: string; records: readonly AiUsageRecord[] }): Promise<number> {
  const rows = sumUsageRecords(records);
  const personIds = await resolveUsagePeople(tx, orgId, rows);
  const values = rows.map((row, i) => ({
    orgId, id: randomUUID(), day: row.day, tool: row.tool, identityKey: row.identityKey, model: row.model, personId: personIds[i],
    ...row.metrics,
    costUsd: Math.round(row.metrics.costUsd * 10_000) / 10_000,
    sourceEventId: eventId,
  }));
  // One statement per batch (json_populate_recordset also works on the embedded database).
  for (let start = 0; start < values.length; start += BATCH) {
    await tx.$executeRaw`
      INSERT INTO "AiUsageDaily" (${COLUMN_LIST})
      SELECT ${COLUMN_LIST} FROM json_populate_recordset(NULL::"AiUsageDaily", ${JSON.stringify(values.slice(start, start + BATCH))}::json)
      ${REPLACE}`;
  }
  return rows.length;
}
