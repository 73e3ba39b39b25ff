import { z } from 'zod';
import { ISO_DATE, parseIsoDate } from './weeks.ts';

export const DRILLDOWN_LIMIT = 1000;

/** The weekly figures with rows behind them (how each is made of its rows: drilldown-metrics.ts). */
export const DRILLDOWN_METRIC_NAMES = [
  'prsMerged', 'aiPrsMerged', 'aiPrShare',
  'prCycleP50Hours', 'prCycleP85Hours', 'prCycleMeanHours', 'prCycleCodingP50Hours', 'prCyclePickupP50Hours', 'prCycleReviewP50Hours', 'prCycleMergeP50Hours',
  ...(['prsMergedWithoutReview', 'timeToFirstReviewP50Hours', 'reviewTimeP50Hours', 'reviewsPerPr', 'reviewsPerReviewer', 'prSizeP50Lines'] as const).flatMap((n) => [n, `${n}Ai`, `${n}Human`] as const),
  'ticketsMerged', 'ticketToMergeP50Hours', 'ticketToMergeP85Hours', 'ticketToMergeMeanHours',
  'ticketCycleWaitingP50Hours', 'ticketCycleCodingP50Hours', 'ticketCyclePickupP50Hours', 'ticketCycleReviewP50Hours', 'ticketCycleMergeP50Hours', 'ticketsDone',
  'commits', 'aiCommits', 'linesAdded', 'aiLinesAdded',
  'tokens', 'tokensIn', 'tokensOut', 'tokensCacheRead', 'tokensCacheWrite', 'costUsd', 'aiLinesSuggested', 'aiLinesAccepted', 'activeAiUsers',
  'activeEngineers',
  ...(['firstRunHeads', 'firstRunPassed', 'firstRunPassRate', 'reworkedPrs', 'reworkCommitsPerPr', 'reworkPrShare', 'revertedPrs', 'revertRate'] as const).flatMap((n) => [n, `${n}Ai`, `${n}Human`] as const),
  'deployments', 'changeFailureRate', 'leadTimeP50Hours', 'timeToRestoreP50Hours',
  'trailing4TicketToMergeP50Hours', 'trailing4PrCycleP50Hours', 'trailing4ReviewTimeP50Hours',
] as const;
export type DrilldownMetricName = (typeof DRILLDOWN_METRIC_NAMES)[number];

const isMonday = (value: string) => parseIsoDate(value)?.getUTCDay() === 1;

export const drilldownQuerySchema = z
  .object({
    metric: z.enum(DRILLDOWN_METRIC_NAMES).describe('A weekly figure with rows behind it'),
    team: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug').optional().describe('Team slug; the whole org when absent'),
    week: z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD').refine(isMonday, 'must be a Monday, the start of an ISO week').describe('Week start, YYYY-MM-DD'),
    sort: z.string().regex(/^[A-Za-z]{1,40}$/, 'must be a row field').optional().describe("A row field; default the figure's value (descending) when it is a quantity, else the row's time (engineers: their name)"),
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
  reworkCommits: z.number().int().nullable().optional().describe('Commits authored after the first human review, up to the merge (docs/metrics.md#rework); null without a human review'),
  reworked: z.boolean().nullable().optional().describe('reworkCommits > 0; null without a human review'),
  reverted: z.boolean().optional().describe('Reverted within 14 days of the merge (docs/metrics.md#reverts-within-14-days); revert figures only'),
  revertedAt: instant.nullable().optional().describe('When the first such revert landed'),
  revertedBy: z.string().nullable().optional().describe('The reverting commit (sha) or pull request (#number)'),
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

export const headCommitRowSchema = z.object({
  id: z.string(), repository: z.string(), sha: z.string().describe('The head commit'), number: z.number().int().describe('Its pull request'), title: z.string(), url: z.string().nullable(),
  author: z.string().nullable(), team: z.string().nullable(), firstRunAt: instant.describe('Start of its earliest counted first run'),
  passed: z.boolean().describe('The first attempt of every workflow passed'),
  failedWorkflows: z.array(z.string()).describe('Workflows whose first attempt failed'), runUrl: z.string().nullable().describe('A failed run, if any'),
  isAi: z.boolean().describe('Its pull request is an AI pull request'),
});
export const engineerRowSchema = z.object({
  id: z.string(), personId: z.string(), person: z.string(), team: z.string().nullable().describe('Team at the activity; someone active in two teams has a row for each'),
  commits: z.number().int(), prsOpened: z.number().int(), prsMerged: z.number().int(), reviews: z.number().int(),
  firstActiveAt: instant, lastActiveAt: instant,
});
export const reviewRowSchema = z.object({
  id: z.string(), submittedAt: instant, state: z.string(), reviewerId: z.string(), reviewer: z.string(), team: z.string().nullable().describe("The reviewer's team at submission"),
  repository: z.string(), number: z.number().int().describe('The reviewed pull request'), title: z.string(), url: z.string().nullable(), author: z.string().nullable().describe("The pull request's author"),
  isAi: z.boolean().describe('The reviewed pull request is an AI pull request'),
});
export const deploymentRowSchema = z.object({
  id: z.string(), repository: z.string(), environment: z.string(), isRelease: z.boolean().describe('A published release of a repository without deployments'),
  sha: z.string().nullable().describe('null when unknown (a release of a branch)'), team: z.string().nullable(), deployedAt: instant,
  failed: z.boolean().describe('An incident followed it (docs/metrics.md#change-failure-rate)'), incidents: z.array(z.string()).describe('Keys of the incidents that followed it'),
});
export const deployedPullRequestRowSchema = z.object({
  id: z.string(), repository: z.string(), number: z.number().int(), title: z.string(), url: z.string().nullable(), author: z.string().nullable(), team: z.string().nullable(),
  startedAt: instant.describe('First commit, or opening if earlier'), mergedAt: instant, deployedAt: instant.describe('The first production deployment including it'),
  deploymentSha: z.string().nullable(), leadTimeHours: z.number().describe('startedAt → deployedAt'),
});
export const incidentRowSchema = z.object({
  id: z.string(), key: z.string(), title: z.string(), url: z.string().nullable(), source: z.string(), team: z.string().nullable().describe('Team of the deployment it followed'),
  createdAt: instant, doneAt: instant, restoreHours: z.number().describe('createdAt → doneAt'),
  deploymentRepository: z.string().nullable().describe('The deployment it followed; null when none'), deploymentSha: z.string().nullable(), deploymentAt: instant.nullable(),
});

export const DRILLDOWN_KINDS = ['pull_requests', 'tickets', 'commits', 'ai_usage', 'head_commits', 'engineers', 'reviews', 'deployments', 'deployed_pull_requests', 'incidents'] as const;
export const DRILLDOWN_AGGREGATES = ['count', 'sum', 'p50', 'p85', 'mean', 'share', 'distinct', 'perDistinct'] as const;

export const drilldownSchema = z.object({
  org: z.string(),
  team: z.string().nullable(),
  week: z.string(),
  timeZone: z.string(),
  metric: z.enum(DRILLDOWN_METRIC_NAMES),
  kind: z.enum(DRILLDOWN_KINDS),
  aggregate: z.enum(DRILLDOWN_AGGREGATES).describe('How the figure is made from the rows: count of rows; sum, p50, p85 or mean of `value`; share of rows whose `value` is true; distinct `value`s; perDistinct: rows per distinct `value`'),
  value: z.string().nullable().describe('The row field the figure aggregates; null for counts'),
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  truncated: z.boolean().describe(`More than ${DRILLDOWN_LIMIT} rows: only the first ${DRILLDOWN_LIMIT} are given`),
  rows: z.array(z.union([
    pullRequestRowSchema, ticketRowSchema, commitRowSchema, aiUsageRowSchema,
    headCommitRowSchema, engineerRowSchema, reviewRowSchema, deploymentRowSchema, deployedPullRequestRowSchema, incidentRowSchema,
  ])),
});

export type Drilldown = z.infer<typeof drilldownSchema>;
