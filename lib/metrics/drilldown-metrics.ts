import { Prisma } from '../db/generated/client.ts';
import type { DrilldownMetricName } from './drilldown-schemas.ts';
import { aiUsageRows, commitRows, pullRequestRows, ticketRows, type RowInput } from './drilldown-rows.ts';

// Which rows stand behind each weekly figure, and how the figure is made from them: the figure is
// `aggregate` over the field `value` of the rows kept by `where`. Figures made of other figures
// (per-engineer ratios) or of rows of another kind (reviewsPerReviewer: reviews; activeEngineers:
// activities) have no drill-down.

export type DrilldownKind = 'pull_requests' | 'tickets' | 'commits' | 'ai_usage';
/** count: rows; sum / p50 / p85 / mean of `value`; share: rows with `value` true / rows; distinct: distinct `value`s. */
export type Aggregate = 'count' | 'sum' | 'p50' | 'p85' | 'mean' | 'share' | 'distinct';

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
} satisfies Record<string, Kind>;

type RowSet = keyof typeof KINDS;
const KIND_OF: Record<RowSet, DrilldownKind> = { pull_requests: 'pull_requests', tickets_merged: 'tickets', tickets_done: 'tickets', commits: 'commits', ai_usage: 'ai_usage' };

export interface DrilldownMetric {
  set: RowSet;
  aggregate: Aggregate;
  /** The field the figure aggregates; none for counts. */
  value?: string;
  /** Which rows of the set the figure is about (besides having a value): SQL over the drill-down's fields. */
  where?: Prisma.Sql;
}

const AI = Prisma.sql`rows.is_ai`;
const HUMAN = Prisma.sql`NOT rows.is_ai`;
/** Review time per change leaves out PRs known only from git history (review-time.ts). */
const REVIEWED = Prisma.sql`NOT rows.is_inferred`;
const and = (a: Prisma.Sql, b?: Prisma.Sql) => (b ? Prisma.sql`${a} AND ${b}` : a);

/** A review-time figure and its Ai / Human variants. */
function splits<N extends string>(name: N, m: Omit<DrilldownMetric, 'set'>): Record<N | `${N}Ai` | `${N}Human`, DrilldownMetric> {
  const base = { ...m, set: 'pull_requests' as const };
  return {
    [name]: { ...base, where: and(REVIEWED, m.where) },
    [`${name}Ai`]: { ...base, where: and(and(REVIEWED, m.where), AI) },
    [`${name}Human`]: { ...base, where: and(and(REVIEWED, m.where), HUMAN) },
  } as Record<N | `${N}Ai` | `${N}Human`, DrilldownMetric>;
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
