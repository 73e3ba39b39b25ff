'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { GenerationVsCycleTimeChart } from '../charts/GenerationVsCycleTimeChart.tsx';
import { addWeeks, formatIsoDate, localDate } from '@/lib/metrics/weeks.ts';
import { useWeeklyMetrics } from './useWeeklyMetrics.ts';

export const RANGES = [4, 12, 26, 52] as const;

function rangeQuery(weeks: number, timeZone: string) {
  const to = localDate(new Date(), timeZone);
  return { from: formatIsoDate(addWeeks(to, -(weeks - 1))), to: formatIsoDate(to) };
}

export function TeamDashboard({ org, team, timeZone }: { org: string; team: { slug: string; name: string }; timeZone: string }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const weeks = Number(searchParams.get('weeks')) || 26;
  const { data, error, isPending } = useWeeklyMetrics(org, { team: team.slug, ...rangeQuery(weeks, timeZone) });

  const totals = data?.weeks.reduce(
    (t, w) => ({ prs: t.prs + w.prsMerged, lines: t.lines + w.linesAdded, ai: t.ai + w.aiLinesAdded, tickets: t.tickets + w.ticketsMerged }),
    { prs: 0, lines: 0, ai: 0, tickets: 0 },
  );

  return (
    <section className="card" aria-labelledby="headline">
      <div className="card-head">
        <div>
          <h2 id="headline">AI generation vs ticket-to-merge cycle time</h2>
          <p className="muted">
            Bars: lines added on the default branch per week, AI-attributed part in purple. Line: median hours from ticket start to
            the merge of its last pull request.
          </p>
        </div>
        <nav className="range" aria-label="Range">
          {RANGES.map((r) => (
            <Link key={r} href={`${pathname}?weeks=${r}`} className={r === weeks ? 'active' : undefined} aria-current={r === weeks ? 'true' : undefined}>
              {r}w
            </Link>
          ))}
        </nav>
      </div>
      {isPending && <div className="chart-placeholder">Loading…</div>}
      {error && <div className="chart-placeholder error" role="alert">Could not load metrics: {error.message}</div>}
      {data && data.weeks.every((w) => w.linesAdded === 0 && w.ticketsMerged === 0) && (
        <div className="chart-placeholder">No merged work in this range yet.</div>
      )}
      {data && data.weeks.some((w) => w.linesAdded > 0 || w.ticketsMerged > 0) && (
        <>
          <div data-testid="weekly-chart">
            <GenerationVsCycleTimeChart weeks={data.weeks} />
          </div>
          {totals && (
            <dl className="stats">
              <div><dt>PRs merged</dt><dd data-testid="stat-prs">{totals.prs.toLocaleString('en-US')}</dd></div>
              <div><dt>Tickets merged</dt><dd>{totals.tickets.toLocaleString('en-US')}</dd></div>
              <div><dt>Lines added</dt><dd>{totals.lines.toLocaleString('en-US')}</dd></div>
              <div><dt>AI-attributed</dt><dd>{totals.lines ? `${Math.round((100 * totals.ai) / totals.lines)}%` : '–'}</dd></div>
            </dl>
          )}
        </>
      )}
    </section>
  );
}
