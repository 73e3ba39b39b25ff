// ISO weeks (Monday start) as calendar dates 'YYYY-MM-DD'. A week belongs to the org's time zone:
// an instant is placed by its local calendar date there; the weeks themselves are plain dates.

const DAY_MS = 86_400_000;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses 'YYYY-MM-DD' as a calendar date (UTC midnight); null when not a real date. */
export function parseIsoDate(value: string): Date | null {
  if (!ISO_DATE.test(value)) return null;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : d;
}

export function formatIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Monday of the ISO week containing calendar date `d` (UTC midnight in, UTC midnight out). */
export function mondayOf(d: Date): Date {
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(d.getTime() - dow * DAY_MS);
}

/** The calendar date of `instant` in `timeZone`, as UTC midnight. */
export function localDate(instant: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return new Date(`${parts}T00:00:00Z`);
}

/** Week start ('YYYY-MM-DD') of the week holding `instant` in `timeZone`. */
export function weekStartOf(instant: Date, timeZone: string): string {
  return formatIsoDate(mondayOf(localDate(instant, timeZone)));
}

/** Every week start from the week of `from` to the week of `to`, inclusive. */
export function weekStartsBetween(from: Date, to: Date): string[] {
  const weeks: string[] = [];
  for (let t = mondayOf(from).getTime(); t <= mondayOf(to).getTime(); t += 7 * DAY_MS) weeks.push(formatIsoDate(new Date(t)));
  return weeks;
}

export function addWeeks(d: Date, weeks: number): Date {
  return new Date(d.getTime() + weeks * 7 * DAY_MS);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
