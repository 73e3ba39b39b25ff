import { Prisma } from '../db/generated/client.ts';
import type { DRILLDOWN_AGGREGATES, DRILLDOWN_KINDS, DrilldownMetricName } from './drilldown-schemas.ts';
import {
  aiUsageRows, commitRows, deployedPullRequestRows, deploymentRows, engineerRows, headCommitRows, incidentRows, pullRequestRows, reviewRows,
  revertedPullRequestRows, ticketRows, type RowInput,
} from './drilldown-rows.ts';

// Which rows stand behind each weekly figure, and how the figure is made from them: the figure is
// `aggregate` over the field `value` of the rows kept by `where`, from `weeks` weeks ending with the
// one asked (4 for the trailing medians). Figures made of other figures (per-engineer ratios) have
// no drill-down.

export type DrilldownKind = (typeof DRILLDOWN_KINDS)[number];
/**
 * count: rows; sum / p50 / p85 / mean of `value`; share: rows with `value` true / rows; distinct:
 * distinct `value`s; perDistinct: rows / distinct `value`s (reviews per reviewer).
 */
export type Aggregate = (typeof DRILLDOWN_AGGREGATES)[number];

interface Kind {
  rows: (w: RowInput) => Prisma.Sql;
  /** Answer field → its SQL in the drill-down statement (`rows`: the row set, `t`: the team). */
  fields: Record<string, string>;
  /** Fields not to sort by (JSON). */
  unsortable?: string[];
  /** Default sort when the figure has no value field. */
  defaultSort: string;
}

const TEAM = { team: 't.slug' };
const PR_FIELDS = {
  id: 'rows.id', repository: 'rows.repository', number: 'rows.number', title: 'rows.title', url: 'rows.url', author: 'rows.author', ...TEAM,
  createdAt: 'rows.created_at', readyAt: 'rows.ready_at', firstCommitAt: 'rows.first_commit_at', mergedAt: 'rows.merged_at',
  firstReviewAt: 'rows.first_review_at', approvedAt: 'rows.approved_at', reviews: 'rows.reviews',
  cycleHours: 'rows.cycle_hours', codingHours: 'rows.coding_hours', pickupHours: 'rows.pickup_hours', reviewHours: 'rows.review_hours',
  mergeHours: 'rows.merge_hours', firstReviewToMergeHours: 'rows.first_review_to_merge_hours',
  additions: 'rows.additions', deletions: 'rows.deletions', size: 'rows.size', isInferred: 'rows.is_inferred',
  isAi: 'rows.is_ai', aiEvidence: 'rows.ai_evidence', firstRunPassed: 'rows.first_run_passed',
  reworkCommits: 'rows.rework_commits', reworked: 'rows.rework_commits > 0',
};
const PHASE_FIELDS = { codingHours: 'rows.coding_hours', pickupHours: 'rows.pickup_hours', reviewHours: 'rows.review_hours', mergeHours: 'rows.merge_hours' };
const TICKET_FIELDS = {
  id: 'rows.id', key: 'rows.key', title: 'rows.title', url: 'rows.url', source: 'rows.source', status: 'rows.status', ...TEAM,
  start: 'rows.start', doneAt: 'rows.done_at',
  lastPrRepository: 'rows.last_pr_repository', lastPrNumber: 'rows.last_pr_number', lastPrUrl: 'rows.last_pr_url', lastPrMergedAt: 'rows.last_pr_merged_at',
  cycleHours: 'rows.cycle_hours', waitingHours: 'rows.waiting_hours', ...PHASE_FIELDS,
};

const KINDS = {
  pull_requests: { rows: pullRequestRows, fields: PR_FIELDS, unsortable: ['aiEvidence'], defaultSort: 'mergedAt' },
  reverts: {
    rows: revertedPullRequestRows,
    fields: { ...PR_FIELDS, reverted: 'rows.reverted', revertedAt: 'rows.reverted_at', revertedBy: 'rows.reverted_by' },
    unsortable: ['aiEvidence'],
    defaultSort: 'mergedAt',
  },
  tickets_merged: { rows: (w: RowInput) => ticketRows(w, 'merged'), fields: TICKET_FIELDS, defaultSort: 'lastPrMergedAt' },
  tickets_done: { rows: (w: RowInput) => ticketRows(w, 'done'), fields: TICKET_FIELDS, defaultSort: 'doneAt' },
  commits: {
    rows: commitRows,
    fields: {
      id: 'rows.id', sha: 'rows.sha', repository: 'rows.repository', message: 'rows.message', author: 'rows.author', ...TEAM,
      committedAt: 'rows.committed_at', additions: 'rows.additions', aiAdditions: 'rows.ai_additions', isAi: 'rows.is_ai', aiEvidence: 'rows.ai_evidence', url: 'rows.url',
    },
    unsortable: ['aiEvidence', 'url'],
    defaultSort: 'committedAt',
  },
  ai_usage: {
    rows: aiUsageRows,
    fields: {
      id: 'rows.id', day: 'rows.day', tool: 'rows.tool', model: 'rows.model', identityKey: 'rows.identity_key', personId: 'rows.person_id', person: 'rows.person', ...TEAM,
      tokens: 'rows.tokens', tokensIn: 'rows.tokens_in', tokensOut: 'rows.tokens_out', tokensCacheRead: 'rows.tokens_cache_read', tokensCacheWrite: 'rows.tokens_cache_write',
      costUsd: 'rows.cost_usd', linesSuggested: 'rows.lines_suggested', linesAccepted: 'rows.lines_accepted', used: 'rows.used',
    },
    defaultSort: 'day',
  },
  head_commits: {
    rows: headCommitRows,
    fields: {
      id: 'rows.id', repository: 'rows.repository', sha: 'rows.sha', number: 'rows.number', title: 'rows.title', url: 'rows.url', author: 'rows.author', ...TEAM,
      firstRunAt: 'rows.first_run_at', passed: 'rows.passed', failedWorkflows: 'rows.failed_workflows', runUrl: 'rows.run_url', isAi: 'rows.is_ai',
    },
    unsortable: ['failedWorkflows'],
    defaultSort: 'firstRunAt',
  },
  engineers: {
    rows: engineerRows,
    fields: {
      id: 'rows.id', personId: 'rows.person_id', person: 'rows.person', ...TEAM,
      commits: 'rows.commits', prsOpened: 'rows.prs_opened', prsMerged: 'rows.prs_merged', reviews: 'rows.reviews',
      firstActiveAt: 'rows.first_active_at', lastActiveAt: 'rows.last_active_at',
    },
    defaultSort: 'person',
  },
  reviews: {
    rows: reviewRows,
    fields: {
      id: 'rows.id', submittedAt: 'rows.submitted_at', state: 'rows.state', reviewerId: 'rows.reviewer_id', reviewer: 'rows.reviewer', ...TEAM,
      repository: 'rows.repository', number: 'rows.number', title: 'rows.title', url: 'rows.url', author: 'rows.author', isAi: 'rows.is_ai',
    },
    defaultSort: 'submittedAt',
  },
  deployments: {
    rows: deploymentRows,
    fields: {
      id: 'rows.id', repository: 'rows.repository', environment: 'rows.environment', isRelease: 'rows.is_release', sha: 'rows.sha', ...TEAM,
      deployedAt: 'rows.deployed_at', failed: 'rows.failed', incidents: 'rows.incidents',
    },
    unsortable: ['incidents'],
    defaultSort: 'deployedAt',
  },
  deployed_pull_requests: {
    rows: deployedPullRequestRows,
    fields: {
      id: 'rows.id', repository: 'rows.repository', number: 'rows.number', title: 'rows.title', url: 'rows.url', author: 'rows.author', ...TEAM,
      startedAt: 'rows.started_at', mergedAt: 'rows.merged_at', deployedAt: 'rows.deployed_at', deploymentSha: 'rows.deployment_sha', leadTimeHours: 'rows.hours',
    },
    defaultSort: 'deployedAt',
  },
  incidents: {
    rows: incidentRows,
    fields: {
      id: 'rows.id', key: 'rows.key', title: 'rows.title', url: 'rows.url', source: 'rows.source', ...TEAM,
      createdAt: 'rows.created_at', doneAt: 'rows.done_at', restoreHours: 'rows.hours',
      deploymentRepository: 'rows.deployment_repository', deploymentSha: 'rows.deployment_sha', deploymentAt: 'rows.deployment_at',
    },
    defaultSort: 'doneAt',
  },
} satisfies Record<string, Kind>;

type RowSet = keyof typeof KINDS;
const KIND_OF: Record<RowSet, DrilldownKind> = {
  pull_requests: 'pull_requests', reverts: 'pull_requests', tickets_merged: 'tickets', tickets_done: 'tickets', commits: 'commits', ai_usage: 'ai_usage',
  head_commits: 'head_commits', engineers: 'engineers', reviews: 'reviews', deployments: 'deployments', deployed_pull_requests: 'deployed_pull_requests', incidents: 'incidents',
};

export interface DrilldownMetric {
  set: RowSet;
  aggregate: Aggregate;
  /** The field the figure aggregates; none for counts. */
  value?: string;
  /** Which rows of the set the figure is about (besides having a value): SQL over the drill-down's fields. */
  where?: Prisma.Sql;
  /** How many weeks, ending with the asked one, the rows come from: 4 for the trailing medians; else 1. */
  weeks?: number;
}

const AI = Prisma.sql`rows.is_ai`;
const HUMAN = Prisma.sql`NOT rows.is_ai`;
/** Review time per change leaves out PRs known only from git history (review-time.ts). */
const REVIEWED = Prisma.sql`NOT rows.is_inferred`;
/** Rework counts the PRs of review time that had a human review (rework.ts). */
const REWORK_COUNTED = Prisma.sql`NOT rows.is_inferred AND rows.first_review_at IS NOT NULL`;
/** All the conditions given, ANDed; none: undefined. */
const and = (...conditions: (Prisma.Sql | undefined)[]): Prisma.Sql | undefined => {
  const given = conditions.filter((c): c is Prisma.Sql => c !== undefined);
  return given.length ? Prisma.join(given, ' AND ') : undefined;
};

/** A figure and its Ai / Human variants: the same, of AI pull requests and of the others. */
function aiSplit<N extends string>(name: N, m: DrilldownMetric): Record<N | `${N}Ai` | `${N}Human`, DrilldownMetric> {
  return {
    [name]: m,
    [`${name}Ai`]: { ...m, where: and(m.where, AI) },
    [`${name}Human`]: { ...m, where: and(m.where, HUMAN) },
  } as Record<N | `${N}Ai` | `${N}Human`, DrilldownMetric>;
}

/** A review-time figure and its Ai / Human variants. */
function splits<N extends string>(name: N, m: Omit<DrilldownMetric, 'set'>): Record<N | `${N}Ai` | `${N}Human`, DrilldownMetric> {
  return aiSplit(name, { ...m, set: 'pull_requests', where: and(REVIEWED, m.where) });
}

const pr = (aggregate: Aggregate, value?: string, where?: Prisma.Sql): DrilldownMetric => ({ set: 'pull_requests', aggregate, value, where });
const ticket = (aggregate: Aggregate, value?: string): DrilldownMetric => ({ set: 'tickets_merged', aggregate, value });
const commit = (aggregate: Aggregate, value?: string, where?: Prisma.Sql): DrilldownMetric => ({ set: 'commits', aggregate, value, where });
const usage = (value: string): DrilldownMetric => ({ set: 'ai_usage', aggregate: 'sum', value });

export const DRILLDOWN_METRICS: Record<DrilldownMetricName, DrilldownMetric> = {
  prsMerged: pr('count'),
  aiPrsMerged: pr('count', undefined, AI),
  aiPrShare: pr('share', 'isAi'),
  prCycleP50Hours: pr('p50', 'cycleHours'),
  prCycleP85Hours: pr('p85', 'cycleHours'),
  prCycleMeanHours: pr('mean', 'cycleHours'),
  prCycleCodingP50Hours: pr('p50', 'codingHours'),
  prCyclePickupP50Hours: pr('p50', 'pickupHours'),
  prCycleReviewP50Hours: pr('p50', 'reviewHours'),
  prCycleMergeP50Hours: pr('p50', 'mergeHours'),
  ...splits('prsMergedWithoutReview', { aggregate: 'count', where: Prisma.sql`rows.first_review_at IS NULL` }),
  ...splits('timeToFirstReviewP50Hours', { aggregate: 'p50', value: 'pickupHours' }),
  ...splits('reviewTimeP50Hours', { aggregate: 'p50', value: 'firstReviewToMergeHours' }),
  ...splits('reviewsPerPr', { aggregate: 'mean', value: 'reviews' }),
  ...splits('prSizeP50Lines', { aggregate: 'p50', value: 'size' }),
  ticketsMerged: ticket('count'),
  ticketToMergeP50Hours: ticket('p50', 'cycleHours'),
  ticketToMergeP85Hours: ticket('p85', 'cycleHours'),
  ticketToMergeMeanHours: ticket('mean', 'cycleHours'),
  ticketCycleWaitingP50Hours: ticket('p50', 'waitingHours'),
  ticketCycleCodingP50Hours: ticket('p50', 'codingHours'),
  ticketCyclePickupP50Hours: ticket('p50', 'pickupHours'),
  ticketCycleReviewP50Hours: ticket('p50', 'reviewHours'),
  ticketCycleMergeP50Hours: ticket('p50', 'mergeHours'),
  ticketsDone: { set: 'tickets_done', aggregate: 'count' },
  commits: commit('count'),
  aiCommits: commit('count', undefined, AI),
  linesAdded: commit('sum', 'additions'),
  aiLinesAdded: commit('sum', 'aiAdditions'),
  tokens: usage('tokens'),
  tokensIn: usage('tokensIn'),
  tokensOut: usage('tokensOut'),
  tokensCacheRead: usage('tokensCacheRead'),
  tokensCacheWrite: usage('tokensCacheWrite'),
  costUsd: usage('costUsd'),
  aiLinesSuggested: usage('linesSuggested'),
  aiLinesAccepted: usage('linesAccepted'),
  activeAiUsers: { set: 'ai_usage', aggregate: 'distinct', value: 'personId', where: Prisma.sql`rows.used` },
  activeEngineers: { set: 'engineers', aggregate: 'distinct', value: 'personId' },
  ...aiSplit('reviewsPerReviewer', { set: 'reviews', aggregate: 'perDistinct', value: 'reviewerId' }),
  ...aiSplit('firstRunHeads', { set: 'head_commits', aggregate: 'count' }),
  ...aiSplit('firstRunPassed', { set: 'head_commits', aggregate: 'count', where: Prisma.sql`rows.passed` }),
  ...aiSplit('firstRunPassRate', { set: 'head_commits', aggregate: 'share', value: 'passed' }),
  ...aiSplit('reworkedPrs', pr('count', undefined, and(REWORK_COUNTED, Prisma.sql`rows.rework_commits > 0`))),
  ...aiSplit('reworkCommitsPerPr', pr('mean', 'reworkCommits', REWORK_COUNTED)),
  ...aiSplit('reworkPrShare', pr('share', 'reworked', REWORK_COUNTED)),
  ...aiSplit('revertedPrs', { set: 'reverts', aggregate: 'count', where: Prisma.sql`rows.reverted` }),
  ...aiSplit('revertRate', { set: 'reverts', aggregate: 'share', value: 'reverted' }),
  deployments: { set: 'deployments', aggregate: 'count' },
  changeFailureRate: { set: 'deployments', aggregate: 'share', value: 'failed' },
  leadTimeP50Hours: { set: 'deployed_pull_requests', aggregate: 'p50', value: 'leadTimeHours' },
  timeToRestoreP50Hours: { set: 'incidents', aggregate: 'p50', value: 'restoreHours' },
  // The week and the 3 before it, the items of each week's own figure (trailing-medians.ts).
  trailing4TicketToMergeP50Hours: { ...ticket('p50', 'cycleHours'), weeks: 4 },
  trailing4PrCycleP50Hours: { ...pr('p50', 'cycleHours'), weeks: 4 },
  trailing4ReviewTimeP50Hours: { ...pr('p50', 'firstReviewToMergeHours', REVIEWED), weeks: 4 },
};

export function kindOf(metric: DrilldownMetricName): DrilldownKind {
  return KIND_OF[DRILLDOWN_METRICS[metric].set];
}

export function rowSetOf(metric: DrilldownMetricName): Kind {
  return KINDS[DRILLDOWN_METRICS[metric].set];
}

/** Every field a row of this kind can be sorted by. */
export function sortableFields(metric: DrilldownMetricName): string[] {
  const k: Kind = rowSetOf(metric);
  return Object.keys(k.fields).filter((f) => !k.unsortable?.includes(f));
}
