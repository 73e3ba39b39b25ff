import { DASH, PALETTE } from '@/components/charts/palette.ts';
import { formatCount, formatHours, formatShare } from '@/components/charts/format.ts';
import type { DrilldownMetricName } from '@/lib/metrics/drilldown-schemas.ts';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';

/** How a value reads: a count, hours, a 0..1 share, or a ratio with decimals (per engineer). */
export type ValueKind = 'count' | 'hours' | 'share' | 'ratio';

export interface SeriesDef {
  /** Column key in the chart rows, the data table and the CSV. */
  key: string;
  /** Legend, table and CSV header. */
  label: string;
  kind: ValueKind;
  type: 'bar' | 'line';
  axis: 'left' | 'right';
  color: string;
  dash?: string;
  stack?: string;
  value: (w: WeekMetrics) => number | null;
  /** The weekly figure whose rows a click on this series opens; none: the series is not clickable. */
  drilldown?: { metric: DrilldownMetricName; label: string };
}

export interface AxisDef {
  label: string;
  kind: ValueKind;
}

export interface ChartDef {
  id: string;
  title: string;
  /** One line: what the chart shows. */
  description: string;
  series: SeriesDef[];
  left: AxisDef;
  right?: AxisDef;
  /** What to connect when the chart has nothing to plot in the range. */
  empty: string;
}

/** A chart's plotted values, one row per ISO week. */
export type ChartRow = { weekStart: string } & Record<string, number | null | string>;

export const GEN_MODES = ['lines', 'tokens', 'ai-share'] as const;
export type GenMode = (typeof GEN_MODES)[number];
export const GEN_MODE_LABELS: Record<GenMode, string> = { lines: 'AI lines', tokens: 'Tokens', 'ai-share': 'AI PR share' };

const cycleLines: SeriesDef[] = [
  {
    key: 'ticketToMergeP50Hours', label: 'Ticket-to-merge p50 (h)', kind: 'hours', type: 'line', axis: 'right', color: PALETTE.p50, dash: DASH.p50,
    value: (w) => w.ticketToMergeP50Hours, drilldown: { metric: 'ticketToMergeP50Hours', label: 'Ticket-to-merge time, p50' },
  },
  {
    key: 'ticketToMergeP85Hours', label: 'Ticket-to-merge p85 (h)', kind: 'hours', type: 'line', axis: 'right', color: PALETTE.p85, dash: DASH.p85,
    value: (w) => w.ticketToMergeP85Hours, drilldown: { metric: 'ticketToMergeP85Hours', label: 'Ticket-to-merge time, p85' },
  },
];

const generation: Record<GenMode, { series: SeriesDef[]; left: AxisDef; what: string }> = {
  lines: {
    what: 'lines added on the default branch, AI-attributed ones stacked under the rest',
    left: { label: 'Lines added', kind: 'count' },
    series: [
      {
        key: 'aiLinesAdded', label: 'AI-attributed lines', kind: 'count', type: 'bar', axis: 'left', color: PALETTE.ai, stack: 'lines',
        value: (w) => w.aiLinesAdded, drilldown: { metric: 'aiLinesAdded', label: 'AI-attributed lines added' },
      },
      {
        key: 'otherLines', label: 'Other lines', kind: 'count', type: 'bar', axis: 'left', color: PALETTE.other, stack: 'lines',
        value: (w) => w.linesAdded - w.aiLinesAdded, drilldown: { metric: 'linesAdded', label: 'Lines added (all commits)' },
      },
    ],
  },
  tokens: {
    what: 'AI tool tokens used (input, output and cache)',
    left: { label: 'Tokens', kind: 'count' },
    series: [
      { key: 'tokens', label: 'AI tool tokens', kind: 'count', type: 'bar', axis: 'left', color: PALETTE.ai, value: (w) => w.tokens, drilldown: { metric: 'tokens', label: 'AI tool tokens' } },
    ],
  },
  'ai-share': {
    what: 'the share of merged pull requests that are AI pull requests',
    left: { label: 'AI PR share', kind: 'share' },
    series: [
      { key: 'aiPrShare', label: 'AI PR share', kind: 'share', type: 'bar', axis: 'left', color: PALETTE.ai, value: (w) => w.aiPrShare, drilldown: { metric: 'aiPrShare', label: 'AI pull request share' } },
    ],
  },
};

export function headlineChart(mode: GenMode): ChartDef {
  const g = generation[mode];
  return {
    id: 'headline',
    title: 'AI generation vs ticket-to-merge cycle time',
    description: `Bars: ${g.what}, per week. Lines: hours from ticket start to the merge of its last pull request, p50 solid and p85 dashed.`,
    series: [...g.series, ...cycleLines],
    left: g.left,
    right: { label: 'Cycle time (h)', kind: 'hours' },
    empty:
      mode === 'tokens'
        ? 'No AI tool usage in this range: send Claude Code, Copilot or Cursor usage (OpenTelemetry or the AI usage import) in Data sources.'
        : 'No merged pull requests in this range: connect a GitHub or GitLab repository in Data sources.',
  };
}

export const SECONDARY_CHARTS: ChartDef[] = [
  {
    id: 'first-run-ci',
    title: 'First-run CI pass rate',
    description: 'Share of pull request head commits whose first CI attempt passed, AI pull requests against the others.',
    left: { label: 'Pass rate', kind: 'share' },
    series: [
      {
        key: 'firstRunPassRateAi', label: 'AI pull requests', kind: 'share', type: 'line', axis: 'left', color: PALETTE.ai,
        value: (w) => w.firstRunPassRateAi, drilldown: { metric: 'firstRunPassRateAi', label: 'First-run CI pass rate, AI pull requests' },
      },
      {
        key: 'firstRunPassRateHuman', label: 'Other pull requests', kind: 'share', type: 'line', axis: 'left', color: PALETTE.human, dash: DASH.p85,
        value: (w) => w.firstRunPassRateHuman, drilldown: { metric: 'firstRunPassRateHuman', label: 'First-run CI pass rate, other pull requests' },
      },
    ],
    empty: 'No CI results in this range: GitHub Actions runs arrive with the GitHub webhook; other CI systems post to the CI ingest API (see Data sources).',
  },
  {
    id: 'review-time',
    title: 'Review time per change',
    description: 'Median hours from ready to first human review, and from first review to merge, AI pull requests against the others.',
    left: { label: 'Hours (p50)', kind: 'hours' },
    series: [
      {
        key: 'timeToFirstReviewP50HoursAi', label: 'Ready → first review, AI (h)', kind: 'hours', type: 'line', axis: 'left', color: PALETTE.ai, dash: DASH.p85,
        value: (w) => w.timeToFirstReviewP50HoursAi, drilldown: { metric: 'timeToFirstReviewP50HoursAi', label: 'Time to first review, AI pull requests' },
      },
      {
        key: 'timeToFirstReviewP50HoursHuman', label: 'Ready → first review, other (h)', kind: 'hours', type: 'line', axis: 'left', color: PALETTE.human, dash: DASH.p85,
        value: (w) => w.timeToFirstReviewP50HoursHuman, drilldown: { metric: 'timeToFirstReviewP50HoursHuman', label: 'Time to first review, other pull requests' },
      },
      {
        key: 'reviewTimeP50HoursAi', label: 'First review → merge, AI (h)', kind: 'hours', type: 'line', axis: 'left', color: PALETTE.ai,
        value: (w) => w.reviewTimeP50HoursAi, drilldown: { metric: 'reviewTimeP50HoursAi', label: 'Review time, AI pull requests' },
      },
      {
        key: 'reviewTimeP50HoursHuman', label: 'First review → merge, other (h)', kind: 'hours', type: 'line', axis: 'left', color: PALETTE.human,
        value: (w) => w.reviewTimeP50HoursHuman, drilldown: { metric: 'reviewTimeP50HoursHuman', label: 'Review time, other pull requests' },
      },
    ],
    empty: 'No reviewed pull requests in this range: reviews arrive with the GitHub or GitLab webhook (see Data sources).',
  },
  {
    id: 'cycle-phases',
    title: 'Where ticket-to-merge time goes',
    description: 'Median hours of each phase for the tickets merged that week, stacked: waiting, coding, pickup, review, merge.',
    left: { label: 'Hours (p50)', kind: 'hours' },
    series: (
      [
        ['Waiting', 'waiting', 'ticketCycleWaitingP50Hours', 'Ticket start → first commit'],
        ['Coding', 'coding', 'ticketCycleCodingP50Hours', 'First commit → PR opened'],
        ['Pickup', 'pickup', 'ticketCyclePickupP50Hours', 'PR ready → first review'],
        ['Review', 'review', 'ticketCycleReviewP50Hours', 'First review → approval'],
        ['Merge', 'merge', 'ticketCycleMergeP50Hours', 'Approval → merge'],
      ] as const
    ).map(([label, phase, key, what]) => ({
      key, label: `${label} (h)`, kind: 'hours' as const, type: 'bar' as const, axis: 'left' as const, color: PALETTE.phases[phase], stack: 'phases',
      value: (w: WeekMetrics) => w[key], drilldown: { metric: key, label: `${label} phase (${what}), p50` },
    })),
    empty: 'No tickets reached merge in this range: connect Jira or Linear in Data sources and mention ticket keys in pull requests.',
  },
  {
    id: 'throughput',
    title: 'Throughput per engineer',
    description: 'Pull requests merged and tickets done per active engineer (anyone who committed, opened, merged or reviewed that week).',
    left: { label: 'Per engineer', kind: 'ratio' },
    series: [
      {
        key: 'prsMergedPerEngineer', label: 'PRs merged per engineer', kind: 'ratio', type: 'line', axis: 'left', color: PALETTE.good,
        value: (w) => w.prsMergedPerEngineer, drilldown: { metric: 'prsMerged', label: 'PRs merged (the numerator of PRs per engineer)' },
      },
      {
        key: 'ticketsDonePerEngineer', label: 'Tickets done per engineer', kind: 'ratio', type: 'line', axis: 'left', color: PALETTE.mean, dash: DASH.p85,
        value: (w) => w.ticketsDonePerEngineer, drilldown: { metric: 'ticketsDone', label: 'Tickets done (the numerator of tickets per engineer)' },
      },
    ],
    empty: 'No active engineers in this range: connect a GitHub or GitLab repository in Data sources.',
  },
];

export function chartRows(def: ChartDef, weeks: WeekMetrics[]): ChartRow[] {
  return weeks.map((w) => {
    const row: ChartRow = { weekStart: w.weekStart };
    for (const s of def.series) row[s.key] = s.value(w);
    return row;
  });
}

/** True when no series has a non-zero value in any week. */
export function isEmptyChart(def: ChartDef, rows: ChartRow[]): boolean {
  return rows.every((r) => def.series.every((s) => r[s.key] === null || r[s.key] === 0));
}

/** The value as the data table shows it: counts whole, hours and ratios with one or two decimals, shares in percent. */
export function formatCell(kind: ValueKind, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (kind === 'share') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'hours') return v.toFixed(1);
  if (kind === 'ratio') return v.toFixed(2);
  return formatCount(v);
}

/** The value as a tooltip says it. */
export function formatTooltip(kind: ValueKind, v: number | null): string {
  if (kind === 'hours') return formatHours(v);
  if (kind === 'share') return formatShare(v);
  if (kind === 'ratio') return formatCount(v, 2);
  return formatCount(v);
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Axis ticks: short. */
export function formatTick(kind: ValueKind, v: number): string {
  if (kind === 'share') return `${Math.round(v * 100)}%`;
  if (kind === 'hours') return `${compact.format(v)} h`;
  if (kind === 'ratio') return String(Math.round(v * 100) / 100);
  return compact.format(v);
}
