// The catalogue of AI tools Throughline recognises in commits and pull requests: how each shows
// up as a co-author, as an author account, and in message markers. Matching is by tool, not by
// one exact address: Claude appears as noreply@, no-reply@ and claude@anthropic.com, under names
// such as "Claude Sonnet 4.6". A vendor's domain alone is never a signal (a person at google.com
// is not Gemini): a co-author needs the tool's name or a tool-only address.

import type { AiTool } from '../db/generated/enums.ts';

export interface ToolDefinition {
  /** Name shown as evidence, e.g. "Claude Code". */
  name: string;
  /** Where its usage is counted (AiUsageDaily and attribution share this enum). */
  tool: AiTool;
  /** Co-author / author identities: a match on the email alone, or on the name alone. */
  emails: RegExp[];
  names: RegExp[];
  /** Bot or agent accounts that author commits or open pull requests. */
  accounts: RegExp[];
  /** Markers anywhere in a message ("Generated with Claude Code"). */
  markers: RegExp[];
  /** Words naming the tool in free text and in Assisted-by/Generated-by values. */
  keywords: string[];
}

export const AI_TOOLS: ToolDefinition[] = [
  {
    name: 'Claude Code',
    keywords: ['claude'],
    tool: 'claude_code',
    emails: [/^(noreply|no-reply|claude)@anthropic\.com$/i],
    names: [/^claude(\s+(code|opus|sonnet|haiku)\b.*)?$/i, /^claude\s+\d/i],
    accounts: [/^claude(\[bot\])?$/i, /^claude-code(\[bot\])?$/i, /^anthropic-claude(\[bot\])?$/i],
    markers: [/generated with \[?claude code\]?/i, /^\s*claude-session:/im],
  },
  {
    name: 'GitHub Copilot',
    keywords: ['copilot'],
    tool: 'copilot',
    emails: [/^(\d+\+)?copilot@users\.noreply\.github\.com$/i, /^(\d+\+)?copilot-swe-agent(\[bot\])?@users\.noreply\.github\.com$/i],
    names: [/^(github\s+)?copilot$/i, /^copilot-swe-agent(\[bot\])?$/i],
    accounts: [/^copilot$/i, /^copilot-swe-agent(\[bot\])?$/i, /^copilot-pull-request-reviewer(\[bot\])?$/i],
    markers: [/^\s*agent-logs-url:/im],
  },
  {
    name: 'Cursor',
    keywords: ['cursor'],
    tool: 'cursor',
    emails: [/^cursoragent@cursor\.com$/i],
    names: [/^cursor(\s+agent)?$/i],
    accounts: [/^cursor(\[bot\])?$/i, /^cursor-agent(\[bot\])?$/i],
    markers: [/^\s*made-with:\s*cursor\b/im],
  },
  {
    name: 'Aider',
    keywords: ['aider'],
    tool: 'other',
    emails: [/^noreply@aider\.chat$/i],
    names: [/^aider(\s*\(.*\))?$/i],
    accounts: [],
    markers: [/^\s*aider:/im],
  },
  {
    name: 'opencode',
    keywords: ['opencode'],
    tool: 'other',
    emails: [/^noreply@opencode\.ai$/i],
    names: [/^opencode$/i],
    accounts: [/^opencode(-agent)?(\[bot\])?$/i],
    markers: [],
  },
  {
    name: 'OpenAI Codex',
    keywords: ['codex', 'chatgpt', 'openai', 'gpt-'],
    tool: 'openai',
    emails: [/^(noreply|codex)@openai\.com$/i, /^(\d+\+)?chatgpt-codex-connector(\[bot\])?@users\.noreply\.github\.com$/i],
    names: [/^(openai\s+)?codex$/i, /^chatgpt-codex-connector(\[bot\])?$/i],
    accounts: [/^chatgpt-codex-connector(\[bot\])?$/i, /^codex(\[bot\])?$/i],
    markers: [],
  },
  {
    name: 'Gemini / Jules',
    keywords: ['gemini', 'jules'],
    tool: 'other',
    emails: [/^(\d+\+)?(google-labs-jules|gemini-code-assist)(\[bot\])?@users\.noreply\.github\.com$/i],
    names: [/^(google\s+)?(jules|gemini(\s+code\s+assist)?)$/i, /^(google-labs-jules|gemini-code-assist)(\[bot\])?$/i],
    accounts: [/^google-labs-jules(\[bot\])?$/i, /^gemini-code-assist(\[bot\])?$/i],
    markers: [],
  },
  {
    name: 'Devin',
    keywords: ['devin'],
    tool: 'other',
    emails: [/^(\d+\+)?devin-ai-integration(\[bot\])?@users\.noreply\.github\.com$/i],
    names: [/^devin(\s+ai)?$/i, /^devin-ai-integration(\[bot\])?$/i],
    accounts: [/^devin-ai-integration(\[bot\])?$/i],
    markers: [],
  },
];

/** Automation that is not AI: excluded from people metrics, never an AI signal. */
export const NON_AI_BOTS = [/^dependabot(\[bot\])?$/i, /^renovate(\[bot\])?$/i, /^github-actions(\[bot\])?$/i, /^pre-commit-ci(\[bot\])?$/i, /^snyk-bot$/i, /^mergify(\[bot\])?$/i];

/** Free-text mentions: weak evidence, shown, counted only where the org opts in. */
export const WEAK_MENTION = /\b(claude(?:\s+code)?|copilot|cursor|chatgpt|gpt-?[345](?:\.\d)?o?|gemini|goose|aider|codex|devin|windsurf|cline)\b[^\n]{0,60}?\b(generated|helped|wrote|written|assisted|suggested)\b|\b(generated|written|assisted)\s+(?:by|with|via|using)\s+(claude(?:\s+code)?|copilot|cursor|chatgpt|gpt-?[345](?:\.\d)?o?|gemini|goose|aider|codex|devin|windsurf|cline)\b/i;
