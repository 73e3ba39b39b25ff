import type { CopilotLegacyDay, CopilotMetricsDay } from './copilot-schemas.ts';

/** A day of org- or team-level Copilot figures, as AiToolDailyTotal keeps them. */
export interface CopilotDailyTotal {
  day: string;
  activeUsers: number;
  engagedUsers: number;
  suggestions: number;
  acceptances: number;
  linesSuggested: number;
  linesAccepted: number;
  chatTurns: number;
  prSummaries: number;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * A day of the metrics API: code completion figures summed over every editor, model and language
 * (GitHub gives no org-wide total); chat turns are IDE chats plus github.com chats; PR summaries
 * over every repository and model.
 */
export function copilotTotalsFromMetrics(day: CopilotMetricsDay): CopilotDailyTotal {
  const languages = (day.copilot_ide_code_completions?.editors ?? []).flatMap((e) => e.models.flatMap((m) => m.languages));
  const ideChats = (day.copilot_ide_chat?.editors ?? []).flatMap((e) => e.models.map((m) => m.total_chats));
  const dotcomChats = (day.copilot_dotcom_chat?.models ?? []).map((m) => m.total_chats);
  const summaries = (day.copilot_dotcom_pull_requests?.repositories ?? []).flatMap((r) => r.models.map((m) => m.total_pr_summaries_created));
  return {
    day: day.date,
    activeUsers: day.total_active_users,
    engagedUsers: day.total_engaged_users,
    suggestions: sum(languages.map((l) => l.total_code_suggestions)),
    acceptances: sum(languages.map((l) => l.total_code_acceptances)),
    linesSuggested: sum(languages.map((l) => l.total_code_lines_suggested)),
    linesAccepted: sum(languages.map((l) => l.total_code_lines_accepted)),
    chatTurns: sum(ideChats) + sum(dotcomChats),
    prSummaries: sum(summaries),
  };
}

/** A day of the retired usage API: its totals as given; it has no engaged users or PR summaries (0). */
export function copilotTotalsFromLegacy(day: CopilotLegacyDay): CopilotDailyTotal {
  return {
    day: day.day,
    activeUsers: day.total_active_users,
    engagedUsers: 0,
    suggestions: day.total_suggestions_count,
    acceptances: day.total_acceptances_count,
    linesSuggested: day.total_lines_suggested,
    linesAccepted: day.total_lines_accepted,
    chatTurns: day.total_chat_turns,
    prSummaries: 0,
  };
}
