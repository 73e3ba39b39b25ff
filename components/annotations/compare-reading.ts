import type { CompareResult } from '@/lib/metrics/compare-schemas.ts';
import { formatCount, formatHours } from '../charts/format.ts';

// How the before/after panel reads GET …/metrics/compare: names, units and a plain-language verdict
// per metric. Every compared metric is better lower (times, and PR size: smaller changes are easier
// to review); the verdict follows only from whether the 95% interval excludes 0.

export type CompareMetric = CompareResult['metrics'][number];
export type MetricName = CompareMetric['metric'];

export const METRIC_TEXT: Record<MetricName, { label: string; unit: 'hours' | 'lines'; lower: string; higher: string; help: string }> = {
  ticketToMergeHours: { label: 'Ticket-to-merge time', unit: 'hours', lower: 'faster', higher: 'slower', help: 'ticket start → merge of its last PR, per ticket' },
  prCycleHours: { label: 'PR cycle time', unit: 'hours', lower: 'faster', higher: 'slower', help: 'first commit → merge, per PR' },
  timeToFirstReviewHours: { label: 'Time to first review', unit: 'hours', lower: 'faster', higher: 'slower', help: 'ready for review → first human review, per PR' },
  reviewTimeHours: { label: 'Review time', unit: 'hours', lower: 'faster', higher: 'slower', help: 'first human review → merge, per PR' },
  prSizeLines: { label: 'PR size', unit: 'lines', lower: 'smaller PRs', higher: 'larger PRs', help: 'lines added + deleted, per PR' },
};

export type Verdict = 'improved' | 'worse' | 'noise' | 'too-few';

export interface Reading {
  verdict: Verdict;
  /** "Improved: faster", "Not distinguishable from noise", … */
  text: string;
}

/** The verdict of one metric: improved or worse only when the whole 95% interval is on one side of 0. */
export function readingOf(m: CompareMetric, minSamples: number): Reading {
  const words = METRIC_TEXT[m.metric];
  if (m.difference === null || m.ci95 === null) {
    return { verdict: 'too-few', text: `Too few to compare: needs ${minSamples} on each side (${m.before.n} before, ${m.after.n} after)` };
  }
  if (m.ci95.high < 0) return { verdict: 'improved', text: `Improved: ${words.lower}` };
  if (m.ci95.low > 0) return { verdict: 'worse', text: `Worse: ${words.higher}` };
  return { verdict: 'noise', text: 'Not distinguishable from noise' };
}

/** A median or difference in the metric's unit; signed when `signed`. */
export function formatValue(metric: MetricName, value: number | null, signed = false): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const abs = signed ? Math.abs(value) : value;
  const text = METRIC_TEXT[metric].unit === 'hours' ? formatHours(abs) : `${formatCount(abs)} lines`;
  if (!signed) return text;
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${text}`;
}

/** "−5.2 h to +1.3 h"; an en dash when there is no interval. */
export function formatInterval(metric: MetricName, ci: CompareMetric['ci95']): string {
  return ci ? `${formatValue(metric, ci.low, true)} to ${formatValue(metric, ci.high, true)}` : '–';
}
