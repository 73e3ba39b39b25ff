// Calendar arithmetic in working hours (Mon–Fri, 09:00–18:00 UTC), so demo activity has a
// weekly rhythm: waits stretch over nights and weekends instead of ticking around the clock.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
const DAY_START = 9 * HOUR;
const DAY_END = 18 * HOUR;

function dayOf(t: number): number {
  return t - (((t % DAY) + DAY) % DAY);
}

function isWeekend(t: number): boolean {
  const dow = new Date(t).getUTCDay();
  return dow === 0 || dow === 6;
}

/** The first working moment at or after t. */
function forwardToWork(t: number): number {
  for (;;) {
    const day = dayOf(t);
    if (isWeekend(day) || t >= day + DAY_END) t = day + DAY + DAY_START;
    else if (t < day + DAY_START) t = day + DAY_START;
    else return t;
  }
}

/** The last working moment at or before t. */
function backToWork(t: number): number {
  for (;;) {
    const day = dayOf(t);
    if (isWeekend(day) || t <= day + DAY_START) t = day - DAY + DAY_END;
    else if (t > day + DAY_END) t = day + DAY_END;
    else return t;
  }
}

/** Moves `hours` working hours from t (backwards when negative); times are epoch milliseconds. */
export function addWorkHours(t: number, hours: number): number {
  let left = Math.abs(hours) * HOUR;
  if (hours >= 0) {
    t = forwardToWork(t);
    for (;;) {
      const end = dayOf(t) + DAY_END;
      if (t + left <= end) return t + left;
      left -= end - t;
      t = forwardToWork(end);
    }
  }
  t = backToWork(t);
  for (;;) {
    const start = dayOf(t) + DAY_START;
    if (t - left >= start) return t - left;
    left -= t - start;
    t = backToWork(start);
  }
}

/** Monday 00:00 UTC of the week containing `date`. */
export function mondayOf(date: Date): Date {
  const day = dayOf(date.getTime());
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY);
}

/** Whole seconds, as the providers report them. */
export function toDate(t: number): Date {
  return new Date(Math.round(t / 1000) * 1000);
}
