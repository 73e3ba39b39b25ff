'use client';

import { shortWeek } from '../charts/format.ts';
import styles from './Annotations.module.css';
import { formatInterval, formatValue, METRIC_TEXT, readingOf } from './compare-reading.ts';
import { useCompare, type Annotation } from './useAnnotationList.ts';

const dayRange = (from: string, to: string) => `${shortWeek(from)} – ${shortWeek(to)}`;

/**
 * Before and after an annotation, for the team: each metric's median on each side with its sample
 * size, the change, its bootstrap 95% interval and what that says in words. The figures are the
 * compare API's, unchanged.
 */
export function ComparePanel({
  org,
  team,
  annotation,
  weeks,
  weekChoices,
  onWeeks,
  minSamples,
}: {
  org: string;
  team: { slug: string; name: string };
  annotation: Annotation;
  weeks: number;
  weekChoices: readonly number[];
  onWeeks: (weeks: number) => void;
  minSamples: number;
}) {
  const compare = useCompare(org, team.slug, annotation.id, weeks);
  const data = compare.data;
  return (
    <section className={styles.compare} aria-labelledby="compare-heading" data-testid="compare-panel" aria-busy={compare.isFetching}>
      <div className={styles.compareHead}>
        <div>
          <h3 id="compare-heading">
            Before and after “{annotation.label}” <span className={styles.compareDate}>({shortWeek(annotation.date)}, {annotation.date.slice(0, 4)})</span>
          </h3>
          <p className="muted" data-testid="compare-windows">
            {data
              ? `${team.name}: ${data.weeks} weeks before (${dayRange(data.before.from, data.before.to)}) against ${data.weeks} weeks from the change (${dayRange(data.after.from, data.after.to)}). An after window reaching past today holds the days so far.`
              : `${team.name}: the ${weeks} weeks before against the ${weeks} weeks from the change.`}
          </p>
        </div>
        <label className={styles.field}>
          <span>Weeks on each side</span>
          <select value={weeks} onChange={(e) => onWeeks(Number(e.target.value))}>
            {weekChoices.map((w) => (
              <option key={w} value={w}>
                {w} weeks
              </option>
            ))}
          </select>
        </label>
      </div>
      {compare.error && (
        <div className="banner error" role="alert">
          Could not compare before and after: {compare.error.message}{' '}
          <button type="button" className="small" onClick={() => compare.refetch()}>
            Retry
          </button>
        </div>
      )}
      {!compare.error && (
        <table className={`list ${styles.compareTable}`} data-testid="compare-table">
          <caption className="visually-hidden">Medians before and after {annotation.label}, with the change and its 95% interval</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className={styles.num}>Before (median)</th>
              <th scope="col" className={styles.num}>After (median)</th>
              <th scope="col" className={styles.num}>Change</th>
              <th scope="col" className={styles.num}>95% interval</th>
              <th scope="col">Reading</th>
            </tr>
          </thead>
          <tbody>
            {data
              ? data.metrics.map((m) => {
                  const reading = readingOf(m, minSamples);
                  return (
                    <tr key={m.metric} data-metric={m.metric}>
                      <th scope="row">
                        {METRIC_TEXT[m.metric].label}
                        <span className={styles.help}>{METRIC_TEXT[m.metric].help}</span>
                      </th>
                      <td className={styles.num}>
                        <span data-testid="before" data-value={m.before.median ?? ''}>{formatValue(m.metric, m.before.median)}</span>
                        <span className={styles.n} data-testid="before-n" data-value={m.before.n}>n = {m.before.n}</span>
                      </td>
                      <td className={styles.num}>
                        <span data-testid="after" data-value={m.after.median ?? ''}>{formatValue(m.metric, m.after.median)}</span>
                        <span className={styles.n} data-testid="after-n" data-value={m.after.n}>n = {m.after.n}</span>
                      </td>
                      <td className={styles.num} data-testid="difference" data-value={m.difference ?? ''}>
                        {formatValue(m.metric, m.difference, true)}
                      </td>
                      <td className={styles.num} data-testid="interval" data-low={m.ci95?.low ?? ''} data-high={m.ci95?.high ?? ''}>
                        {formatInterval(m.metric, m.ci95)}
                      </td>
                      <td>
                        <span className={`${styles.verdict} ${styles[reading.verdict]}`} data-testid="reading" data-verdict={reading.verdict}>
                          {reading.text}
                        </span>
                      </td>
                    </tr>
                  );
                })
              : Object.keys(METRIC_TEXT).map((k) => (
                  <tr key={k}>
                    <th scope="row">
                      {METRIC_TEXT[k as keyof typeof METRIC_TEXT].label}
                      <span className={styles.help}>{METRIC_TEXT[k as keyof typeof METRIC_TEXT].help}</span>
                    </th>
                    {[0, 1, 2, 3, 4].map((i) => (
                      <td key={i}>
                        <span className="skeleton" style={{ width: '4.5rem' }} />
                      </td>
                    ))}
                  </tr>
                ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Medians over the individual tickets and pull requests on each side. The interval is a bootstrap 95% interval of the change: when it excludes 0,
        the change is unlikely to be noise (though the annotation need not be its cause); with fewer than {minSamples} items on a side there is no
        comparison.
      </p>
    </section>
  );
}
