import type { LinkFoundBy } from '../db/generated/client.ts';

/** A ticket a pull request names: a tracker key (`ABC-123`) or a GitHub issue (`owner/repo#12`, lower case). */
export interface TicketReference {
  key: string;
  foundBy: LinkFoundBy;
}

export interface PullRequestText {
  /** `owner/name` of the pull request's repository: a bare `#12` means an issue there. */
  repository: string;
  branch: string | null;
  title: string;
  body: string | null;
  commitMessages: readonly string[];
}

// Jira project keys and Linear team keys: a letter, then letters, digits or `_`, a dash, a number.
// Text must write the key in upper case (as both trackers do); branch names are often lower-cased
// by tools (Linear's own suggested branch is `user/eng-123-title`), so there any case is read.
const KEY_UPPER = /(?<![A-Za-z0-9_])([A-Z][A-Z0-9_]+-[1-9][0-9]*)(?![A-Za-z0-9])/g;
const KEY_ANY_CASE = /(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]+-[1-9][0-9]*)(?![A-Za-z0-9])/g;

// All of GitHub's closing keywords, any case, then `#12`, `owner/repo#12` or the issue's URL.
const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?\s+(?:https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/issues\/|([\w.-]+\/[\w.-]+)?#)([1-9][0-9]*)\b/gi;

function keysIn(text: string | null, pattern: RegExp): string[] {
  return text ? [...text.matchAll(pattern)].map((m) => m[1]!.toUpperCase()) : [];
}

function closedIssuesIn(text: string | null, repository: string): string[] {
  return text ? [...text.matchAll(CLOSING)].map((m) => `${(m[1] ?? m[2] ?? repository).toLowerCase()}#${m[3]}`) : [];
}

/**
 * Every ticket a pull request's text names, with where it was found, deduplicated. These are
 * candidates: `UTF-8` or `GPT-4` look like keys, so a link is made only to a ticket the org has
 * (lib/tickets/link-tickets.ts). Closing keywords count in the body and commit messages, where
 * GitHub reads them.
 */
export function findTicketReferences(pr: PullRequestText): TicketReference[] {
  const found: TicketReference[] = [
    ...keysIn(pr.branch, KEY_ANY_CASE).map((key) => ({ key, foundBy: 'branch_name' as const })),
    ...keysIn(pr.title, KEY_UPPER).map((key) => ({ key, foundBy: 'pr_title' as const })),
    ...keysIn(pr.body, KEY_UPPER).map((key) => ({ key, foundBy: 'pr_body' as const })),
    ...pr.commitMessages.flatMap((m) => keysIn(m, KEY_UPPER)).map((key) => ({ key, foundBy: 'commit_message' as const })),
    ...[pr.body, ...pr.commitMessages].flatMap((t) => closedIssuesIn(t, pr.repository)).map((key) => ({ key, foundBy: 'closing_keyword' as const })),
  ];
  const seen = new Set<string>();
  return found.filter((r) => !seen.has(`${r.key} ${r.foundBy}`) && seen.add(`${r.key} ${r.foundBy}`));
}
