import type { Drilldown, DrilldownMetricName } from '@/lib/metrics/drilldown-schemas.ts';
import { formatCount, formatHours, formatShare } from '../charts/format.ts';

// How a weekly figure reads to people, and how it is made again from its drill-down rows (the
// same arithmetic as the API: count, sum, interpolated percentile as SQL percentile_cont, mean,
// share, distinct — lib/metrics/drilldown-metrics.ts).

type Unit = 'count' | 'hours' | 'share' | 'lines' | 'usd' | 'tokens' | 'reviews' | 'people' | 'ratio';

const split = (name: string, unit: Unit) => ({ name, unit });
/** A figure and its Ai / Human variants (of AI pull requests, of the others). */
const splits = <N extends string>(metric: N, name: string, unit: Unit) =>
  ({ [metric]: split(name, unit), [`${metric}Ai`]: split(`${name} (AI PRs)`, unit), [`${metric}Human`]: split(`${name} (human PRs)`, unit) }) as Record<N | `${N}Ai` | `${N}Human`, { name: string; unit: Unit }>;

/** Each drill-down figure's name, as the dashboard shows it, and its unit. */
export const METRIC_LABELS: Record<DrilldownMetricName, { name: string; unit: Unit }> = {
  prsMerged: split('PRs merged', 'count'),
  aiPrsMerged: split('AI PRs merged', 'count'),
  aiPrShare: split('AI PR share', 'share'),
  prCycleP50Hours: split('PR cycle time, p50', 'hours'),
  prCycleP85Hours: split('PR cycle time, p85', 'hours'),
  prCycleMeanHours: split('PR cycle time, mean', 'hours'),
  prCycleCodingP50Hours: split('PR coding time, p50', 'hours'),
  prCyclePickupP50Hours: split('PR pickup time, p50', 'hours'),
  prCycleReviewP50Hours: split('PR review time (to approval), p50', 'hours'),
  prCycleMergeP50Hours: split('PR merge time (approval to merge), p50', 'hours'),
  prsMergedWithoutReview: split('PRs merged without review', 'count'),
  prsMergedWithoutReviewAi: split('AI PRs merged without review', 'count'),
  prsMergedWithoutReviewHuman: split('Human PRs merged without review', 'count'),
  timeToFirstReviewP50Hours: split('Time to first review, p50', 'hours'),
  timeToFirstReviewP50HoursAi: split('Time to first review, p50 (AI PRs)', 'hours'),
  timeToFirstReviewP50HoursHuman: split('Time to first review, p50 (human PRs)', 'hours'),
  reviewTimeP50Hours: split('Review time, p50', 'hours'),
  reviewTimeP50HoursAi: split('Review time, p50 (AI PRs)', 'hours'),
  reviewTimeP50HoursHuman: split('Review time, p50 (human PRs)', 'hours'),
  reviewsPerPr: split('Reviews per PR', 'reviews'),
  reviewsPerPrAi: split('Reviews per PR (AI PRs)', 'reviews'),
  reviewsPerPrHuman: split('Reviews per PR (human PRs)', 'reviews'),
  prSizeP50Lines: split('PR size, p50', 'lines'),
  prSizeP50LinesAi: split('PR size, p50 (AI PRs)', 'lines'),
  prSizeP50LinesHuman: split('PR size, p50 (human PRs)', 'lines'),
  ticketsMerged: split('Tickets merged', 'count'),
  ticketToMergeP50Hours: split('Ticket-to-merge, p50', 'hours'),
  ticketToMergeP85Hours: split('Ticket-to-merge, p85', 'hours'),
  ticketToMergeMeanHours: split('Ticket-to-merge, mean', 'hours'),
  ticketCycleWaitingP50Hours: split('Ticket waiting time, p50', 'hours'),
  ticketCycleCodingP50Hours: split('Ticket coding time, p50', 'hours'),
  ticketCyclePickupP50Hours: split('Ticket pickup time, p50', 'hours'),
  ticketCycleReviewP50Hours: split('Ticket review time, p50', 'hours'),
  ticketCycleMergeP50Hours: split('Ticket merge time, p50', 'hours'),
  ticketsDone: split('Tickets done', 'count'),
  commits: split('Commits', 'count'),
  aiCommits: split('AI commits', 'count'),
  linesAdded: split('Lines added', 'lines'),
  aiLinesAdded: split('AI lines added', 'lines'),
  tokens: split('AI tokens', 'tokens'),
  tokensIn: split('AI input tokens', 'tokens'),
  tokensOut: split('AI output tokens', 'tokens'),
  tokensCacheRead: split('AI cache-read tokens', 'tokens'),
  tokensCacheWrite: split('AI cache-write tokens', 'tokens'),
  costUsd: split('AI tool cost', 'usd'),
  aiLinesSuggested: split('AI lines suggested', 'lines'),
  aiLinesAccepted: split('AI lines accepted', 'lines'),
  activeAiUsers: split('Active AI users', 'people'),
  ...splits('reviewsPerReviewer', 'Reviews per reviewer', 'ratio'),
  activeEngineers: split('Active engineers', 'people'),
  ...splits('firstRunHeads', 'PR head commits with a first CI run', 'count'),
  ...splits('firstRunPassed', 'Head commits passing CI on the first run', 'count'),
  ...splits('firstRunPassRate', 'First-run CI pass rate', 'share'),
  ...splits('reworkedPrs', 'PRs reworked after review', 'count'),
  ...splits('reworkCommitsPerPr', 'Rework commits per reviewed PR', 'ratio'),
  ...splits('reworkPrShare', 'Share of reviewed PRs reworked', 'share'),
  ...splits('revertedPrs', 'PRs reverted within 14 days', 'count'),
  ...splits('revertRate', 'Revert rate (14 days)', 'share'),
  deployments: split('Production deployments', 'count'),
  changeFailureRate: split('Change failure rate', 'share'),
  leadTimeP50Hours: split('Lead time for changes, p50', 'hours'),
  timeToRestoreP50Hours: split('Time to restore service, p50', 'hours'),
  trailing4TicketToMergeP50Hours: split('Ticket-to-merge, p50 of the last 4 weeks', 'hours'),
  trailing4PrCycleP50Hours: split('PR cycle time, p50 of the last 4 weeks', 'hours'),
  trailing4ReviewTimeP50Hours: split('Review time, p50 of the last 4 weeks', 'hours'),
};

/** A figure in its unit: "7.5 h", "42%", "$12.40", "1,234". */
export function formatFigure(metric: DrilldownMetricName, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (METRIC_LABELS[metric].unit) {
    case 'hours': return formatHours(value);
    case 'share': return formatShare(value);
    case 'usd': return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'reviews': case 'ratio': return formatCount(value, 2);
    case 'lines': return `${formatCount(value, 1)} lines`;
    default: return formatCount(value, 1);
  }
}

/** Row fields as words, for "p50 of cycle time over 14 pull requests". */
export const FIELD_WORDS: Record<string, string> = {
  cycleHours: 'cycle time', codingHours: 'coding time', pickupHours: 'pickup time', reviewHours: 'review time (to approval)',
  mergeHours: 'merge time', waitingHours: 'waiting time', firstReviewToMergeHours: 'first review → merge time', reviews: 'human reviews',
  size: 'size (lines changed)', isAi: 'AI pull requests', additions: 'lines added', aiAdditions: 'AI-attributed lines added',
  tokens: 'tokens', tokensIn: 'input tokens', tokensOut: 'output tokens', tokensCacheRead: 'cache-read tokens', tokensCacheWrite: 'cache-write tokens',
  costUsd: 'cost', linesSuggested: 'lines suggested', linesAccepted: 'lines accepted', personId: 'people',
  passed: 'first-run passes', reworkCommits: 'rework commits', reworked: 'reworked pull requests', reverted: 'reverted pull requests',
  reviewerId: 'reviewer', failed: 'deployments an incident followed', leadTimeHours: 'lead time', restoreHours: 'time to restore',
};

const KIND_WORDS: Record<Drilldown['kind'], [string, string]> = {
  pull_requests: ['pull request', 'pull requests'],
  tickets: ['ticket', 'tickets'],
  commits: ['commit', 'commits'],
  ai_usage: ['usage row (person, day, tool, model)', 'usage rows (person, day, tool, model)'],
  head_commits: ['PR head commit', 'PR head commits'],
  engineers: ['activity row (person, team)', 'activity rows (person, team)'],
  reviews: ['review', 'reviews'],
  deployments: ['production deployment', 'production deployments'],
  deployed_pull_requests: ['deployed pull request', 'deployed pull requests'],
  incidents: ['incident', 'incidents'],
};

export function rowWord(kind: Drilldown['kind'], n: number): string {
  return `${formatCount(n)} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`;
}

/** How the figure is made of the rows: "p50 of cycle time over 14 pull requests". */
export function describeAggregate(d: Pick<Drilldown, 'aggregate' | 'value' | 'kind' | 'rows'>): string {
  const field = d.value ? (FIELD_WORDS[d.value] ?? d.value) : '';
  const over = rowWord(d.kind, d.rows.length);
  switch (d.aggregate) {
    case 'count': return `count of ${over}`;
    case 'sum': return `sum of ${field} over ${over}`;
    case 'p50': return `p50 (median) of ${field} over ${over}`;
    case 'p85': return `p85 of ${field} over ${over}`;
    case 'mean': return `mean of ${field} over ${over}`;
    case 'share': return `share of ${field} among ${over}`;
    case 'distinct': return `distinct ${field} among ${over}`;
    case 'perDistinct': return `${over} per distinct ${field}`;
  }
}

/** SQL percentile_cont: linear interpolation between the closest ranks. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The figure made again from the rows, as the API makes it. */
export function figureFromRows(d: Pick<Drilldown, 'aggregate' | 'value' | 'rows'>): number | null {
  const rows = d.rows as unknown as Record<string, unknown>[];
  const values = d.value === null ? [] : rows.map((r) => r[d.value!]);
  const numbers = values.filter((v): v is number => typeof v === 'number');
  switch (d.aggregate) {
    case 'count': return rows.length;
    case 'sum': return numbers.reduce((a, b) => a + b, 0);
    case 'p50': return percentile(numbers, 0.5);
    case 'p85': return percentile(numbers, 0.85);
    case 'mean': return numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null;
    case 'share': return rows.length ? values.filter((v) => v === true).length / rows.length : null;
    case 'distinct': return new Set(values.filter((v) => v !== null && v !== undefined)).size;
    case 'perDistinct': {
      const distinct = new Set(values.filter((v) => v !== null && v !== undefined)).size;
      return distinct ? rows.length / distinct : null;
    }
  }
}

/** The kind of rows behind a figure (lib/metrics/drilldown-metrics.ts kindOf, without the server code). */
export function kindOfMetric(metric: DrilldownMetricName): Drilldown['kind'] {
  if (metric.startsWith('ticket') || metric === 'trailing4TicketToMergeP50Hours') return 'tickets';
  if (metric === 'commits' || metric === 'aiCommits' || metric === 'linesAdded' || metric === 'aiLinesAdded') return 'commits';
  if (metric.startsWith('tokens') || metric === 'costUsd' || metric === 'aiLinesSuggested' || metric === 'aiLinesAccepted' || metric === 'activeAiUsers') return 'ai_usage';
  if (metric.startsWith('firstRun')) return 'head_commits';
  if (metric === 'activeEngineers') return 'engineers';
  if (metric.startsWith('reviewsPerReviewer')) return 'reviews';
  if (metric === 'deployments' || metric === 'changeFailureRate') return 'deployments';
  if (metric === 'leadTimeP50Hours') return 'deployed_pull_requests';
  if (metric === 'timeToRestoreP50Hours') return 'incidents';
  return 'pull_requests';
}
