import type { WeekFigures } from './compute-weeks.ts';
import { readWeekFigures } from './rollups.ts';
import { addWeeks, formatIsoDate, localDate, mondayOf, parseIsoDate, weekStartsBetween } from './weeks.ts';

// Leverage (docs/metrics.md#leverage): did delivery grow as fast as AI generation? Everything
// here is a sum of weekly figures (rollups), so it is exact without touching rows.

type Org = Parameters<typeof readWeekFigures>[0];
type Summed = 'aiLinesAdded' | 'tokens' | 'ticketsDone' | 'prsMerged' | 'activeEngineers';

export interface LeveragePeriod {
  /** Monday of the first week and Sunday of the last, YYYY-MM-DD. */
  from: string;
  to: string;
  aiLinesAdded: number;
  tokens: number;
  ticketsDone: number;
  prsMerged: number;
  /** Σ weekly activeEngineers: engineer-weeks. */
  engineerWeeks: number;
  ticketsDonePerEngineerWeek: number | null;
  prsMergedPerEngineerWeek: number | null;
  /** tokens / ticketsDone; null with no ticket done. */
  tokensPerTicket: number | null;
}

export interface Leverage {
  before: LeveragePeriod;
  after: LeveragePeriod;
  /** ticketsDone when either period has a ticket done, else prsMerged. */
  throughputBasis: 'ticketsDone' | 'prsMerged';
  /** after.aiLinesAdded / before.aiLinesAdded. */
  generationGrowth: number | null;
  /** after.tokens / before.tokens. */
  tokenGrowth: number | null;
  /** after / before of the basis per engineer-week. */
  throughputGrowth: number | null;
  /** throughputGrowth / generationGrowth: 1 = delivery kept pace; below 1, generation outran it. */
  leverage: number | null;
  /** throughputGrowth / tokenGrowth. */
  tokenLeverage: number | null;
}

const DAY_MS = 86_400_000;
const ratio = (n: number | null, d: number | null): number | null => (n === null || d === null || d === 0 ? null : n / d);

/** Σ of a figure over the weeks (a week absent from `figures` had nothing). */
export function sumWeeks(figures: Map<string, WeekFigures>, weeks: string[], key: Summed): number {
  return weeks.reduce((s, w) => s + (figures.get(w)?.[key] ?? 0), 0);
}

function period(figures: Map<string, WeekFigures>, weeks: string[]): LeveragePeriod {
  const sum = (key: Summed) => sumWeeks(figures, weeks, key);
  const engineerWeeks = sum('activeEngineers');
  return {
    from: weeks[0]!,
    to: formatIsoDate(new Date(parseIsoDate(weeks.at(-1)!)!.getTime() + 6 * DAY_MS)),
    aiLinesAdded: sum('aiLinesAdded'),
    tokens: sum('tokens'),
    ticketsDone: sum('ticketsDone'),
    prsMerged: sum('prsMerged'),
    engineerWeeks,
    ticketsDonePerEngineerWeek: ratio(sum('ticketsDone'), engineerWeeks),
    prsMergedPerEngineerWeek: ratio(sum('prsMerged'), engineerWeeks),
    tokensPerTicket: ratio(sum('tokens'), sum('ticketsDone')),
  };
}

/** Leverage of `after` over `before`, from the weeks' figures. */
export function leverageOf(figures: Map<string, WeekFigures>, beforeWeeks: string[], afterWeeks: string[]): Leverage {
  const before = period(figures, beforeWeeks);
  const after = period(figures, afterWeeks);
  const throughputBasis = before.ticketsDone + after.ticketsDone > 0 ? 'ticketsDone' : 'prsMerged';
  const perEngineer = (p: LeveragePeriod) => (throughputBasis === 'ticketsDone' ? p.ticketsDonePerEngineerWeek : p.prsMergedPerEngineerWeek);
  const generationGrowth = ratio(after.aiLinesAdded, before.aiLinesAdded);
  const tokenGrowth = ratio(after.tokens, before.tokens);
  const throughputGrowth = ratio(perEngineer(after), perEngineer(before));
  return {
    before, after, throughputBasis, generationGrowth, tokenGrowth, throughputGrowth,
    leverage: ratio(throughputGrowth, generationGrowth),
    tokenLeverage: ratio(throughputGrowth, tokenGrowth),
  };
}

/** The 4 weeks ending with `lastWeek` (after) and the 4 before them. */
export function trailingPeriods(lastWeek: string, weeks = 4): { before: string[]; after: string[] } {
  const last = parseIsoDate(lastWeek)!;
  const all = weekStartsBetween(addWeeks(last, -(2 * weeks - 1)), last);
  return { before: all.slice(0, weeks), after: all.slice(weeks) };
}

/** The last 4 complete weeks before `now`'s week in the org's zone, and the 4 before them. */
export function defaultPeriods(now: Date, timeZone: string): { before: string[]; after: string[] } {
  return trailingPeriods(formatIsoDate(addWeeks(mondayOf(localDate(now, timeZone)), -1)));
}

/**
 * Leverage of a scope (a team id, or ORG_SCOPE) between two periods given as date pairs (each
 * covering the weeks of its dates, as ranges do), by default the last 4 complete weeks vs the 4
 * before them.
 */
export async function computeLeverage({ org, scope, before, after, now = new Date() }: {
  org: Org;
  scope: string;
  before?: { from: Date; to: Date };
  after?: { from: Date; to: Date };
  now?: Date;
}): Promise<Leverage> {
  const periods = before && after ? { before: weekStartsBetween(before.from, before.to), after: weekStartsBetween(after.from, after.to) } : defaultPeriods(now, org.timeZone);
  const figures = await readWeekFigures(org, scope, [...new Set([...periods.before, ...periods.after])].sort());
  return leverageOf(figures, periods.before, periods.after);
}
