import isSafeRegex from 'safe-regex2';
import { z } from 'zod';
import { AiRuleKind, AiTool } from '../db/generated/enums.ts';

// Inputs and answers of the attribution-rules API, shared by its routes and the settings page.

/** Long enough for any real trailer, account or label pattern; the detector runs every rule on every commit. */
export const MAX_PATTERN_LENGTH = 200;

/** What text each kind of rule is matched against (lib/attribution/detect.ts). */
export const RULE_KIND_LABELS: Record<AiRuleKind, { label: string; matches: string }> = {
  commit_trailer: { label: 'Commit trailer', matches: 'each commit message (write the trailer, e.g. ^AI-Agent:)' },
  commit_author: { label: 'Commit author', matches: '"Name <email>" of each commit author' },
  commit_message: { label: 'Commit message', matches: 'each commit message' },
  branch_name: { label: 'Branch name', matches: "each pull request's head branch" },
  pr_label: { label: 'Pull request label', matches: 'each label of a pull request' },
};

export const AI_TOOL_LABELS: Record<AiTool, string> = {
  claude_code: 'Claude Code',
  cursor: 'Cursor',
  copilot: 'GitHub Copilot',
  openai: 'OpenAI (Codex, ChatGPT)',
  anthropic_api: 'Anthropic API',
  other: 'Other',
};

/** Why a pattern cannot be a rule, or null when it can. Matching is case-insensitive and per line, as in detect.ts. */
export function patternProblem(pattern: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'im');
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  // A pattern that matches empty text matches every commit: it would mark all work as AI.
  if (regex.test('')) return 'matches empty text, so it would match every commit; make it specific';
  // Nested quantifiers such as (a+)+ can take exponential time on some commit messages.
  if (!isSafeRegex(regex)) return 'nests repetitions (like (a+)+), which can take exponential time; simplify it';
  return null;
}

export const createRuleSchema = z.object({
  kind: z.enum(AiRuleKind).describe('Which text the pattern is matched against'),
  pattern: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_PATTERN_LENGTH, `must be at most ${MAX_PATTERN_LENGTH} characters`)
    .superRefine((pattern, ctx) => {
      const problem = patternProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Case-insensitive regular expression (JavaScript syntax)'),
  tool: z.enum(AiTool).default('other').describe('The AI tool a match is attributed to'),
});

export type CreateRule = z.infer<typeof createRuleSchema>;

export interface AttributionRuleSummary {
  id: string;
  kind: AiRuleKind;
  pattern: string;
  tool: AiTool;
  enabled: boolean;
  createdAt: string;
}

export const attributionSettingsSchema = z.object({
  countWeakAiSignals: z.boolean().describe('Count free-text mentions ("claude code helped here") as AI'),
});
