'use client';

import { parseAsBoolean, useQueryState } from 'nuqs';
import { shortWeek } from '../charts/format.ts';
import styles from './Overview.module.css';
import { KEY_METRICS, type KeyMetric } from './overview-data.ts';

export interface ScopeSeries {
  /** Team slug; null for the whole org. */
  slug: string | null;
  name: string;
  values: Record<KeyMetric['key'], (number | null)[]>;
}

/**
 * The overview's text alternative: one table per key metric, a row per team (and the whole org),
 * a column per week. Open or closed is in the URL (?table=1), so a shared link keeps it.
 */
export function OverviewDataTables({ weeks, scopes }: { weeks: string[]; scopes: ScopeSeries[] }) {
  const [open, setOpen] = useQueryState('table', parseAsBoolean.withDefault(false));
  return (
    <div className={styles.dataTables}>
      <button type="button" className="small" aria-expanded={open} aria-controls="overview-data" onClick={() => setOpen(open ? null : true)}>
        {open ? 'Hide data table' : 'Show data table'}
      </button>
      {open && (
        <div id="overview-data" className={styles.tables} data-testid="overview-data">
          {KEY_METRICS.map((m) => (
            <table key={m.key} className={`list ${styles.dataTable}`} data-metric={m.key}>
              <caption>{m.label}, week by week</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  {weeks.map((w) => (
                    <th key={w} scope="col"><time dateTime={w}>{shortWeek(w)}</time></th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {scopes.map((s) => (
                  <tr key={s.slug ?? '(org)'} data-scope={s.slug ?? ''}>
                    <th scope="row">{s.name}</th>
                    {s.values[m.key].map((v, i) => (
                      <td key={weeks[i]} data-value={v ?? ''}>{m.format(v)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      )}
    </div>
  );
}
