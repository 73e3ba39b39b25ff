import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import type { FamilyInput, MetricFamily, ScopedFigures } from './family.ts';
import { prCycleTime } from './pr-cycle-time.ts';
import {
  hours, isBot, mean, median, percentile, phases, plantReviewData, T, teamAt, valuesIn, weekOf, type PrSpec, type TicketSpec,
} from './pr-cycle-time.planted.ts';
import { ticketToMerge } from './ticket-to-merge.ts';

// PR cycle time and ticket-to-merge (with their phases) on a planted dataset; expected figures come
// from the reference implementation in pr-cycle-time.planted.ts over the same specs, and a few are
// worked out by hand in the comments. Weeks: W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];
const [W1, W2, W3] = WEEKS as [string, string, string];

// Phases in comments: coding / pickup / review / merge, hours.
const PRS: Record<string, PrSpec> = {
  // cycle 09:00 → next day 12:00 = 27; 3 / 2 / 20 / 2
  A: { author: 'ann', firstCommitAt: '2026-03-02T09:00:00Z', createdAt: '2026-03-02T12:00:00Z', mergedAt: '2026-03-03T12:00:00Z',
    reviews: [{ by: 'rita', at: '2026-03-02T14:00:00Z', state: 'commented' }, { by: 'rita', at: '2026-03-03T10:00:00Z', state: 'approved' }] },
  // a draft made ready two days later: pickup counts from ready; cycle 94; 22 / 12 / 0 / 12
  B: { author: 'bob', firstCommitAt: '2026-03-01T10:00:00Z', createdAt: '2026-03-02T08:00:00Z', readyAt: '2026-03-04T08:00:00Z', mergedAt: '2026-03-05T08:00:00Z',
    reviews: [{ by: 'ray', at: '2026-03-04T20:00:00Z', state: 'approved' }] },
  // merged without review: cycle 5; 1 / – / – / –
  C: { author: 'ann', firstCommitAt: '2026-03-03T10:00:00Z', createdAt: '2026-03-03T11:00:00Z', mergedAt: '2026-03-03T15:00:00Z' },
  // no commit known: cycle from opening, 10; – / 6 / 0 / 4
  D: { author: 'ann', createdAt: '2026-03-04T00:00:00Z', mergedAt: '2026-03-04T10:00:00Z', reviews: [{ by: 'rita', at: '2026-03-04T06:00:00Z', state: 'approved' }] },
  // first commit after opening (pushed later): cycle from opening, 6; coding negative, left out; – / 3 / 0 / 3
  E: { author: 'ann', createdAt: '2026-03-05T00:00:00Z', firstCommitAt: '2026-03-05T02:00:00Z', mergedAt: '2026-03-05T06:00:00Z',
    reviews: [{ by: 'rita', at: '2026-03-05T03:00:00Z', state: 'approved' }] },
  // reviewed while still a draft: pickup negative, left out; cycle 120; 24 / – / 36 / 36
  F: { author: 'bob', firstCommitAt: '2026-03-01T00:00:00Z', createdAt: '2026-03-02T00:00:00Z', readyAt: '2026-03-04T00:00:00Z', mergedAt: '2026-03-06T00:00:00Z',
    reviews: [{ by: 'rita', at: '2026-03-03T00:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-04T12:00:00Z', state: 'approved' }] },
  // bot-authored: excluded
  G: { author: 'bot', firstCommitAt: '2026-03-03T00:00:00Z', createdAt: '2026-03-03T00:00:00Z', mergedAt: '2026-03-03T01:00:00Z' },
  // only a review app, the author and a review after the merge: no human review before merge; cycle 5; 1 / – / – / –
  H: { author: 'ann', firstCommitAt: '2026-03-06T00:00:00Z', createdAt: '2026-03-06T01:00:00Z', mergedAt: '2026-03-06T05:00:00Z',
    reviews: [
      { by: 'reviewBot', at: '2026-03-06T02:00:00Z', state: 'commented' }, { by: 'ann', at: '2026-03-06T03:00:00Z', state: 'commented' },
      { by: 'rita', at: '2026-03-07T12:00:00Z', state: 'approved' },
    ] },
  // W2: cycle 26; 1 / 1 / 23 / 1
  I: { author: 'bob', firstCommitAt: '2026-03-09T09:00:00Z', createdAt: '2026-03-09T10:00:00Z', mergedAt: '2026-03-10T11:00:00Z',
    reviews: [{ by: 'ray', at: '2026-03-09T11:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-10T10:00:00Z', state: 'approved' }] },
  // still open
  J: { author: 'ann', firstCommitAt: '2026-03-04T00:00:00Z', createdAt: '2026-03-04T01:00:00Z' },
  // inferred from git history (its "opening" is its merge commit's): cycle 49, coding unknown
  K: { author: 'ann', inferred: true, firstCommitAt: '2026-03-08T12:00:00Z', createdAt: '2026-03-10T12:00:00Z', readyAt: '2026-03-10T12:00:00Z', mergedAt: '2026-03-10T13:00:00Z' },
  // merged Sunday 20:00 UTC = Monday 05:00 in Tokyo: W1 in UTC, W2 in Tokyo; cycle 10; 2 / – / – / –
  L: { author: 'ann', firstCommitAt: '2026-03-08T10:00:00Z', createdAt: '2026-03-08T12:00:00Z', mergedAt: '2026-03-08T20:00:00Z' },
};

const TICKETS: TicketSpec[] = [
  // T1: to A, 06:00 → next day 12:00 = 30 h; waiting 06:00 → 09:00 = 3
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-02T06:00:00Z', prs: ['A'] },
  // T2: two PRs, the last merge (B, beta) counts: 03-01 00:00 → 03-05 08:00 = 104; waiting to B's first commit 10
  { createdAt: '2026-02-28T00:00:00Z', startedAt: '2026-03-01T00:00:00Z', prs: ['C', 'B'] },
  // T3: reopened after D merged, finished by I in W2: counts once, in W2, 03-02 → 03-10 11:00 = 203
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-02T00:00:00Z', status: 'in_progress', prs: ['D', 'I'] },
  // T4: started after E's first commit: waiting negative, left out; total 3
  { createdAt: '2026-03-04T00:00:00Z', startedAt: '2026-03-05T03:00:00Z', prs: ['E'] },
  // T5: bot PR: excluded
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-02T00:00:00Z', prs: ['G'] },
  // T6: a linked PR still open: excluded
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-02T00:00:00Z', prs: ['A', 'J'] },
  // T7: to F (beta), 03-01 12:00 → 03-06 = 108; started after F's first commit: waiting left out
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-01T12:00:00Z', prs: ['F'] },
  // T8: never started, from creation: 03-05 → H 03-06 05:00 = 29; waiting 24
  { createdAt: '2026-03-05T00:00:00Z', prs: ['H'] },
];

type Scope = 'alpha' | 'beta' | null;
const SCOPES: Scope[] = [null, 'alpha', 'beta'];

/** A family's figures as { scope → week → figures }, scopes named 'org', 'alpha', 'beta'. */
async function computeByScope<F extends object>(family: MetricFamily<F>, planted: Awaited<ReturnType<typeof plantReviewData>>, timeZone = 'UTC') {
  const input: FamilyInput = { db: db(), orgId: planted.org.id, timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: WEEKS };
  const rows: ScopedFigures<F>[] = await family.compute(input);
  const name = (teamId: string | null) => (teamId === null ? 'org' : teamId === planted.teams.alpha ? 'alpha' : 'beta');
  const out: Record<string, Record<string, F>> = { org: {}, alpha: {}, beta: {} };
  for (const r of rows) out[name(r.teamId)]![r.week] = r.figures;
  return (scope: Scope, week: string): F => out[scope ?? 'org']![week] ?? family.empty;
}

/** Compares figures: nulls exactly, numbers to 9 decimals (SQL numeric vs JS doubles). */
function expectFigures(actual: object, expected: Record<string, number | null>) {
  for (const [k, v] of Object.entries(expected)) {
    const a = (actual as Record<string, unknown>)[k];
    if (v === null) expect(a, k).toBeNull();
    else expect(a, k).toBeCloseTo(v, 9);
  }
}

/** Reference: PR cycle rows of merged, non-bot PRs. */
function prCycleRows(offsetHours: number) {
  return Object.values(PRS)
    .filter((p) => p.mergedAt && !isBot(p.author))
    .map((p) => {
      const start = p.firstCommitAt && T(p.firstCommitAt) < T(p.createdAt) ? p.firstCommitAt : p.createdAt;
      return { week: weekOf(p.mergedAt!, offsetHours), team: teamAt(p.author, p.mergedAt!), cycle: hours(start, p.mergedAt), ...phases(p) };
    });
}

function expectedPrCycle(offsetHours: number, scope: Scope, week: string) {
  const rows = prCycleRows(offsetHours);
  const v = (f: (r: (typeof rows)[number]) => number | null) => valuesIn(rows, scope, week, f);
  return {
    prCycleP50Hours: median(v((r) => r.cycle)),
    prCycleP85Hours: percentile(v((r) => r.cycle), 0.85),
    prCycleMeanHours: mean(v((r) => r.cycle)),
    prCycleCodingP50Hours: median(v((r) => r.coding)),
    prCyclePickupP50Hours: median(v((r) => r.pickup)),
    prCycleReviewP50Hours: median(v((r) => r.review)),
    prCycleMergeP50Hours: median(v((r) => r.merge)),
  };
}

/** Reference: counted tickets, each with its last merged PR. */
function ticketRows() {
  return TICKETS.flatMap((t) => {
    const linked = t.prs.map((name) => PRS[name]!);
    const merged = linked.filter((p) => p.mergedAt).sort((a, b) => T(b.mergedAt!).getTime() - T(a.mergedAt!).getTime());
    const last = merged[0];
    const start = t.startedAt ?? t.createdAt;
    if (!last || linked.some((p) => !p.mergedAt) || isBot(last.author)) return [];
    const total = hours(start, last.mergedAt);
    if (total === null) return [];
    return [{ week: weekOf(last.mergedAt!, 0), team: teamAt(last.author, last.mergedAt!), total, waiting: hours(start, last.firstCommitAt), ...phases(last) }];
  });
}

function expectedTicketToMerge(scope: Scope, week: string) {
  const rows = ticketRows();
  const v = (f: (r: (typeof rows)[number]) => number | null) => valuesIn(rows, scope, week, f);
  return {
    ticketsMerged: v((r) => r.total).length,
    ticketToMergeP50Hours: median(v((r) => r.total)),
    ticketToMergeP85Hours: percentile(v((r) => r.total), 0.85),
    ticketToMergeMeanHours: mean(v((r) => r.total)),
    ticketCycleWaitingP50Hours: median(v((r) => r.waiting)),
    ticketCycleCodingP50Hours: median(v((r) => r.coding)),
    ticketCyclePickupP50Hours: median(v((r) => r.pickup)),
    ticketCycleReviewP50Hours: median(v((r) => r.review)),
    ticketCycleMergeP50Hours: median(v((r) => r.merge)),
  };
}

describe('PR cycle time', () => {
  test('every scope and week matches the reference implementation', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(prCycleTime, planted);
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expectedPrCycle(0, scope, week));
  });

  test('whole org, W1, by hand: percentiles, mean and phases; bots, open PRs and negative phases left out', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(prCycleTime, planted);
    expectFigures(figures(null, W1), {
      // cycles A 27, B 94, C 5, D 10, E 6, F 120, H 5, L 10 → sorted 5 5 6 10 10 27 94 120:
      // p50 (10 + 10) / 2 = 10; p85 at rank 0.85 × 7 = 5.95: 27 + 0.95 × (94 − 27) = 90.65; mean 277 / 8
      prCycleP50Hours: 10, prCycleP85Hours: 90.65, prCycleMeanHours: 277 / 8,
      // coding A 3, B 22, C 1, F 24, H 1, L 2 (D no commit, E negative) → 1 1 2 3 22 24: (2 + 3) / 2
      prCycleCodingP50Hours: 2.5,
      // pickup A 2, B 12, D 6, E 3 (C, H, L unreviewed; F reviewed as a draft) → (3 + 6) / 2
      prCyclePickupP50Hours: 4.5,
      // review A 20, B 0, D 0, E 0, F 36 → 0; merge A 2, B 12, D 4, E 3, F 36 → 4
      prCycleReviewP50Hours: 0, prCycleMergeP50Hours: 4,
    });
    // W2: I 26, K 49 (inferred: no coding phase) → 37.5; coding only I's 1
    expectFigures(figures(null, W2), { prCycleP50Hours: 37.5, prCycleCodingP50Hours: 1 });
  });

  test('a week with nothing merged has every time null', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(prCycleTime, planted);
    expect(figures(null, W3)).toEqual(prCycleTime.empty);
    expect(Object.values(prCycleTime.empty).every((v) => v === null)).toBe(true);
  });

  test('weeks follow the org time zone: a Sunday-evening UTC merge is Monday in Tokyo', async () => {
    const planted = await plantReviewData({ prs: PRS, timeZone: 'Asia/Tokyo' });
    const figures = await computeByScope(prCycleTime, planted, 'Asia/Tokyo');
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expectedPrCycle(9, scope, week));
    // L moves to W2: I 26, K 49, L 10 → 26
    expect(figures(null, W2).prCycleP50Hours).toBeCloseTo(26, 9);
  });
});

describe('ticket-to-merge cycle time: percentiles, mean and phases', () => {
  test('every scope and week matches the reference implementation', async () => {
    const planted = await plantReviewData({ prs: PRS, tickets: TICKETS });
    const figures = await computeByScope(ticketToMerge, planted);
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expectedTicketToMerge(scope, week));
  });

  test('whole org, W1, by hand: the last PR counts, a reopened ticket counts once at its last merge', async () => {
    const planted = await plantReviewData({ prs: PRS, tickets: TICKETS });
    const figures = await computeByScope(ticketToMerge, planted);
    expectFigures(figures(null, W1), {
      // T1 30, T2 104, T4 3, T7 108, T8 29 (T3 waits for I in W2; T5 bot, T6 open PR) → 3 29 30 104 108
      // p50 30; p85 at rank 3.4: 104 + 0.4 × 4 = 105.6; mean 274 / 5 = 54.8
      ticketsMerged: 5, ticketToMergeP50Hours: 30, ticketToMergeP85Hours: 105.6, ticketToMergeMeanHours: 54.8,
      // waiting T1 3, T2 10, T8 24 (T4, T7 started after the first commit) → 10
      ticketCycleWaitingP50Hours: 10,
      // the last PRs A, B, E, F, H: coding 3 22 – 24 1 → 12.5; pickup 2 12 3 – – → 3; review 20 0 0 36 → 10; merge 2 12 3 36 → 7.5
      ticketCycleCodingP50Hours: 12.5, ticketCyclePickupP50Hours: 3, ticketCycleReviewP50Hours: 10, ticketCycleMergeP50Hours: 7.5,
    });
    expectFigures(figures('beta', W2), { ticketsMerged: 1, ticketToMergeP50Hours: 203, ticketToMergeMeanHours: 203, ticketCycleWaitingP50Hours: 177 });
    expect(figures(null, W3)).toEqual(ticketToMerge.empty);
  });
});

describe('through the API', () => {
  test('GET /metrics/weekly reports the PR cycle and ticket figures', async () => {
    const planted = await plantReviewData({ prs: PRS, tickets: TICKETS });
    const { token } = await createIngestToken({ orgId: planted.org.id, name: 'reader', scopes: ['metrics:read'] });
    const slug = planted.org.slug;
    const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?from=2026-03-02&to=2026-03-22`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ org: slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks[0]).toMatchObject({ weekStart: W1, prCycleP50Hours: 10, prCycleMergeP50Hours: 4, ticketCycleWaitingP50Hours: 10 });
    expect(body.weeks[0].ticketToMergeP85Hours).toBeCloseTo(105.6, 9);
    expect(body.weeks[2]).toMatchObject({ weekStart: W3, prCycleP50Hours: null, ticketToMergeMeanHours: null, ticketsMerged: 0 });
  });
});
