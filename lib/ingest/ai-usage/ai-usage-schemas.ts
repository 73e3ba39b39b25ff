import { z } from 'zod';
import { AiTool, IdentityProvider } from '../../db/generated/enums.ts';

// The generic AI usage report (POST /api/orgs/{org}/ingest/ai-usage): one record per person, day,
// tool and model. Every vendor import (Copilot, Cursor, Anthropic, OpenAI) is converted into these
// records too, so one handler stores them all. Unknown fields are accepted and kept in the raw log.

const MAX_INT = 2_147_483_647;
const count = z.number().int().nonnegative().max(MAX_INT);
const tokens = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** The numeric fields of a record (the AiUsageDaily columns they fill), all optional: absent = 0. */
const usageMetricsShape = {
  tokensIn: tokens.optional().describe('Input tokens, cache reads and writes excluded'),
  tokensOut: tokens.optional().describe('Output tokens'),
  tokensCacheRead: tokens.optional().describe('Input tokens read from the prompt cache'),
  tokensCacheWrite: tokens.optional().describe('Input tokens written to the prompt cache'),
  costUsd: z.number().nonnegative().max(1e9).optional().describe('Cost in US dollars'),
  linesSuggested: count.optional().describe('Lines the tool offered (completions, chat code blocks)'),
  linesAccepted: count.optional().describe('Of those, lines the person accepted'),
  linesAdded: count.optional().describe('Lines the tool wrote into files (accepted completions, agent edits)'),
  linesRemoved: count.optional().describe('Lines the tool removed'),
  suggestions: count.optional().describe('Completions shown'),
  acceptances: count.optional().describe('Completions accepted'),
  requests: count.optional().describe('Model requests or chat turns'),
  commits: count.optional().describe('Commits the tool made'),
  pullRequests: count.optional().describe('Pull requests the tool opened'),
  sessions: count.optional().describe('Sessions'),
  activeSeconds: count.optional().describe('Active time in seconds'),
};
export type UsageMetric = keyof typeof usageMetricsShape;
export const USAGE_METRIC_NAMES = Object.keys(usageMetricsShape) as UsageMetric[];
/** The largest value an integer (non-token) column holds. */
export const MAX_COLUMN_INT = MAX_INT;
/** Metrics stored as BigInt (the token counts). */
export const TOKEN_METRICS = new Set<UsageMetric>(['tokensIn', 'tokensOut', 'tokensCacheRead', 'tokensCacheWrite']);

export const aiUsageRecordSchema = z
  .object({
    email: z.email().max(320).optional().describe('Who used the tool; matched to a person through their identities'),
    person: z.string().trim().min(1).max(200).optional().describe("The tool's own user key: a login or user id (used when there is no email)"),
    personProvider: z.enum(IdentityProvider).optional().describe('Whose login or id `person` is (github, gitlab…); without it any identity matches'),
    day: z.iso.date().describe('The day the usage happened, YYYY-MM-DD (UTC, as vendors report)'),
    tool: z.enum(AiTool).describe('claude_code, cursor, copilot, openai, anthropic_api, or other'),
    model: z.string().trim().max(200).default('').describe('Model name; empty when the figures are not per model'),
    ...usageMetricsShape,
  })
  .refine((r) => r.email !== undefined || r.person !== undefined, { path: ['email'], message: 'email or person is required' });

/** A record as validated; metrics absent from it count as 0. */
export type AiUsageRecord = z.infer<typeof aiUsageRecordSchema>;

export const aiUsageReportSchema = z.preprocess(
  (body) => (Array.isArray(body) ? { records: body } : body),
  z.object({
    records: z.array(aiUsageRecordSchema).min(1, 'must hold at least one record').max(100_000),
  }),
);

/** Zod issues as one line naming each bad field the way a client writes it: "records[2].day: …". */
export function formatRecordIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => {
      const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
