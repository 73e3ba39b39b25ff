import type { CopilotUserDay } from '../copilot/copilot-schemas.ts';
import type { AiUsageRecord } from './ai-usage-schemas.ts';
import type { AnthropicClaudeCodeUsage, CursorDailyUsage, OpenaiCompletionsUsage } from './vendor-schemas.ts';

// Each vendor's export as generic usage records, so every import is stored by the one handler
// (store-usage-records.ts). docs/ai-usage.md lists these mappings for users.

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const utcDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Copilot's user-level report, a record per user-day keyed by GitHub login. `loc_added_sum`
 * counts every line Copilot put in the editor, agent edits included, so it is linesAdded; the
 * suggested lines exclude agent edits, so linesAccepted is the lines added by the other features
 * (all of loc_added_sum when the report has no feature breakdown). Copilot CLI adds its model
 * requests, sessions and tokens. Not per model: the report's model breakdowns cover chat only.
 */
export function recordsFromCopilotUserDays(days: readonly CopilotUserDay[]): AiUsageRecord[] {
  return days.map((d) => ({
    person: d.user_login,
    personProvider: 'github',
    day: d.day,
    tool: 'copilot',
    model: '',
    suggestions: d.code_generation_activity_count,
    acceptances: d.code_acceptance_activity_count,
    linesSuggested: d.loc_suggested_to_add_sum,
    linesAccepted: d.totals_by_feature ? sum(d.totals_by_feature.filter((f) => !/agent/i.test(f.feature)).map((f) => f.loc_added_sum)) : d.loc_added_sum,
    linesAdded: d.loc_added_sum,
    linesRemoved: d.loc_deleted_sum,
    requests: d.user_initiated_interaction_count + (d.totals_by_cli?.request_count ?? 0),
    sessions: d.totals_by_cli?.session_count ?? 0,
    tokensIn: d.totals_by_cli?.token_usage?.prompt_tokens_sum ?? 0,
    tokensOut: d.totals_by_cli?.token_usage?.output_tokens_sum ?? 0,
  }));
}

/**
 * Cursor's daily usage, a record per user-day. Not per model: `mostUsedModel` only names the
 * day's favourite, and keying rows by it would split a day in two when it changes between
 * exports. Lines added by AI changes (tabs, applies, agent) are suggested, the accepted ones
 * accepted and added; tabs are the completions; requests are composer, chat, agent and Cmd-K.
 */
export function recordsFromCursorDailyUsage({ data }: CursorDailyUsage): AiUsageRecord[] {
  return data.map((d) => ({
    email: d.email,
    day: utcDay(d.date),
    tool: 'cursor',
    model: '',
    linesSuggested: d.totalLinesAdded,
    linesAccepted: d.acceptedLinesAdded,
    linesAdded: d.acceptedLinesAdded,
    linesRemoved: d.acceptedLinesDeleted,
    suggestions: d.totalTabsShown,
    acceptances: d.totalTabsAccepted,
    requests: d.composerRequests + d.chatRequests + d.agentRequests + d.cmdkUsages,
  }));
}

/**
 * Anthropic's Claude Code report, per actor-day: its activity (lines, commits, pull requests,
 * sessions, and edit-tool decisions as suggestions/acceptances) in a record without a model, and
 * a record per model with its tokens and estimated cost (cents → dollars).
 */
export function recordsFromAnthropicClaudeCode({ data }: AnthropicClaudeCodeUsage): AiUsageRecord[] {
  return data.flatMap((d) => {
    const who = d.actor.email_address ? { email: d.actor.email_address } : { person: d.actor.api_key_name!, personProvider: 'anthropic' as const };
    const base = { ...who, day: d.date.slice(0, 10), tool: 'claude_code' as const };
    const actions = Object.values(d.tool_actions ?? {});
    const activity: AiUsageRecord = {
      ...base,
      model: '',
      linesAdded: d.core_metrics?.lines_of_code?.added ?? 0,
      linesRemoved: d.core_metrics?.lines_of_code?.removed ?? 0,
      commits: d.core_metrics?.commits_by_claude_code ?? 0,
      pullRequests: d.core_metrics?.pull_requests_by_claude_code ?? 0,
      sessions: d.core_metrics?.num_sessions ?? 0,
      suggestions: sum(actions.map((a) => a.accepted + a.rejected)),
      acceptances: sum(actions.map((a) => a.accepted)),
    };
    const models = (d.model_breakdown ?? []).map(
      (m): AiUsageRecord => ({
        ...base,
        model: m.model,
        tokensIn: m.tokens?.input ?? 0,
        tokensOut: m.tokens?.output ?? 0,
        tokensCacheRead: m.tokens?.cache_read ?? 0,
        tokensCacheWrite: m.tokens?.cache_creation ?? 0,
        costUsd: (m.estimated_cost?.amount ?? 0) / 100,
      }),
    );
    return [activity, ...models];
  });
}

/**
 * OpenAI's completions usage, per bucket day and result: the identity is the result's user, else
 * its API key, else "org" (a page not grouped by user); the model when grouped by model. Input
 * tokens exclude the cached and cache-written ones, as the other tools count them.
 */
export function recordsFromOpenaiCompletions({ data }: OpenaiCompletionsUsage): AiUsageRecord[] {
  return data.flatMap((bucket) =>
    bucket.results.map((r) => ({
      person: r.user_id ?? r.api_key_id ?? 'org',
      personProvider: 'openai' as const,
      day: utcDay(bucket.start_time * 1000),
      tool: 'openai' as const,
      model: r.model ?? '',
      tokensIn: r.input_uncached_tokens ?? Math.max(0, r.input_tokens - r.input_cached_tokens - (r.input_cache_write_tokens ?? 0)),
      tokensOut: r.output_tokens,
      tokensCacheRead: r.input_cached_tokens,
      tokensCacheWrite: r.input_cache_write_tokens ?? 0,
      requests: r.num_model_requests,
    })),
  );
}
