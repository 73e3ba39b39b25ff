import { z } from 'zod';
import { distortionFlagSchema } from './distortion-schema.ts';
import { leverageSchema } from './leverage-schema.ts';
import { ISO_DATE } from './weeks.ts';

export const METRICS_VERSION = 2;
export const MAX_WEEKS = 104;

const isoDate = z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD');

export const weeklyQuerySchema = z
  .object({
    team: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug').optional().describe('Team slug; the whole org when absent'),
    from: isoDate.optional().describe('First day of the range; its ISO week is the first week (default: 11 weeks before `to`)'),
    to: isoDate.optional().describe('Last day of the range; its ISO week is the last week (default: the current week)'),
    format: z.enum(['json', 'csv']).optional().describe('csv: one row per week, one column per figure'),
  })
  .strict();

export type WeeklyQuery = z.infer<typeof weeklyQuerySchema>;

export const weekMetricsSchema = z.object({
  weekStart: z.string().describe('Monday of the ISO week in the org time zone, YYYY-MM-DD'),
  prsMerged: z.number().int(),
  linesAdded: z.number().int(),
  aiLinesAdded: z.number().int(),
  ticketsMerged: z.number().int().describe('Tickets behind the cycle time figure'),
  ticketToMergeP50Hours: z.number().nullable().describe('null when no ticket reached merge that week'),
  ticketToMergeP85Hours: z.number().nullable().describe('85th percentile of the cycle times of the same tickets, hours'),
  ticketToMergeMeanHours: z.number().nullable().describe('Mean of the cycle times of the same tickets, hours'),
  ticketCycleWaitingP50Hours: z.number().nullable().describe('p50 of ticket start → first commit of its last PR, hours; null when none known'),
  ticketCycleCodingP50Hours: z.number().nullable().describe('p50 of first commit → PR opened, for the last PRs of those tickets, hours'),
  ticketCyclePickupP50Hours: z.number().nullable().describe('p50 of PR ready → first human review, for the last PRs of those tickets, hours'),
  ticketCycleReviewP50Hours: z.number().nullable().describe('p50 of first human review → approval, for the last PRs of those tickets, hours'),
  ticketCycleMergeP50Hours: z.number().nullable().describe('p50 of approval → merge, for the last PRs of those tickets, hours'),
  prCycleP50Hours: z.number().nullable().describe('p50 of first commit (or PR opening, if earlier) → merge of merged PRs, hours; null when none'),
  prCycleP85Hours: z.number().nullable().describe('85th percentile of the same PR cycle times, hours'),
  prCycleMeanHours: z.number().nullable().describe('Mean of the same PR cycle times, hours'),
  prCycleCodingP50Hours: z.number().nullable().describe('p50 of first commit → PR opened, merged PRs, hours'),
  prCyclePickupP50Hours: z.number().nullable().describe('p50 of PR ready → first human review, merged PRs, hours (= timeToFirstReviewP50Hours)'),
  prCycleReviewP50Hours: z.number().nullable().describe('p50 of first human review → approval, merged PRs, hours'),
  prCycleMergeP50Hours: z.number().nullable().describe('p50 of approval → merge, merged PRs, hours'),
  prsMergedWithoutReview: z.number().int().describe('PRs merged with no human review before the merge'),
  prsMergedWithoutReviewAi: z.number().int().describe('prsMergedWithoutReview, AI pull requests only'),
  prsMergedWithoutReviewHuman: z.number().int().describe('prsMergedWithoutReview, other pull requests'),
  timeToFirstReviewP50Hours: z.number().nullable().describe('p50 of ready → first human review of PRs merged that week, hours'),
  timeToFirstReviewP50HoursAi: z.number().nullable().describe('timeToFirstReviewP50Hours, AI pull requests only'),
  timeToFirstReviewP50HoursHuman: z.number().nullable().describe('timeToFirstReviewP50Hours, other pull requests'),
  reviewTimeP50Hours: z.number().nullable().describe('p50 of first human review → merge of PRs merged that week, hours'),
  reviewTimeP50HoursAi: z.number().nullable().describe('reviewTimeP50Hours, AI pull requests only'),
  reviewTimeP50HoursHuman: z.number().nullable().describe('reviewTimeP50Hours, other pull requests'),
  reviewsPerPr: z.number().nullable().describe('Mean human reviews (before merge) per PR merged that week'),
  reviewsPerPrAi: z.number().nullable().describe('reviewsPerPr, AI pull requests only'),
  reviewsPerPrHuman: z.number().nullable().describe('reviewsPerPr, other pull requests'),
  reviewsPerReviewer: z.number().nullable().describe('Human reviews submitted that week / distinct reviewers, for the team of the reviewer'),
  reviewsPerReviewerAi: z.number().nullable().describe('reviewsPerReviewer, AI pull requests only'),
  reviewsPerReviewerHuman: z.number().nullable().describe('reviewsPerReviewer, other pull requests'),
  prSizeP50Lines: z.number().nullable().describe('p50 of additions + deletions of PRs merged that week (size unknown excluded)'),
  prSizeP50LinesAi: z.number().nullable().describe('prSizeP50Lines, AI pull requests only'),
  prSizeP50LinesHuman: z.number().nullable().describe('prSizeP50Lines, other pull requests'),
  commits: z.number().int().describe('Non-merge commits landed on the default branch (bots excluded)'),
  aiCommits: z.number().int().describe('Of those, commits marked AI'),
  aiPrsMerged: z.number().int().describe('Merged pull requests that are AI pull requests'),
  aiPrShare: z.number().nullable().describe('aiPrsMerged / prsMerged, 0..1; null when no PR merged'),
  tokens: z.number().int().describe('AI tool tokens: input + output + cache read + cache write'),
  tokensIn: z.number().int().describe('Input tokens, cache reads and writes excluded'),
  tokensOut: z.number().int(),
  tokensCacheRead: z.number().int(),
  tokensCacheWrite: z.number().int(),
  costUsd: z.number().describe('AI tool cost in US dollars, as the tools report it'),
  aiLinesSuggested: z.number().int().describe('Lines AI tools suggested'),
  aiLinesAccepted: z.number().int().describe('Lines of AI suggestions accepted'),
  activeAiUsers: z.number().int().describe('Distinct people with any AI tool usage'),
  ticketsDone: z.number().int().describe('Tickets moved to done with at least one merged linked PR'),
  activeEngineers: z.number().int().describe('Distinct people who committed, opened or merged a PR, or reviewed'),
  prsMergedPerEngineer: z.number().nullable().describe('prsMerged / activeEngineers; null with no active engineer'),
  ticketsDonePerEngineer: z.number().nullable().describe('ticketsDone / activeEngineers; null with no active engineer'),
  firstRunHeads: z.number().int().describe('PR head commits whose first CI attempt finished (started that week)'),
  firstRunHeadsAi: z.number().int().describe('firstRunHeads, of AI pull requests'),
  firstRunHeadsHuman: z.number().int().describe('firstRunHeads, of other pull requests'),
  firstRunPassed: z.number().int().describe('Of firstRunHeads, those whose first attempt of every workflow passed'),
  firstRunPassedAi: z.number().int().describe('firstRunPassed, of AI pull requests'),
  firstRunPassedHuman: z.number().int().describe('firstRunPassed, of other pull requests'),
  firstRunPassRate: z.number().nullable().describe('firstRunPassed / firstRunHeads, 0..1; null when no head commit had CI'),
  firstRunPassRateAi: z.number().nullable().describe('firstRunPassRate, AI pull requests only'),
  firstRunPassRateHuman: z.number().nullable().describe('firstRunPassRate, other pull requests'),
  reworkedPrs: z.number().int().describe('PRs merged that week with a commit authored after their first human review'),
  reworkedPrsAi: z.number().int().describe('reworkedPrs, AI pull requests only'),
  reworkedPrsHuman: z.number().int().describe('reworkedPrs, other pull requests'),
  reworkCommitsPerPr: z.number().nullable().describe('Mean commits authored after the first human review, per reviewed PR merged that week'),
  reworkCommitsPerPrAi: z.number().nullable().describe('reworkCommitsPerPr, AI pull requests only'),
  reworkCommitsPerPrHuman: z.number().nullable().describe('reworkCommitsPerPr, other pull requests'),
  reworkPrShare: z.number().nullable().describe('Share of reviewed PRs merged that week with any rework, 0..1'),
  reworkPrShareAi: z.number().nullable().describe('reworkPrShare, AI pull requests only'),
  reworkPrShareHuman: z.number().nullable().describe('reworkPrShare, other pull requests'),
  revertedPrs: z.number().int().describe('PRs merged that week and reverted within 14 days (changes for 14 days after the week)'),
  revertedPrsAi: z.number().int().describe('revertedPrs, AI pull requests only'),
  revertedPrsHuman: z.number().int().describe('revertedPrs, other pull requests'),
  revertRate: z.number().nullable().describe('revertedPrs / PRs merged that week, 0..1; null when none merged'),
  revertRateAi: z.number().nullable().describe('revertRate, AI pull requests only'),
  revertRateHuman: z.number().nullable().describe('revertRate, other pull requests'),
  deployments: z.number().int().describe('Successful production deployments (or published releases, in repositories without deployments), by success time'),
  leadTimeP50Hours: z.number().nullable().describe('p50 of merged PRs\' first commit (or opening) → first production deployment including them, by deployment week, hours'),
  changeFailureRate: z.number().nullable().describe('Share of that week\'s production deployments followed by an incident, 0..1; null with no deployment'),
  timeToRestoreP50Hours: z.number().nullable().describe('p50 of incident tickets\' creation → done, by done week, hours; null when none done'),
  trailing4TicketToMergeP50Hours: z.number().nullable().describe('p50 of the ticket-to-merge times of the 4 weeks ending with this one (over their tickets, not a mean of weekly p50s), hours; null when none'),
  trailing4PrCycleP50Hours: z.number().nullable().describe('p50 of the PR cycle times of the 4 weeks ending with this one, hours; null when none'),
  trailing4ReviewTimeP50Hours: z.number().nullable().describe('p50 of the review times (first human review → merge) of the 4 weeks ending with this one, hours; null when none'),
});

export const weeklyMetricsSchema = z.object({
  org: z.string(),
  team: z.string().nullable(),
  from: z.string().describe('First day of the range asked for, YYYY-MM-DD'),
  to: z.string().describe('Last day of the range asked for, YYYY-MM-DD'),
  timeZone: z.string(),
  definitionsVersion: z.number().int().describe('Version of docs/metrics.md the figures follow'),
  weeks: z.array(weekMetricsSchema),
  leverage: leverageSchema,
  flags: z.array(distortionFlagSchema).describe('Distortion warnings: every week of the range whose trailing 4 weeks trigger, for the team (or the org and every team)'),
});

export type WeekMetrics = z.infer<typeof weekMetricsSchema>;
export type WeeklyMetrics = z.infer<typeof weeklyMetricsSchema>;

// The drill-down's query and answer (GET /api/orgs/{org}/metrics/drilldown).
export { drilldownQuerySchema, drilldownSchema, DRILLDOWN_METRIC_NAMES, type Drilldown, type DrilldownQuery } from './drilldown-schemas.ts';
