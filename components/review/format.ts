import { formatCount, formatHours, formatShare } from '../charts/format.ts';
import type { Delta, FigureFormat } from '@/lib/review/figures.ts';

const MINUS = '\u2212';

export function formatValue(format: FigureFormat, value: number | null | undefined): string {
  if (format === 'hours') return formatHours(value);
  if (format === 'share') return formatShare(value);
  return formatCount(value);
}

/** "+3 (+25%)", "−4.2 h (−12%)", "+5 pp"; "no change"; "no comparison" without both weeks. */
export function formatChange(format: FigureFormat, delta: Delta): string {
  if (delta.direction === 'none' || delta.change === null) return 'no comparison';
  if (delta.direction === 'same') return 'no change';
  const sign = delta.change > 0 ? '+' : MINUS;
  const size = Math.abs(delta.change);
  // Points below 10 keep a decimal, so a small move does not read "+0 pp".
  if (format === 'share') return `${sign}${size * 100 < 10 ? Math.round(size * 1000) / 10 : Math.round(size * 100)} pp`;
  const amount = format === 'hours' ? formatHours(size) : formatCount(size);
  const percent = delta.relative === null ? 0 : Math.round(Math.abs(delta.relative) * 100);
  // Under half a percent says nothing more than the amount.
  const relative = percent === 0 ? '' : ` (${sign}${percent}%)`;
  return `${sign}${amount}${relative}`;
}

/** "Mar 9 – 15, 2026" or "Mar 30 – Apr 5, 2026" for a week start. */
export function weekRange(weekStart: string): string {
  const start = new Date(`${weekStart}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const month = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', timeZone: 'UTC' });
  const endPart = month(end) === month(start) ? String(end.getUTCDate()) : `${month(end)} ${end.getUTCDate()}`;
  return `${month(start)} ${start.getUTCDate()} – ${endPart}, ${end.getUTCFullYear()}`;
}

/** An instant for people, in the org's time zone: "Nov 27, 13:05". */
export function formatInstant(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
}

/** "Mar 9, 2026" for a week start. */
export function shortIso(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
