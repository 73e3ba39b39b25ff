import type { z } from 'zod';
import { copilotUserReportEventSchema } from '../copilot/copilot-schemas.ts';
import type { EventHandler, HandlerInput } from '../handlers.ts';
import type { AiUsageRecord } from './ai-usage-schemas.ts';
import { readAiUsageReport } from './read-ai-usage-report.ts';
import { storeUsageRecords } from './store-usage-records.ts';
import { recordsFromAnthropicClaudeCode, recordsFromCopilotUserDays, recordsFromCursorDailyUsage, recordsFromOpenaiCompletions } from './vendor-records.ts';
import { anthropicClaudeCodeUsageSchema, cursorDailyUsageSchema, openaiCompletionsUsageSchema } from './vendor-schemas.ts';

/** `ai_usage.report`: a generic report (JSON or CSV), validated again as the endpoint did. */
export async function handleAiUsageReport({ tx, orgId, eventId, payload }: HandlerInput): Promise<void> {
  await storeUsageRecords(tx, { orgId, eventId, records: readAiUsageReport(payload) });
}

/** A handler for a vendor export: its payload read with `schema`, converted to generic records, stored by the one handler. */
function vendorUsageHandler<S extends z.ZodType>(schema: S, toRecords: (report: z.infer<S>) => AiUsageRecord[]): EventHandler {
  return async ({ tx, orgId, eventId, payload }) => {
    await storeUsageRecords(tx, { orgId, eventId, records: toRecords(schema.parse(payload)) });
  };
}

export const handleCopilotUserReport = vendorUsageHandler(copilotUserReportEventSchema, (r) => recordsFromCopilotUserDays(r.userDays));
export const handleCursorDailyUsage = vendorUsageHandler(cursorDailyUsageSchema, recordsFromCursorDailyUsage);
export const handleAnthropicClaudeCodeUsage = vendorUsageHandler(anthropicClaudeCodeUsageSchema, recordsFromAnthropicClaudeCode);
export const handleOpenaiCompletionsUsage = vendorUsageHandler(openaiCompletionsUsageSchema, recordsFromOpenaiCompletions);
