import { z } from 'zod';

// The admin-API exports Throughline imports, as their vendors document them. Counts a vendor
// leaves out or sends as null read as 0; other fields stay in the raw log, unread.

const n = z.number().nonnegative().nullish().transform((v) => v ?? 0);
const int = z.number().int().nonnegative().nullish().transform((v) => v ?? 0);

/** Cursor `POST /teams/daily-usage-data`: a record per user per day (`date` in epoch ms, UTC midnight). */
export const cursorDailyUsageSchema = z.object({
  data: z.array(
    z.object({
      date: z.number().int().nonnegative(),
      email: z.email(),
      totalLinesAdded: int,
      acceptedLinesAdded: int,
      acceptedLinesDeleted: int,
      totalTabsShown: int,
      totalTabsAccepted: int,
      composerRequests: int,
      chatRequests: int,
      agentRequests: int,
      cmdkUsages: int,
    }),
  ),
});
export type CursorDailyUsage = z.infer<typeof cursorDailyUsageSchema>;

/** Anthropic `GET /v1/organizations/usage_report/claude_code`: a record per actor per day. */
export const anthropicClaudeCodeUsageSchema = z.object({
  data: z.array(
    z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, 'must be an RFC 3339 date'),
      actor: z.object({ type: z.string(), email_address: z.email().nullish(), api_key_name: z.string().min(1).nullish() }).refine((a) => a.email_address || a.api_key_name, 'needs email_address or api_key_name'),
      core_metrics: z
        .object({ commits_by_claude_code: int, pull_requests_by_claude_code: int, num_sessions: int, lines_of_code: z.object({ added: int, removed: int }).nullish() })
        .nullish(),
      tool_actions: z.record(z.string(), z.object({ accepted: int, rejected: int })).nullish(),
      model_breakdown: z
        .array(
          z.object({
            model: z.string(),
            tokens: z.object({ input: int, output: int, cache_read: int, cache_creation: int }).nullish(),
            // Minor units (cents) of the currency.
            estimated_cost: z.object({ amount: n, currency: z.string().regex(/^usd$/i, 'must be USD') }).nullish(),
          }),
        )
        .nullish(),
    }),
  ),
});
export type AnthropicClaudeCodeUsage = z.infer<typeof anthropicClaudeCodeUsageSchema>;

/** OpenAI `GET /v1/organization/usage/completions`: buckets (`start_time` in epoch seconds) of grouped results. */
export const openaiCompletionsUsageSchema = z.object({
  object: z.literal('page'),
  data: z.array(
    z.object({
      start_time: z.number().int().nonnegative(),
      results: z.array(
        z.object({
          object: z.literal('organization.usage.completions.result'),
          input_tokens: int,
          input_cached_tokens: int,
          input_cache_write_tokens: z.number().int().nonnegative().nullish(),
          input_uncached_tokens: z.number().int().nonnegative().nullish(),
          output_tokens: int,
          num_model_requests: int,
          user_id: z.string().nullish(),
          api_key_id: z.string().nullish(),
          model: z.string().nullish(),
        }),
      ),
    }),
  ),
});
export type OpenaiCompletionsUsage = z.infer<typeof openaiCompletionsUsageSchema>;
