// The figures a weekly review compares week over week, in the order the meeting reads them, and
// which way is better for each (lead-time figures get better going down). Client-safe: no server
// imports, so the review page and the snapshot comparison share one list.

export type FigureFormat = 'count' | 'hours' | 'share';
/** 'up': a rise is good; 'down': a fall is good; null: neither (volume of AI generation). */
export type Better = 'up' | 'down' | null;

export interface ReviewFigure {
  key: ReviewFigureKey;
  label: string;
  format: FigureFormat;
  better: Better;
  /** One line for the page: what the figure counts. */
  hint: string;
}

export const REVIEW_FIGURE_KEYS = [
  'prsMerged', 'ticketsDone', 'aiLinesAdded', 'aiPrShare',
  'ticketToMergeP50Hours', 'ticketToMergeP85Hours', 'prCycleP50Hours', 'reviewTimeP50Hours',
  'firstRunPassRateAi', 'firstRunPassRateHuman', 'reworkPrShare', 'revertedPrs',
] as const;
export type ReviewFigureKey = (typeof REVIEW_FIGURE_KEYS)[number];

export const REVIEW_FIGURES: readonly ReviewFigure[] = [
  { key: 'prsMerged', label: 'PRs merged', format: 'count', better: 'up', hint: 'Pull requests merged, bots excluded' },
  { key: 'ticketsDone', label: 'Tickets done', format: 'count', better: 'up', hint: 'Moved to done with a merged linked PR' },
  { key: 'aiLinesAdded', label: 'AI lines', format: 'count', better: null, hint: 'AI-attributed lines added on the default branch' },
  { key: 'aiPrShare', label: 'AI PR share', format: 'share', better: null, hint: 'Share of merged PRs that are AI pull requests' },
  { key: 'ticketToMergeP50Hours', label: 'Ticket-to-merge p50', format: 'hours', better: 'down', hint: 'Median ticket start → merge of its last PR' },
  { key: 'ticketToMergeP85Hours', label: 'Ticket-to-merge p85', format: 'hours', better: 'down', hint: '85th percentile of the same tickets' },
  { key: 'prCycleP50Hours', label: 'PR cycle p50', format: 'hours', better: 'down', hint: 'Median first commit → merge' },
  { key: 'reviewTimeP50Hours', label: 'Review time p50', format: 'hours', better: 'down', hint: 'Median first human review → merge' },
  { key: 'firstRunPassRateAi', label: 'First-run pass, AI PRs', format: 'share', better: 'up', hint: 'Head commits whose first CI run passed' },
  { key: 'firstRunPassRateHuman', label: 'First-run pass, human PRs', format: 'share', better: 'up', hint: 'Head commits whose first CI run passed' },
  { key: 'reworkPrShare', label: 'Rework share', format: 'share', better: 'down', hint: 'Reviewed PRs with commits after the first review' },
  { key: 'revertedPrs', label: 'Reverts', format: 'count', better: 'down', hint: 'PRs merged this week and reverted within 14 days' },
];

export type Direction = 'up' | 'down' | 'same' | 'none';
export type Verdict = 'better' | 'worse' | 'neutral';

export interface Delta {
  direction: Direction;
  verdict: Verdict;
  /** current − previous, in the figure's unit (shares 0..1); null without both values. */
  change: number | null;
  /** change / previous; null without both values or when previous is 0. */
  relative: number | null;
}

/** How a figure moved from the previous week to this one, and whether that is good. */
export function deltaOf(figure: Pick<ReviewFigure, 'better'>, current: number | null, previous: number | null): Delta {
  if (current === null || previous === null) return { direction: 'none', verdict: 'neutral', change: null, relative: null };
  const change = current - previous;
  const relative = previous === 0 ? null : change / Math.abs(previous);
  // Float noise (0.1 + 0.2) is no movement.
  const direction: Direction = Math.abs(change) < 1e-9 ? 'same' : change > 0 ? 'up' : 'down';
  const verdict: Verdict = direction === 'same' || figure.better === null ? 'neutral' : direction === figure.better ? 'better' : 'worse';
  return { direction, verdict, change: direction === 'same' ? 0 : change, relative };
}
