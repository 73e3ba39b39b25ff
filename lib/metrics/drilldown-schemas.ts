import { z } from 'zod';
import { ISO_DATE, parseIsoDate } from './weeks.ts';

export const DRILLDOWN_LIMIT = 1000;

/** The weekly figures with rows behind them (how each is made of its rows: drilldown-metrics.ts). */
export const DRILLDOWN_METRIC_NAMES = [
  'prsMerged', 'aiPrsMerged', 'aiPrShare',
  'prCycleP50Hours', 'prCycleP85Hours', 'prCycleMeanHours', 'prCycleCodingP50Hours', 'prCyclePickupP50Hours', 'prCycleReviewP50Hours', 'prCycleMergeP50Hours',
  ...(['prsMergedWithoutReview', 'timeToFirstReviewP50Hours', 'reviewTimeP50Hours', 'reviewsPerPr', 'prSizeP50Lines'] as const).flatMap((n) => [n, `${n}Ai`, `${n}Human`] as const),
  'ticketsMerged', 'ticketToMergeP50Hours', 'ticketToMergeP85Hours', 'ticketToMergeMeanHours',
  'ticketCycleWaitingP50Hours', 'ticketCycleCodingP50Hours', 'ticketCyclePickupP50Hours', 'ticketCycleReviewP50Hours', 'ticketCycleMergeP50Hours', 'ticketsDone',
  'commits', 'aiCommits', 'linesAdded', 'aiLinesAdded',
  'tokens', 'tokensIn', 'tokensOut', 'tokensCacheRead', 'tokensCacheWrite', 'costUsd', 'aiLinesSuggested', 'aiLinesAccepted', 'activeAiUsers',
] as const;
export type DrilldownMetricName = (typeof DRILLDOWN_METRIC_NAMES)[number];

const isMonday = (value: string) => parseIsoDate(value)?.getUTCDay() === 1;

export const drilldownQuerySchema = z
  .object({
    metric: z.enum(DRILLDOWN_METRIC_NAMES).describe('A weekly figure with rows behind it'),
    team: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug').optional().describe('Team slug; the whole org when absent'),
    week: z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD').refine(isMonday, 'must be a Monday, the start of an ISO week').describe('Week start, YYYY-MM-DD'),
    sort: z.string().regex(/^[A-Za-z]{1,40}$/, 'must be a row field').optional().describe("A row field; default the figure's value (descending), else the row's time"),
    order: z.enum(['asc', 'desc']).optional(),
    format: z.enum(['json', 'csv']).optional().describe('csv: one line per row'),
  })
  .strict();

export type DrilldownQuery = z.infer<typeof drilldownQuerySchema>;

const instant = z.string().describe('ISO 8601 instant');
const hours = z.number().nullable();
const evidence = z.array(z.object({
  kind: z.string(), tool: z.string(), strength: z.string(), evidence: z.string(), commitSha: z.string().nullable().describe('The commit the signal came from, if any'),
}));

export const pullRequestRowSchema = z.object({
  id: z.string(), repository: z.string(), number: z.number().int(), title: z.string(), url: z.string().nullable().describe('Link to the pull request'),
  author: z.string().nullable().describe('Display name'), team: z.string().nullable().describe('Team of the change (slug)'),
  createdAt: instant, readyAt: instant, firstCommitAt: instant.nullable(), mergedAt: instant,
  firstReviewAt: instant.nullable().describe('First human review up to the merge'), approvedAt: instant.nullable(), reviews: z.number().int().describe('Human reviews up to the merge'),
  cycleHours: hours, codingHours: hours, pickupHours: hours, reviewHours: hours, mergeHours: hours,
  firstReviewToMergeHours: hours.describe('What reviewTimeP50Hours takes the median of'),
  additions: z.number().int(), deletions: z.number().int(), size: z.number().int().nullable().describe('additions + deletions; null when unknown (0)'),
  isInferred: z.boolean(), isAi: z.boolean().describe("AI pull request under the org's weak-evidence setting"), aiEvidence: evidence,
  firstRunPassed: z.boolean().nullable().optional().describe("Whether the first attempt of every CI workflow on the PR's final head commit passed (docs/metrics.md#first-run-pass-rate); null without a finished first run"),
});
export const ticketRowSchema = z.object({
  id: z.string(), key: z.string(), title: z.string(), url: z.string().nullable(), source: z.string(), status: z.string(), team: z.string().nullable(),
  start: instant.describe("The cycle's start (creation, or first move to in progress, by the org setting)"), doneAt: instant.nullable(),
  lastPrRepository: z.string(), lastPrNumber: z.number().int(), lastPrUrl: z.string().nullable(), lastPrMergedAt: instant,
  cycleHours: hours, waitingHours: hours, codingHours: hours, pickupHours: hours, reviewHours: hours, mergeHours: hours,
});
export const commitRowSchema = z.object({
  id: z.string(), sha: z.string(), repository: z.string(), message: z.string().describe('First line'), author: z.string().nullable(), team: z.string().nullable(),
  committedAt: instant, additions: z.number().int(), aiAdditions: z.number().int(), isAi: z.boolean(), aiEvidence: evidence,
  url: z.string().nullable().optional().describe("Link to the commit, from its GitHub or GitLab repository's link; null when unknown"),
});
export const aiUsageRowSchema = z.object({
  id: z.string(), day: z.string(), tool: z.string(), model: z.string(), identityKey: z.string(), personId: z.string().nullable().describe('null for bots and unresolved users'),
  person: z.string().nullable(), team: z.string().nullable(),
  tokens: z.number().int(), tokensIn: z.number().int(), tokensOut: z.number().int(), tokensCacheRead: z.number().int(), tokensCacheWrite: z.number().int(),
  costUsd: z.number(), linesSuggested: z.number().int(), linesAccepted: z.number().int(), used: z.boolean(),
});

export const drilldownSchema = z.object({
  org: z.string(),
  team: z.string().nullable(),
  week: z.string(),
  timeZone: z.string(),
  metric: z.enum(DRILLDOWN_METRIC_NAMES),
  kind: z.enum(['pull_requests', 'tickets', 'commits', 'ai_usage']),
  aggregate: z.enum(['count', 'sum', 'p50', 'p85', 'mean', 'share', 'distinct']).describe('How the figure is made from the rows'),
  value: z.string().nullable().describe('The row field the figure aggregates; null for counts'),
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  truncated: z.boolean().describe(`More than ${DRILLDOWN_LIMIT} rows: only the first ${DRILLDOWN_LIMIT} are given`),
  rows: z.array(z.union([pullRequestRowSchema, ticketRowSchema, commitRowSchema, aiUsageRowSchema])),
});

export type Drilldown = z.infer<typeof drilldownSchema>;
