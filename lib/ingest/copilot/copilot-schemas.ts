import { z } from 'zod';

// GitHub Copilot's usage data in the three shapes GitHub has published. Counts GitHub leaves out
// or sends as null (a feature nobody used that day) read as 0. Other fields are kept in the raw
// log, not read.

const n = z.number().int().nonnegative().nullish().transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

/** One day of `GET /orgs/{org}/copilot/metrics` (or `/orgs/{org}/team/{team}/copilot/metrics`). */
export const copilotMetricsDaySchema = z.object({
  date: z.iso.date(),
  total_active_users: n,
  total_engaged_users: n,
  copilot_ide_code_completions: z
    .object({
      editors: list(
        z.object({
          models: list(
            z.object({
              languages: list(
                z.object({ total_code_suggestions: n, total_code_acceptances: n, total_code_lines_suggested: n, total_code_lines_accepted: n }),
              ),
            }),
          ),
        }),
      ),
    })
    .nullish(),
  copilot_ide_chat: z.object({ editors: list(z.object({ models: list(z.object({ total_chats: n })) })) }).nullish(),
  copilot_dotcom_chat: z.object({ models: list(z.object({ total_chats: n })) }).nullish(),
  copilot_dotcom_pull_requests: z.object({ repositories: list(z.object({ models: list(z.object({ total_pr_summaries_created: n })) })) }).nullish(),
});
export type CopilotMetricsDay = z.infer<typeof copilotMetricsDaySchema>;

/** One day of the retired `GET /orgs/{org}/copilot/usage`. */
export const copilotLegacyDaySchema = z.object({
  day: z.iso.date(),
  total_suggestions_count: n,
  total_acceptances_count: n,
  total_lines_suggested: n,
  total_lines_accepted: n,
  total_active_users: n,
  total_chat_turns: n,
});
export type CopilotLegacyDay = z.infer<typeof copilotLegacyDaySchema>;

/** One line (a user's day) of the user-level usage metrics report, downloaded as NDJSON. */
export const copilotUserDaySchema = z.object({
  day: z.iso.date(),
  user_login: z.string().min(1),
  code_generation_activity_count: n,
  code_acceptance_activity_count: n,
  loc_suggested_to_add_sum: n,
  loc_added_sum: n,
  loc_deleted_sum: n,
  user_initiated_interaction_count: n,
  totals_by_feature: z.array(z.object({ feature: z.string(), loc_added_sum: n })).nullish(),
  totals_by_cli: z
    .object({ request_count: n, session_count: n, token_usage: z.object({ prompt_tokens_sum: n, output_tokens_sum: n }).nullish() })
    .nullish(),
});
export type CopilotUserDay = z.infer<typeof copilotUserDaySchema>;

// How each is kept in the raw log. The org and team reports carry whose they are ("org" or
// "team:<slug>", the AiToolDailyTotal scope); the NDJSON user report is kept as its parsed lines.
const scope = z.string().regex(/^(org|team:\S+)$/, 'must be "org" or "team:<slug>"');
export const copilotMetricsEventSchema = z.object({ scope, days: z.array(copilotMetricsDaySchema) });
export const copilotLegacyEventSchema = z.object({ scope, days: z.array(copilotLegacyDaySchema) });
export const copilotUserReportEventSchema = z.object({ userDays: z.array(copilotUserDaySchema) });
