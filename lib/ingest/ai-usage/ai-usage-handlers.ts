import { handleCopilotLegacyUsage, handleCopilotMetrics } from '../copilot/handle-copilot-metrics.ts';
import type { EventHandler } from '../handlers.ts';
import { handleAiUsageReport, handleAnthropicClaudeCodeUsage, handleCopilotUserReport, handleCursorDailyUsage, handleOpenaiCompletionsUsage } from './handle-usage-report.ts';

// The AI usage event types with a handler, by source (merged into lib/ingest/handlers.ts).
export const AI_USAGE_HANDLERS: Record<string, Record<string, EventHandler>> = {
  ai_usage: { 'ai_usage.report': handleAiUsageReport },
  copilot: {
    'copilot.metrics': handleCopilotMetrics,
    'copilot.usage_legacy': handleCopilotLegacyUsage,
    'copilot.user_report': handleCopilotUserReport,
  },
  cursor: { 'cursor.daily_usage': handleCursorDailyUsage },
  anthropic: { 'anthropic.claude_code_usage': handleAnthropicClaudeCodeUsage },
  openai: { 'openai.completions_usage': handleOpenaiCompletionsUsage },
};
