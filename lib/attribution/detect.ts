import type { AiTool } from '../db/generated/enums.ts';
import { AI_TOOLS, NON_AI_BOTS, WEAK_MENTION, type ToolDefinition } from './catalogue.ts';

// Decides whether AI wrote a commit or a pull request, keeping every signal with its evidence
// (the exact line, account or label), so a reader can see why.

export interface AiSignal {
  kind: 'co_author' | 'author_account' | 'marker' | 'assist_trailer' | 'org_rule' | 'mention' | 'git_ai_note';
  /** Tool name as shown, e.g. "Claude Code". */
  tool: string;
  aiTool: AiTool;
  /** Weak signals (free-text mentions) are shown but count only where the org opts in. */
  strength: 'strong' | 'weak';
  evidence: string;
}

export interface OrgRule {
  kind: 'commit_trailer' | 'commit_author' | 'commit_message' | 'branch_name' | 'pr_label';
  pattern: string;
  tool: AiTool;
}

// Co-author lines anywhere in a message (squash merges put them in bullet lists and <details>),
// any capitalisation of the key.
const CO_AUTHOR = /^[\s>*\-•+]*co-authored-by:\s*(.*?)\s*<([^<>\s]+)>\s*$/gim;
const ASSIST_TRAILER = /^[\s>*\-•+]*(assisted-by|generated-by|ai-assisted-by|co-developed-by):\s*(.+?)\s*$/gim;

// Both trailer patterns need "-by:" in the message: most messages skip both scans.
const TRAILER_KEY = /-by:/i;

function toolByIdentity(name: string, email: string): ToolDefinition | undefined {
  return AI_TOOLS.find((t) => t.emails.some((r) => r.test(email)) || t.names.some((r) => r.test(name.trim())));
}

function toolByMention(text: string): ToolDefinition | undefined {
  const lower = text.toLowerCase();
  return AI_TOOLS.find((t) => t.keywords.some((k) => lower.includes(k)));
}

function signal(kind: AiSignal['kind'], tool: Pick<ToolDefinition, 'name' | 'tool'>, evidence: string, strength: AiSignal['strength'] = 'strong'): AiSignal {
  return { kind, tool: tool.name, aiTool: tool.tool, strength, evidence: evidence.trim().slice(0, 300) };
}

// Org patterns run on every commit; a bounded text bounds the cost of a pattern that backtracks
// (patterns with nested quantifiers are refused when saved, rule-schemas.ts).
const MAX_RULE_TEXT = 20_000;

// Compiled once per pattern, not once per commit (without the g flag a RegExp keeps no state
// between tests). null: the pattern does not compile.
const compiledRules = new Map<string, RegExp | null>();

function ruleRegExp(pattern: string): RegExp | null {
  let regex = compiledRules.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'im');
    } catch {
      regex = null;
    }
    if (compiledRules.size >= 1000) compiledRules.clear();
    compiledRules.set(pattern, regex);
  }
  return regex;
}

function matchesRule(rule: OrgRule, text: string): boolean {
  // An invalid org pattern matches nothing (it is validated when saved).
  return ruleRegExp(rule.pattern)?.test(text.length > MAX_RULE_TEXT ? text.slice(0, MAX_RULE_TEXT) : text) ?? false;
}

// The AI tool a commit author is, by name and email: about 40 patterns, the same few authors over
// and over in a history. Remembered per email and name (no key to build per commit); emptied when
// it grows large.
const authorTools = new Map<string, Map<string, ToolDefinition | null>>();
let authorsRemembered = 0;

function authorTool(name: string, email: string): ToolDefinition | undefined {
  let byName = authorTools.get(email);
  let tool = byName?.get(name);
  if (tool === undefined) {
    const found = AI_TOOLS.find((t) => t.emails.some((r) => r.test(email)) || t.accounts.some((r) => r.test(name)) || t.names.some((r) => r.test(name)));
    tool = found && !NON_AI_BOTS.some((r) => r.test(name)) ? found : null;
    if (authorsRemembered >= 10_000) {
      authorTools.clear();
      authorsRemembered = 0;
      byName = undefined;
    }
    if (!byName) authorTools.set(email, (byName = new Map()));
    byName.set(name, tool);
    authorsRemembered++;
  }
  return tool ?? undefined;
}

function dedupe(signals: AiSignal[]): AiSignal[] {
  if (signals.length < 2) return signals; // most commits: nothing to compare
  const seen = new Set<string>();
  return signals.filter((s) => !seen.has(`${s.kind}|${s.tool}|${s.evidence}`) && seen.add(`${s.kind}|${s.tool}|${s.evidence}`));
}

/** Strong signals first; a weak mention is kept only when nothing strong names the same tool. */
function withWeakMention(strong: AiSignal[], text: string): AiSignal[] {
  const m = text.match(WEAK_MENTION);
  if (!m) return strong;
  const [mention] = m;
  const word = (m[1] ?? m[4] ?? '').replace(/^./, (c) => c.toUpperCase());
  const tool = toolByMention(mention) ?? { name: word, tool: 'other' as const };
  if (strong.some((s) => s.tool === tool.name)) return strong;
  return [...strong, signal('mention', tool, mention, 'weak')];
}

export function detectCommitSignals(commit: { message: string; authorName?: string | null; authorEmail?: string | null }, rules: OrgRule[] = []): AiSignal[] {
  const { message } = commit;
  const found: AiSignal[] = [];
  const trailers = TRAILER_KEY.test(message);
  if (trailers) {
    for (const [line, name, email] of message.matchAll(CO_AUTHOR)) {
      const tool = toolByIdentity(name!, email!);
      if (tool) found.push(signal('co_author', tool, line));
    }
  }
  const authorName = commit.authorName ?? '';
  const authorEmail = commit.authorEmail ?? '';
  const author = authorTool(authorName, authorEmail);
  if (author) found.push(signal('author_account', author, `${authorName} <${authorEmail}>`));
  for (const tool of AI_TOOLS) {
    for (const marker of tool.markers) {
      const m = message.match(marker);
      if (m) found.push(signal('marker', tool, m[0]));
    }
  }
  if (trailers) {
    for (const [line, , value] of message.matchAll(ASSIST_TRAILER)) {
      const tool = toolByMention(value!) ?? { name: value!.replace(/\s*<.*$/, ''), tool: 'other' as const };
      found.push(signal('assist_trailer', tool, line));
    }
  }
  for (const rule of rules) {
    const text = rule.kind === 'commit_author' ? `${authorName} <${authorEmail}>` : rule.kind === 'commit_trailer' || rule.kind === 'commit_message' ? message : null;
    if (text !== null && matchesRule(rule, text)) found.push(signal('org_rule', { name: `org rule /${rule.pattern}/`, tool: rule.tool }, text.split('\n').find((l) => matchesRule(rule, l)) ?? text));
  }
  return dedupe(withWeakMention(dedupe(found), message));
}

export function detectPullRequestSignals(
  pr: { authorLogin?: string | null; body?: string | null; labels?: string[]; headBranch?: string | null },
  rules: OrgRule[] = [],
): AiSignal[] {
  const found: AiSignal[] = [];
  const login = pr.authorLogin ?? '';
  const account = AI_TOOLS.find((t) => t.accounts.some((r) => r.test(login)));
  if (account) found.push(signal('author_account', account, login));
  const body = pr.body ?? '';
  for (const tool of AI_TOOLS) for (const marker of tool.markers) {
    const m = body.match(marker);
    if (m) found.push(signal('marker', tool, m[0]));
  }
  for (const rule of rules) {
    const hit = rule.kind === 'pr_label' ? pr.labels?.find((l) => matchesRule(rule, l)) : rule.kind === 'branch_name' && pr.headBranch && matchesRule(rule, pr.headBranch) ? pr.headBranch : undefined;
    if (hit) found.push(signal('org_rule', { name: `org rule /${rule.pattern}/`, tool: rule.tool }, hit));
  }
  return dedupe(withWeakMention(dedupe(found), body));
}

/** AI or not: any strong signal, or a weak one where the org counts them. */
export function isAiWritten(signals: AiSignal[], options: { countWeak: boolean } = { countWeak: false }): boolean {
  return signals.some((s) => s.strength === 'strong' || (options.countWeak === true && s.strength === 'weak'));
}
