import { z } from 'zod';
import type { Prisma } from '../../db/generated/client.ts';
import { AppError } from '../../http/errors.ts';
import { readCopilotReport } from '../copilot/read-copilot-report.ts';
import type { EventSource } from '../raw-events.ts';
import { formatRecordIssues } from './ai-usage-schemas.ts';
import { anthropicClaudeCodeUsageSchema, cursorDailyUsageSchema, openaiCompletionsUsageSchema } from './vendor-schemas.ts';

export const USAGE_VENDORS = ['copilot', 'cursor', 'anthropic', 'openai'] as const;
export type UsageVendor = (typeof USAGE_VENDORS)[number];

export interface UsageFile {
  source: EventSource;
  eventType: string;
  /** What the raw event keeps: the file's JSON as is (Copilot's wrapped with its scope). */
  payload: Prisma.InputJsonValue;
  /** How many `unit`s it holds. */
  items: number;
  unit: 'day' | 'user-day' | 'actor-day' | 'bucket';
}

/** A file's JSON; NDJSON (one JSON value a line, as Copilot's reports download) becomes an array. */
function parseJsonOrNdjson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new AppError('bad_request', `The file is neither JSON nor NDJSON (line ${i + 1} is not JSON)`);
      }
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Whether `body.data` is an array whose every item passes `test` (an empty one does). */
const everyItem = (body: unknown, test: (item: Record<string, unknown>) => boolean) => isObject(body) && Array.isArray(body.data) && body.data.every((d) => isObject(d) && test(d));

// Each format, told apart by the fields only it has, then validated whole.
const FORMATS = {
  cursor: {
    eventType: 'cursor.daily_usage',
    unit: 'user-day',
    schema: cursorDailyUsageSchema,
    matches: (b: unknown) => everyItem(b, (d) => 'email' in d && 'date' in d),
    expected: 'a Cursor daily usage export (POST /teams/daily-usage-data: { data: [{ date, email, totalLinesAdded… }], period })',
  },
  anthropic: {
    eventType: 'anthropic.claude_code_usage',
    unit: 'actor-day',
    schema: anthropicClaudeCodeUsageSchema,
    matches: (b: unknown) => everyItem(b, (d) => 'actor' in d && 'date' in d),
    expected: 'an Anthropic Claude Code usage report (GET /v1/organizations/usage_report/claude_code: { data: [{ date, actor, core_metrics, model_breakdown… }] })',
  },
  openai: {
    eventType: 'openai.completions_usage',
    unit: 'bucket',
    schema: openaiCompletionsUsageSchema,
    matches: (b: unknown) =>
      isObject(b) && b.object === 'page' && everyItem(b, (d) => Array.isArray(d.results) && d.results.every((r) => isObject(r) && r.object === 'organization.usage.completions.result')),
    expected: 'an OpenAI completions usage page (GET /v1/organization/usage/completions: { object: "page", data: [{ start_time, results: [{ object: "organization.usage.completions.result"… }] }] })',
  },
} as const;

/**
 * What an import file is and the raw event it becomes, validated before anything is stored: a
 * file in no format the vendor publishes, or with a bad field, is refused naming it.
 */
export function readUsageFile(vendor: UsageVendor, text: string, { team }: { team?: string } = {}): UsageFile {
  const body = parseJsonOrNdjson(text);
  try {
    if (vendor === 'copilot') {
      const report = readCopilotReport(body, { team });
      return { source: 'copilot', ...report, unit: report.eventType === 'copilot.user_report' ? 'user-day' : 'day' };
    }
    if (team) throw new AppError('bad_request', '--team applies to Copilot metrics only');
    const format = FORMATS[vendor];
    if (!format.matches(body)) throw new AppError('bad_request', `Not ${format.expected}`);
    format.schema.parse(body);
    const items = (body as { data: unknown[] }).data.length;
    return { source: vendor, eventType: format.eventType, payload: body as Prisma.InputJsonValue, items, unit: format.unit };
  } catch (error) {
    if (error instanceof z.ZodError) throw new AppError('bad_request', formatRecordIssues(error));
    throw error;
  }
}
