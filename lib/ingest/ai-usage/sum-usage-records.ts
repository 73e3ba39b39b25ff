import type { AiTool, IdentityProvider } from '../../db/generated/enums.ts';
import { MAX_COLUMN_INT, TOKEN_METRICS, USAGE_METRIC_NAMES, type AiUsageRecord, type UsageMetric } from './ai-usage-schemas.ts';

/** One AiUsageDaily row to write: a key, who it may be, and its figures. */
export interface UsageRow {
  day: string;
  tool: AiTool;
  /** The email (lower-cased) or else the tool's own user key. */
  identityKey: string;
  model: string;
  email?: string;
  person?: string;
  personProvider?: IdentityProvider;
  metrics: Record<UsageMetric, number>;
}

export class UsageSumError extends Error {}

export function identityKeyOf(record: Pick<AiUsageRecord, 'email' | 'person'>): string {
  return record.email?.toLowerCase() ?? record.person!;
}

/**
 * The rows a report writes: one per (day, tool, identity, model). Several records with the same
 * key in one report are added up (a client may send a day in parts, e.g. one record per project);
 * across reports a row is replaced, never added to. Sorted by key, so concurrent writers lock rows
 * in the same order.
 */
export function sumUsageRecords(records: readonly AiUsageRecord[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const record of records) {
    const identityKey = identityKeyOf(record);
    const key = JSON.stringify([record.day, record.tool, identityKey, record.model]);
    let row = rows.get(key);
    if (!row) {
      row = {
        day: record.day, tool: record.tool, identityKey, model: record.model,
        ...(record.email !== undefined && { email: record.email.toLowerCase() }),
        ...(record.person !== undefined && { person: record.person }),
        ...(record.personProvider !== undefined && { personProvider: record.personProvider }),
        metrics: Object.fromEntries(USAGE_METRIC_NAMES.map((m) => [m, 0])) as Record<UsageMetric, number>,
      };
      rows.set(key, row);
    }
    for (const metric of USAGE_METRIC_NAMES) row.metrics[metric] += record[metric] ?? 0;
  }
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  for (const row of sorted) assertFits(row);
  return sorted;
}

/** Sums can pass what a column holds even when each record fits. */
function assertFits(row: UsageRow): void {
  for (const metric of USAGE_METRIC_NAMES) {
    const max = TOKEN_METRICS.has(metric) ? Number.MAX_SAFE_INTEGER : metric === 'costUsd' ? 9_999_999_999 : MAX_COLUMN_INT;
    if (row.metrics[metric] > max) {
      throw new UsageSumError(`records: the sum of ${metric} for ${row.day} ${row.tool} ${row.identityKey}${row.model ? ` ${row.model}` : ''} is over ${max}`);
    }
  }
}
