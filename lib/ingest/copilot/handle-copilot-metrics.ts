import type { Prisma } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { copilotTotalsFromLegacy, copilotTotalsFromMetrics, type CopilotDailyTotal } from './copilot-daily-totals.ts';
import { copilotLegacyEventSchema, copilotMetricsEventSchema } from './copilot-schemas.ts';

/** Writes a report's days for its scope; a day already stored is replaced (reports overlap: the API answers the last 28 days). */
async function storeCopilotTotals(tx: Prisma.TransactionClient, { orgId, eventId, scope, totals }: { orgId: string; eventId: string; scope: string; totals: CopilotDailyTotal[] }) {
  const byDay = new Map(totals.map((t) => [t.day, t]));
  for (const { day, ...figures } of [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day))) {
    const key = { orgId, day: new Date(`${day}T00:00:00Z`), tool: 'copilot' as const, scope };
    const data = { ...figures, sourceEventId: eventId };
    await tx.aiToolDailyTotal.upsert({ where: { orgId_day_tool_scope: key }, create: { ...key, ...data }, update: data });
  }
}

/** `copilot.metrics`: the metrics API's days for the org or a team. */
export async function handleCopilotMetrics({ tx, orgId, eventId, payload }: HandlerInput): Promise<void> {
  const { scope, days } = copilotMetricsEventSchema.parse(payload);
  await storeCopilotTotals(tx, { orgId, eventId, scope, totals: days.map(copilotTotalsFromMetrics) });
}

/** `copilot.usage_legacy`: the retired usage API's days. */
export async function handleCopilotLegacyUsage({ tx, orgId, eventId, payload }: HandlerInput): Promise<void> {
  const { scope, days } = copilotLegacyEventSchema.parse(payload);
  await storeCopilotTotals(tx, { orgId, eventId, scope, totals: days.map(copilotTotalsFromLegacy) });
}
