import { addWeeks, formatIsoDate, localDate, parseIsoDate, weekStartsBetween } from '@/lib/metrics/weeks.ts';

/** The preset ranges of the team page, in weeks; the default is 26. */
export const RANGE_WEEKS = [4, 12, 26, 52] as const;
export type RangeWeeks = (typeof RANGE_WEEKS)[number];
export const DEFAULT_WEEKS: RangeWeeks = 26;
/** The weekly API answers at most this many weeks (lib/metrics/schemas.ts MAX_WEEKS). */
export const MAX_RANGE_WEEKS = 104;

export interface ResolvedRange {
  /** First and last day asked of the API (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Monday of every ISO week in the range, oldest first. */
  weekStarts: string[];
  /** Monday of the first week. */
  firstWeek: string;
  /** Last day of the last week (its Sunday), for queries by date such as annotations. */
  lastDay: string;
  custom: boolean;
  /** The weeks covered, e.g. "Mar 2, 2026 – Jun 28, 2026" (Monday of the first week to Sunday of the last). */
  description: string;
  /** Why a custom range in the URL was not used, if it was not. */
  problem: string | null;
}

const sundayOf = (weekStarts: string[]) => formatIsoDate(new Date(parseIsoDate(weekStarts.at(-1)!)!.getTime() + 6 * 86_400_000));

function longDate(value: string): string {
  return new Date(`${value}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

const span = (weekStarts: string[]) => `${longDate(weekStarts[0]!)} – ${longDate(sundayOf(weekStarts))}`;

/**
 * The range the page shows: a custom from/to when both are valid dates in order and at most
 * MAX_RANGE_WEEKS weeks apart, else the last `weeks` weeks ending with `today` (the org's date).
 */
export function resolveRange({ weeks, from, to }: { weeks: number; from: string | null; to: string | null }, today: Date): ResolvedRange {
  let problem: string | null = null;
  if (from || to) {
    const f = from ? parseIsoDate(from) : null;
    const t = to ? parseIsoDate(to) : null;
    if (!f || !t) problem = 'A custom range needs both a start and an end date.';
    else if (f > t) problem = 'The start date is after the end date.';
    else {
      const weekStarts = weekStartsBetween(f, t);
      if (weekStarts.length > MAX_RANGE_WEEKS) problem = `A range holds at most ${MAX_RANGE_WEEKS} weeks; this one has ${weekStarts.length}.`;
      else {
        return { from: from!, to: to!, weekStarts, firstWeek: weekStarts[0]!, lastDay: sundayOf(weekStarts), custom: true, description: span(weekStarts), problem: null };
      }
    }
  }
  const n = (RANGE_WEEKS as readonly number[]).includes(weeks) ? weeks : DEFAULT_WEEKS;
  const end = today;
  const start = addWeeks(end, -(n - 1));
  const weekStarts = weekStartsBetween(start, end);
  return { from: formatIsoDate(start), to: formatIsoDate(end), weekStarts, firstWeek: weekStarts[0]!, lastDay: sundayOf(weekStarts), custom: false, description: span(weekStarts), problem };
}

/** Today's calendar date in the org's time zone (UTC midnight). */
export function orgToday(timeZone: string): Date {
  return localDate(new Date(), timeZone);
}
