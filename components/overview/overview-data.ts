import type { WeekMetrics, WeeklyMetrics } from '@/lib/metrics/schemas.ts';
import { addWeeks, formatIsoDate, localDate, mondayOf } from '@/lib/metrics/weeks.ts';
import { formatCount, formatHours, formatShare } from '../charts/format.ts';

// What the org overview shows, derived from the weekly API's answers only (no figure of its own):
// the last full week's key numbers, their change from the week before, 12-week trends, and the
// distortion flags grouped by team. Pure, so the page and its tests compute the same thing.

export const OVERVIEW_WEEKS = 12;

export type DistortionFlag = WeeklyMetrics['flags'][number];

/** The range of the overview: the `weeks` whole weeks ending with the last full week (the current one left out). */
export function lastFullWeeksRange(now: Date, timeZone: string, weeks = OVERVIEW_WEEKS): { from: string; to: string } {
  const lastSunday = new Date(mondayOf(localDate(now, timeZone)).getTime() - 86_400_000);
  const firstMonday = addWeeks(mondayOf(lastSunday), -(weeks - 1));
  return { from: formatIsoDate(firstMonday), to: formatIsoDate(lastSunday) };
}

/** Which way is better: times down, rates and throughput up; generation is neither. */
export type Direction = 'up' | 'down' | 'neutral';

export interface KeyMetric {
  key: 'aiLinesAdded' | 'prsMergedPerEngineer' | 'ticketToMergeP50Hours' | 'firstRunPassRate' | 'reviewTimeP50Hours';
  label: string;
  short: string;
  better: Direction;
  /** Rates change in percentage points; everything else relatively. */
  change: 'relative' | 'points';
  format: (value: number | null) => string;
}

export const KEY_METRICS: readonly KeyMetric[] = [
  { key: 'aiLinesAdded', label: 'AI lines added', short: 'Generation', better: 'neutral', change: 'relative', format: (v) => formatCount(v) },
  { key: 'prsMergedPerEngineer', label: 'PRs merged per engineer', short: 'Throughput', better: 'up', change: 'relative', format: (v) => formatCount(v, 1) },
  { key: 'ticketToMergeP50Hours', label: 'Ticket-to-merge p50', short: 'Cycle time', better: 'down', change: 'relative', format: formatHours },
  { key: 'firstRunPassRate', label: 'First-run pass rate', short: 'CI', better: 'up', change: 'points', format: formatShare },
  { key: 'reviewTimeP50Hours', label: 'Review time p50', short: 'Review', better: 'down', change: 'relative', format: formatHours },
];

export function valueOf(week: WeekMetrics | undefined, key: KeyMetric['key']): number | null {
  return week ? week[key] : null;
}

export interface Delta {
  /** Sign of the change; null when either week has no figure (or the week before is 0, for relative changes). */
  direction: 'up' | 'down' | 'flat' | null;
  /** "+12%", "−3 pts", "0%"; an en dash when unknown. */
  text: string;
  /** "better", "worse" or "" (generation, no change, unknown). */
  verdict: 'better' | 'worse' | '';
  /** For screen readers: "up 12% from the week before, better". */
  description: string;
}

const signed = (n: number, unit: string) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n)}${unit}`;

/** Week-over-week change of a key metric, from the previous week to the last. */
export function weekOverWeek(metric: KeyMetric, previous: number | null, last: number | null): Delta {
  const unknown: Delta = { direction: null, text: '–', verdict: '', description: 'no change to show: a week without this figure' };
  if (previous === null || last === null) return unknown;
  let rounded: number;
  let text: string;
  if (metric.change === 'points') {
    rounded = Math.round((last - previous) * 100);
    text = signed(rounded, ' pts');
  } else {
    if (previous === 0) return last === 0 ? { direction: 'flat', text: '0%', verdict: '', description: 'unchanged from the week before' } : { ...unknown, description: 'no change to show: the week before was 0' };
    rounded = Math.round(((last - previous) / previous) * 100);
    text = signed(rounded, '%');
  }
  const direction = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const verdict = direction === 'flat' || metric.better === 'neutral' ? '' : direction === metric.better ? 'better' : 'worse';
  const words = direction === 'flat' ? 'unchanged from the week before' : `${direction} ${text.replace(/^[+−]/, '')} from the week before`;
  return { direction, text, verdict, description: verdict ? `${words}, ${verdict}` : words };
}

/** Whether a scope had anything at all in the range: commits, PRs, tickets, active people or AI usage. */
export function hasAnyData(metrics: WeeklyMetrics): boolean {
  return metrics.weeks.some((w) => w.commits > 0 || w.prsMerged > 0 || w.ticketsDone > 0 || w.ticketsMerged > 0 || w.activeEngineers > 0 || w.tokens > 0 || w.linesAdded > 0);
}

export interface FlagGroup {
  /** Team slug; null for the whole org. */
  team: string | null;
  /** The latest flagged week of the range and its figures. */
  latest: DistortionFlag;
  /** Every flagged week of the scope in the range, oldest first. */
  weeks: string[];
  /** Whether the last week of the range is flagged (the warning stands). */
  active: boolean;
}

/** The weekly answer's flags by scope (the org first, then teams in `order`), each with its latest week. */
export function groupFlags(flags: DistortionFlag[], lastWeek: string, order: string[]): FlagGroup[] {
  const byScope = new Map<string | null, DistortionFlag[]>();
  for (const f of flags) byScope.set(f.team, [...(byScope.get(f.team) ?? []), f]);
  const rank = (team: string | null) => (team === null ? -1 : order.indexOf(team) === -1 ? order.length : order.indexOf(team));
  return [...byScope.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map(([team, list]) => {
      const sorted = [...list].sort((a, b) => a.weekStart.localeCompare(b.weekStart));
      const latest = sorted.at(-1)!;
      return { team, latest, weeks: sorted.map((f) => f.weekStart), active: latest.weekStart === lastWeek };
    });
}

/** "2.4×" for a growth factor; an en dash when unknown. */
export function formatGrowth(growth: number | null | undefined): string {
  if (growth === null || growth === undefined || !Number.isFinite(growth)) return '–';
  return `${growth >= 10 ? Math.round(growth) : Math.round(growth * 100) / 100}×`;
}
