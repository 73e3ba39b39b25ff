import type { z } from 'zod';
import type { Prisma } from '../../db/generated/client.ts';
import { AppError } from '../../http/errors.ts';
import { copilotLegacyEventSchema, copilotMetricsEventSchema, copilotUserReportEventSchema } from './copilot-schemas.ts';

export type CopilotEventType = 'copilot.metrics' | 'copilot.usage_legacy' | 'copilot.user_report';

export interface CopilotReport {
  eventType: CopilotEventType;
  payload: Prisma.InputJsonValue;
  /** Days (org/team reports) or user-days (user report) it holds. */
  items: number;
}

const has = (value: unknown, key: string) => typeof value === 'object' && value !== null && key in value;

/** `payload` once `schema` accepts it: kept whole, as received, fields the schema does not read included. */
function validated(schema: z.ZodType, payload: Record<string, unknown>): Prisma.InputJsonValue {
  schema.parse(payload);
  return payload as Prisma.InputJsonValue;
}

/** The metrics API's answer as it is kept: its days and whose they are. */
export function copilotMetricsPayload(scope: string, days: unknown): Prisma.InputJsonValue {
  return validated(copilotMetricsEventSchema, { scope, days });
}

/**
 * Which of GitHub's Copilot formats a file is, validated: the metrics API's array of days
 * (`date`, `copilot_ide_code_completions`…), the retired usage API's (`day`,
 * `total_suggestions_count`…), or the user-level usage report (a `user_login` per user-day; NDJSON
 * as downloaded, or a JSON array as GitHub's docs show it). `team` scopes an org-level report to
 * one team ("team:<slug>"); it has no meaning for the per-user report.
 */
export function readCopilotReport(body: unknown, { team }: { team?: string } = {}): CopilotReport {
  const rows = Array.isArray(body) ? body : has(body, 'user_login') ? [body] : null;
  const first: unknown = rows?.[0];
  const scope = team ? `team:${team}` : 'org';
  if (rows && has(first, 'user_login')) {
    if (team) throw new AppError('bad_request', '--team applies to org metrics; a user-level report is per person already');
    return { eventType: 'copilot.user_report', payload: validated(copilotUserReportEventSchema, { userDays: rows }), items: rows.length };
  }
  if (rows && has(first, 'date')) return { eventType: 'copilot.metrics', payload: copilotMetricsPayload(scope, rows), items: rows.length };
  if (rows && has(first, 'total_suggestions_count')) {
    return { eventType: 'copilot.usage_legacy', payload: validated(copilotLegacyEventSchema, { scope, days: rows }), items: rows.length };
  }
  throw new AppError(
    'bad_request',
    rows?.length === 0
      ? 'The file holds no days'
      : "Not a Copilot report GitHub publishes: expected the metrics API's array of days (date, copilot_ide_code_completions…), the legacy usage API's (day, total_suggestions_count…), or the user-level usage report (NDJSON lines with day, user_login…)",
  );
}
