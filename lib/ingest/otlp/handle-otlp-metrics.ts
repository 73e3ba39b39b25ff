import { Prisma } from '../../db/generated/client.ts';
import { log } from '../../log.ts';
import type { Sql } from '../../db/sql.ts';
import type { SqlHandlerInput } from '../handlers.ts';
import { collectClaudeCodeUsage, USAGE_FIGURES, type UsageFigures, type UsageKey } from './claude-code-usage.ts';
import { metricsRequestSchema } from './otlp-schemas.ts';
import { resolveClaudeCodePeople } from './resolve-claude-code-people.ts';

// `otlp.metrics` → AiUsageSample rows (this event's share of each day) → AiUsageDaily rows (the sum
// of their samples). A DELTA report's samples are keyed by its raw event: reprocessing the event
// deletes and rewrites exactly them, so retries and replays never count twice, and two reports for
// one day add up. A CUMULATIVE series keeps one sample per day, keyed `cumulative:<series>`, holding
// its highest value that day; the day's figure is that value less the series' value on its previous
// day (see docs/ai-usage.md, "Claude Code (OpenTelemetry)").

const CUMULATIVE_PREFIX = 'cumulative:';
const TOOL = 'claude_code';
const FIGURE_LIST = Prisma.raw(USAGE_FIGURES.map((f) => `"${f}"`).join(', '));
const SAMPLE_COLUMNS = Prisma.raw(['orgId', 'rawEventId', 'day', 'tool', 'identityKey', 'model', ...USAGE_FIGURES].map((c) => `"${c}"`).join(', '));
const KEEP_HIGHEST = Prisma.raw(USAGE_FIGURES.map((f) => `"${f}" = GREATEST("AiUsageSample"."${f}", EXCLUDED."${f}")`).join(', '));
// A sample's part of its day: itself, less the same cumulative series' previous day (never below 0).
const SAMPLE_PART = Prisma.raw(USAGE_FIGURES.map((f) => `GREATEST(s."${f}" - COALESCE(prev."${f}", 0), 0) AS "${f}"`).join(', '));
const DAILY_SUMS = Prisma.raw(
  USAGE_FIGURES.map((f) => {
    if (f === 'costUsd') return `round(SUM(part."${f}"), 4)`;
    if (f.startsWith('tokens')) return `SUM(part."${f}")::bigint`;
    if (f === 'activeSeconds') return `round(SUM(part."${f}"))::int`;
    return `SUM(part."${f}")::int`;
  }).join(', '),
);
const SET_DAILY = Prisma.raw(['personId', ...USAGE_FIGURES, 'sourceEventId'].map((c) => `"${c}" = EXCLUDED."${c}"`).join(', '));

type SampleKey = Pick<UsageKey, 'day' | 'identityKey' | 'model'>;
const keyOf = (k: SampleKey) => JSON.stringify([k.day, k.identityKey, k.model]);

/** Sample rows as json_populate_recordset reads them (integers whole, cost to the column's 6 places). */
function sampleRows(orgId: string, rawEventId: (row: UsageKey & { seriesId?: string }) => string, rows: readonly (UsageKey & { figures: UsageFigures; seriesId?: string })[]) {
  return rows.map((row) => {
    const figures = Object.fromEntries(
      USAGE_FIGURES.map((f) => [f, f === 'costUsd' ? Math.round(row.figures[f] * 1e6) / 1e6 : f === 'activeSeconds' ? row.figures[f] : Math.round(row.figures[f])]),
    );
    return { orgId, rawEventId: rawEventId(row), day: row.day, tool: TOOL, identityKey: row.identityKey, model: row.model, ...figures };
  });
}

/** Serialises events of the same people: a day's sum must see every other event's committed samples. */
async function lockIdentities(sql: Sql, orgId: string, identityKeys: readonly string[]): Promise<void> {
  for (const key of [...new Set(identityKeys)].sort()) {
    await sql.execute`SELECT pg_advisory_xact_lock(hashtextextended(${`ai-usage:${orgId}:${TOOL}:${key}`}::text, 0))`;
  }
}

export async function handleOtlpMetrics({ sql, orgId, eventId, payload }: SqlHandlerInput): Promise<void> {
  const usage = collectClaudeCodeUsage(metricsRequestSchema.parse(payload));
  if (usage.ignoredPoints > 0 || usage.skippedPoints > 0) {
    log.info({ eventId, ignoredPoints: usage.ignoredPoints, ignoredMetrics: usage.ignoredMetrics, skippedPoints: usage.skippedPoints }, 'otlp metrics: data points not counted as Claude Code usage');
  }
  // What this event wrote before (a retry or replay), so days it no longer touches are recomputed too.
  const previous = await sql.query<SampleKey>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, "identityKey", model FROM "AiUsageSample" WHERE "orgId" = ${orgId}::uuid AND "rawEventId" = ${eventId}::text`;
  if (usage.deltas.length === 0 && usage.cumulative.length === 0 && previous.length === 0) return;

  const identities = [...usage.deltas, ...usage.cumulative, ...previous];
  await lockIdentities(sql, orgId, identities.map((i) => i.identityKey));

  await sql.execute`DELETE FROM "AiUsageSample" WHERE "orgId" = ${orgId}::uuid AND "rawEventId" = ${eventId}::text`;
  if (usage.deltas.length) {
    const rows = sampleRows(orgId, () => eventId, usage.deltas);
    await sql.execute`
      INSERT INTO "AiUsageSample" (${SAMPLE_COLUMNS})
      SELECT ${SAMPLE_COLUMNS} FROM json_populate_recordset(NULL::"AiUsageSample", ${JSON.stringify(rows)}::json)`;
  }
  let laterSeriesDays: SampleKey[] = [];
  if (usage.cumulative.length) {
    const rows = sampleRows(orgId, (row) => `${CUMULATIVE_PREFIX}${row.seriesId}`, usage.cumulative);
    await sql.execute`
      INSERT INTO "AiUsageSample" (${SAMPLE_COLUMNS})
      SELECT ${SAMPLE_COLUMNS} FROM json_populate_recordset(NULL::"AiUsageSample", ${JSON.stringify(rows)}::json)
      ON CONFLICT ("orgId", "rawEventId", day, tool, "identityKey", model) DO UPDATE SET ${KEEP_HIGHEST}`;
    // A later day of the same series is figured against this one: it changes too.
    laterSeriesDays = await sql.query<SampleKey>`
      SELECT DISTINCT to_char(s.day, 'YYYY-MM-DD') AS day, s."identityKey", s.model
      FROM json_to_recordset(${JSON.stringify(rows.map((r) => ({ rawEventId: r.rawEventId, day: r.day })))}::json) AS t("rawEventId" text, day date)
      JOIN "AiUsageSample" s ON s."orgId" = ${orgId}::uuid AND s."rawEventId" = t."rawEventId" AND s.day > t.day`;
  }

  const touched = new Map<string, SampleKey>();
  for (const k of [...usage.deltas, ...usage.cumulative, ...previous, ...laterSeriesDays]) {
    touched.set(keyOf(k), { day: k.day, identityKey: k.identityKey, model: k.model });
  }
  const people = await resolveClaudeCodePeople(sql, orgId, identities.map((i) => i.identityKey));
  const keys = [...touched.values()].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)).map((k) => ({ ...k, personId: people.get(k.identityKey) ?? null }));
  // Only a day this event reported before and no longer does can be left without samples: the
  // others were just written, or come from samples that exist.
  const reported = new Set([...usage.deltas, ...usage.cumulative].map(keyOf));
  const dropped = previous.filter((k) => !reported.has(keyOf(k)));
  await recomputeDailyRows(sql, { orgId, eventId, keys, dropped });
}

/**
 * Sets each touched AiUsageDaily row to the sum of its samples, in one statement. A row OTLP set
 * whose samples are all gone (a reprocessed event no longer reports that day: one of `dropped`)
 * is deleted.
 */
async function recomputeDailyRows(
  sql: Sql,
  { orgId, eventId, keys, dropped }: { orgId: string; eventId: string; keys: (SampleKey & { personId: string | null })[]; dropped: SampleKey[] },
): Promise<void> {
  const keyJson = JSON.stringify(keys);
  await sql.execute`
    WITH k AS (SELECT * FROM json_to_recordset(${keyJson}::json) AS k(day date, "identityKey" text, model text, "personId" uuid)),
    part AS (
      SELECT s.day, s."identityKey", s.model, ${SAMPLE_PART}
      FROM k
      JOIN "AiUsageSample" s ON s."orgId" = ${orgId}::uuid AND s.day = k.day AND s.tool = ${TOOL}::"AiTool" AND s."identityKey" = k."identityKey" AND s.model = k.model
      LEFT JOIN LATERAL (
        SELECT * FROM "AiUsageSample" p
        WHERE p."orgId" = s."orgId" AND p."rawEventId" = s."rawEventId" AND p.tool = s.tool AND p."identityKey" = s."identityKey" AND p.model = s.model AND p.day < s.day
        ORDER BY p.day DESC LIMIT 1
      ) prev ON s."rawEventId" LIKE ${`${CUMULATIVE_PREFIX}%`}::text)
    INSERT INTO "AiUsageDaily" ("orgId", id, day, tool, "identityKey", model, "personId", ${FIGURE_LIST}, "sourceEventId")
    SELECT ${orgId}::uuid, gen_random_uuid(), part.day, ${TOOL}::"AiTool", part."identityKey", part.model, k."personId", ${DAILY_SUMS}, ${eventId}::uuid
    FROM part JOIN k ON k.day = part.day AND k."identityKey" = part."identityKey" AND k.model = part.model
    GROUP BY part.day, part."identityKey", part.model, k."personId"
    ON CONFLICT ("orgId", day, tool, "identityKey", model) DO UPDATE SET ${SET_DAILY}`;
  if (dropped.length === 0) return;
  await sql.execute`
    DELETE FROM "AiUsageDaily" d
    USING json_to_recordset(${JSON.stringify(dropped)}::json) AS k(day date, "identityKey" text, model text)
    WHERE d."orgId" = ${orgId}::uuid AND d.day = k.day AND d.tool = ${TOOL}::"AiTool" AND d."identityKey" = k."identityKey" AND d.model = k.model
      AND EXISTS (SELECT 1 FROM "RawEvent" r WHERE r."orgId" = d."orgId" AND r.id = d."sourceEventId" AND r.source = 'otlp')
      AND NOT EXISTS (SELECT 1 FROM "AiUsageSample" s WHERE s."orgId" = d."orgId" AND s.day = d.day AND s.tool = d.tool AND s."identityKey" = d."identityKey" AND s.model = d.model)`;
}
