import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { hours, humanReviews, isBot, mean, median, plantReviewData, teamAt, valuesIn, weekOf, type PrSpec, type Who } from './pr-cycle-time.planted.ts';
import { reviewTime, type ReviewFigures } from './review-time.ts';

// Review time per change, split AI vs human, on a planted dataset; expected figures come from the
// reference implementation in pr-cycle-time.planted.ts over the same specs, and the whole-org W1
// figures are worked out by hand in the comments. Ann is in alpha, Bob and Ray in beta; Rita
// reviews for alpha until Wednesday 2026-03-04 12:00 UTC, then for beta.
// Weeks: W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];
const [W1, W2, W3] = WEEKS as [string, string, string];

// In comments: ready → first review / first review → merge / reviews counted / size, for each merged PR.
const PRS: Record<string, PrSpec> = {
  // human: 2 / 22 / 3 / 120
  P1: { author: 'ann', createdAt: '2026-03-02T09:00:00Z', mergedAt: '2026-03-03T09:00:00Z', additions: 100, deletions: 20,
    reviews: [
      { by: 'rita', at: '2026-03-02T11:00:00Z', state: 'commented' }, { by: 'rita', at: '2026-03-02T15:00:00Z', state: 'approved' },
      { by: 'ray', at: '2026-03-02T16:00:00Z', state: 'commented' },
    ] },
  // AI, a draft made ready; a review app and the author's own review do not count: 4 / 20 / 1 / 300
  P2: { author: 'ann', ai: 'strong', createdAt: '2026-03-02T10:00:00Z', readyAt: '2026-03-03T10:00:00Z', mergedAt: '2026-03-04T10:00:00Z', additions: 300,
    reviews: [
      { by: 'reviewBot', at: '2026-03-03T10:30:00Z', state: 'commented' }, { by: 'ann', at: '2026-03-03T11:00:00Z', state: 'commented' },
      { by: 'ray', at: '2026-03-03T14:00:00Z', state: 'approved' },
    ] },
  // AI, merged without review (Rita's review comes after the merge): – / – / 0 / 15
  P3: { author: 'bob', ai: 'strong', createdAt: '2026-03-03T00:00:00Z', mergedAt: '2026-03-03T06:00:00Z', additions: 10, deletions: 5,
    reviews: [{ by: 'rita', at: '2026-03-05T13:00:00Z', state: 'commented' }] },
  // only a weak AI mention: human unless the org counts weak signals; size unknown: 8 / 28 / 2 / –
  P4: { author: 'bob', ai: 'weak', createdAt: '2026-03-04T00:00:00Z', mergedAt: '2026-03-05T12:00:00Z',
    reviews: [{ by: 'rita', at: '2026-03-04T08:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-05T00:00:00Z', state: 'approved' }] },
  // bot-authored: excluded, and so is Rita's review of it
  P5: { author: 'bot', createdAt: '2026-03-05T00:00:00Z', mergedAt: '2026-03-05T11:00:00Z', additions: 5, reviews: [{ by: 'rita', at: '2026-03-05T10:00:00Z', state: 'approved' }] },
  // human, first reviewed while a draft: ready → first review negative, left out: – / 8 / 2 / 80
  P6: { author: 'ann', createdAt: '2026-03-05T00:00:00Z', readyAt: '2026-03-05T06:00:00Z', mergedAt: '2026-03-05T10:00:00Z', additions: 40, deletions: 40,
    reviews: [{ by: 'rita', at: '2026-03-05T02:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-05T08:00:00Z', state: 'approved' }] },
  // AI, reviewed only by an account the source could not name: merged without (known) review: – / – / 0 / 7
  P7: { author: 'ann', ai: 'strong', createdAt: '2026-03-06T00:00:00Z', mergedAt: '2026-03-06T02:00:00Z', additions: 7, reviews: [{ by: null, at: '2026-03-06T01:00:00Z', state: 'commented' }] },
  // inferred from git history, review unknown: excluded
  P8: { author: 'ann', inferred: true, createdAt: '2026-03-06T03:00:00Z', readyAt: '2026-03-06T03:00:00Z', mergedAt: '2026-03-06T04:00:00Z' },
  // W2, human: 1 / 3 / 1 / 100
  P9: { author: 'ann', createdAt: '2026-03-09T08:00:00Z', mergedAt: '2026-03-09T12:00:00Z', additions: 50, deletions: 50, reviews: [{ by: 'ray', at: '2026-03-09T09:00:00Z', state: 'commented' }] },
  // AI, Sunday evening UTC (Monday morning in Tokyo): 2 / 2 / 1 / 20
  P10: { author: 'bob', ai: 'strong', createdAt: '2026-03-08T14:00:00Z', mergedAt: '2026-03-08T18:00:00Z', additions: 20, reviews: [{ by: 'rita', at: '2026-03-08T16:00:00Z', state: 'approved' }] },
  // open, reviewed: counts for reviews per reviewer only
  P11: { author: 'ann', createdAt: '2026-03-04T00:00:00Z', reviews: [{ by: 'ray', at: '2026-03-04T09:00:00Z', state: 'commented' }] },
};

type Scope = 'alpha' | 'beta' | null;
const SCOPES: Scope[] = [null, 'alpha', 'beta'];
const SPLITS = [
  { suffix: '', keep: () => true },
  { suffix: 'Ai', keep: (ai: boolean) => ai },
  { suffix: 'Human', keep: (ai: boolean) => !ai },
];

const isAi = (p: PrSpec, countWeak: boolean) => p.ai === 'strong' || (countWeak && p.ai === 'weak');

/** Reference: the figures of a scope and week by docs/metrics.md#review-time-per-change. */
function expected(opts: { offsetHours: number; countWeak: boolean }, scope: Scope, week: string): ReviewFigures {
  const prs = Object.values(PRS);
  const merged = prs
    .filter((p) => p.mergedAt && !isBot(p.author) && !p.inferred)
    .map((p) => {
      const reviews = humanReviews(p);
      return {
        week: weekOf(p.mergedAt!, opts.offsetHours), team: teamAt(p.author, p.mergedAt!), ai: isAi(p, opts.countWeak),
        unreviewed: reviews.length === 0, reviews: reviews.length,
        toFirstReview: hours(p.readyAt ?? p.createdAt, reviews[0]?.at), reviewTime: hours(reviews[0]?.at, p.mergedAt),
        size: (p.additions ?? 0) + (p.deletions ?? 0) || null,
      };
    });
  const reviews = prs
    .filter((p) => !isBot(p.author))
    .flatMap((p) => (p.reviews ?? []).filter((r) => r.by !== null && !isBot(r.by) && r.by !== p.author).map((r) => ({ p, r, by: r.by as Who })))
    .map(({ p, r, by }) => ({ week: weekOf(r.at, opts.offsetHours), team: teamAt(by, r.at), ai: isAi(p, opts.countWeak), by }));
  const out: Record<string, number | null> = {};
  for (const s of SPLITS) {
    const m = merged.filter((r) => s.keep(r.ai));
    const v = (f: (r: (typeof m)[number]) => number | null) => valuesIn(m, scope, week, f);
    const byReviewers = reviews.filter((r) => s.keep(r.ai) && r.week === week && (scope === null || r.team === scope));
    out[`prsMergedWithoutReview${s.suffix}`] = v((r) => (r.unreviewed ? 1 : null)).length;
    out[`timeToFirstReviewP50Hours${s.suffix}`] = median(v((r) => r.toFirstReview));
    out[`reviewTimeP50Hours${s.suffix}`] = median(v((r) => r.reviewTime));
    out[`reviewsPerPr${s.suffix}`] = mean(v((r) => r.reviews));
    out[`reviewsPerReviewer${s.suffix}`] = byReviewers.length ? byReviewers.length / new Set(byReviewers.map((r) => r.by)).size : null;
    out[`prSizeP50Lines${s.suffix}`] = median(v((r) => r.size));
  }
  return out as ReviewFigures;
}

async function computeByScope(planted: Awaited<ReturnType<typeof plantReviewData>>, opts: { timeZone: string; countWeak: boolean }) {
  const rows = await reviewTime.compute({
    db: db(), orgId: planted.org.id, timeZone: opts.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: opts.countWeak, weeks: WEEKS,
  });
  const name = (teamId: string | null) => (teamId === null ? 'org' : teamId === planted.teams.alpha ? 'alpha' : 'beta');
  return (scope: Scope, week: string) => rows.find((r) => name(r.teamId) === (scope ?? 'org') && r.week === week)?.figures ?? reviewTime.empty;
}

/** Compares figures: nulls and counts exactly, other numbers to 9 decimals. */
function expectFigures(actual: object, want: Partial<ReviewFigures>) {
  for (const [k, v] of Object.entries(want)) {
    const a = (actual as Record<string, unknown>)[k];
    if (v === null) expect(a, k).toBeNull();
    else expect(a, k).toBeCloseTo(v, 9);
  }
}

describe('review time per change', () => {
  test('every scope, week and split matches the reference implementation', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(planted, { timeZone: 'UTC', countWeak: false });
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expected({ offsetHours: 0, countWeak: false }, scope, week));
  });

  test('whole org, W1, by hand: AI vs human', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(planted, { timeZone: 'UTC', countWeak: false });
    expectFigures(figures(null, W1), {
      // merged: P1, P2, P3, P4, P6, P7, P10 (P5 bot, P8 inferred); AI: P2, P3, P7, P10
      // without human review before merge: P3 (reviewed after), P7 (unnamed reviewer)
      prsMergedWithoutReview: 2, prsMergedWithoutReviewAi: 2, prsMergedWithoutReviewHuman: 0,
      // P1 2, P2 4, P4 8, P10 2 (P6 negative) → 2 2 4 8: 3; AI P2 4, P10 2: 3; human P1 2, P4 8: 5
      timeToFirstReviewP50Hours: 3, timeToFirstReviewP50HoursAi: 3, timeToFirstReviewP50HoursHuman: 5,
      // P1 22, P2 20, P4 28, P6 8, P10 2 → 20; AI 20, 2 → 11; human 22, 28, 8 → 22
      reviewTimeP50Hours: 20, reviewTimeP50HoursAi: 11, reviewTimeP50HoursHuman: 22,
      // 3 + 1 + 0 + 2 + 2 + 0 + 1 = 9 reviews over 7 PRs; AI (1 + 0 + 0 + 1) / 4; human (3 + 2 + 2) / 3
      reviewsPerPr: 9 / 7, reviewsPerPrAi: 0.5, reviewsPerPrHuman: 7 / 3,
      // submitted in W1: Rita 6 (P1 ×2, P3, P4, P6, P10), Ray 5 (P1, P2, P4, P6, P11) → 11 / 2;
      // of AI PRs Ray P2, Rita P3 and P10 → 3 / 2; of human PRs 8 / 2
      reviewsPerReviewer: 5.5, reviewsPerReviewerAi: 1.5, reviewsPerReviewerHuman: 4,
      // sizes 120, 300, 15, 80, 7, 20 (P4 unknown) → 7 15 20 80 120 300: 50; AI 7 15 20 300: 17.5; human 80 120: 100
      prSizeP50Lines: 50, prSizeP50LinesAi: 17.5, prSizeP50LinesHuman: 100,
    });
  });

  test('a reviewer who moves teams counts for the team she reviewed in at each review', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(planted, { timeZone: 'UTC', countWeak: false });
    // Rita for alpha before Wednesday noon: P1 ×2, P4 → 3 reviews, 1 reviewer
    expectFigures(figures('alpha', W1), { reviewsPerReviewer: 3, reviewsPerReviewerAi: null, reviewsPerReviewerHuman: 3 });
    // beta: Rita after the move (P3, P6, P10) and Ray's 5 → 8 / 2
    expectFigures(figures('beta', W1), { reviewsPerReviewer: 4 });
  });

  test('counting weak AI signals moves the PR with a mere mention to AI', async () => {
    const planted = await plantReviewData({ prs: PRS, countWeakAiSignals: true });
    const figures = await computeByScope(planted, { timeZone: 'UTC', countWeak: true });
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expected({ offsetHours: 0, countWeak: true }, scope, week));
    // P4 is AI now: AI P2 4, P4 8, P10 2 → 4; human P1 2
    expectFigures(figures(null, W1), { timeToFirstReviewP50HoursAi: 4, timeToFirstReviewP50HoursHuman: 2 });
  });

  test('weeks follow the org time zone: Sunday evening UTC is Monday in Tokyo', async () => {
    const planted = await plantReviewData({ prs: PRS, timeZone: 'Asia/Tokyo' });
    const figures = await computeByScope(planted, { timeZone: 'Asia/Tokyo', countWeak: false });
    for (const scope of SCOPES) for (const week of WEEKS) expectFigures(figures(scope, week), expected({ offsetHours: 9, countWeak: false }, scope, week));
    // P10 and Rita's review of it are in W2 now: P9 and P10 merged; Ray 1 review, Rita 1 review
    expectFigures(figures(null, W2), { reviewTimeP50Hours: 2.5, reviewTimeP50HoursAi: 2, reviewsPerReviewer: 1, prSizeP50Lines: 60 });
  });

  test('a week with nothing in it has counts 0 and every other figure null', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const figures = await computeByScope(planted, { timeZone: 'UTC', countWeak: false });
    expect(figures(null, W3)).toEqual(reviewTime.empty);
    expect(reviewTime.empty).toMatchObject({ prsMergedWithoutReview: 0, prsMergedWithoutReviewAi: 0, reviewTimeP50Hours: null, reviewsPerPrHuman: null });
    // W2 has one human PR and no AI one: AI figures null, AI count 0
    expectFigures(figures(null, W2), { prsMergedWithoutReviewAi: 0, reviewTimeP50HoursAi: null, reviewTimeP50HoursHuman: 3, reviewsPerPr: 1 });
  });

  test('reaches computeWeeks and GET /metrics/weekly', async () => {
    const planted = await plantReviewData({ prs: PRS });
    const weeks = await computeWeeks({ db: db(), orgId: planted.org.id, timeZone: 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: WEEKS });
    expect(weeks.get(ORG_SCOPE)?.get(W1)).toMatchObject({ prsMergedWithoutReviewAi: 2, reviewsPerReviewer: 5.5 });
    const { token } = await createIngestToken({ orgId: planted.org.id, name: 'reader', scopes: ['metrics:read'] });
    const slug = planted.org.slug;
    const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?team=alpha&from=2026-03-02&to=2026-03-22`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ org: slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    // alpha (Ann's PRs P1, P2, P6, P7): sizes 120, 300, 80, 7 → (80 + 120) / 2
    expect(body.weeks[0]).toMatchObject({ weekStart: W1, prSizeP50Lines: 100, prsMergedWithoutReview: 1, reviewTimeP50HoursHuman: 15 });
    expect(body.weeks[2]).toMatchObject({ weekStart: W3, prsMergedWithoutReviewHuman: 0, timeToFirstReviewP50HoursAi: null });
  });
});
