'use client';

import type { Drilldown, DrilldownMetricName } from '@/lib/metrics/drilldown-schemas.ts';
import { columnsFor, skeletonColumns } from './columns.tsx';
import styles from './Drilldown.module.css';

export type SortOrder = 'asc' | 'desc';

/**
 * The rows behind a figure, one line each, sorted as the API sorted them (`sort`, `order`).
 * A header is a button: clicking it asks for that sort (its own column again: the other order).
 */
export function DrilldownTable({ data, busy, onSort }: { data: Drilldown; busy: boolean; onSort: (sort: string, order: SortOrder) => void }) {
  const columns = columnsFor(data);
  const ctx = { timeZone: data.timeZone };
  return (
    <table className={`list ${styles.table}`} aria-busy={busy} data-testid="drilldown-table">
      <caption className="visually-hidden">
        Rows behind the figure, sorted by {columns.find((c) => c.sort === data.sort)?.label ?? data.sort}, {data.order === 'asc' ? 'ascending' : 'descending'}. Column headers sort.
      </caption>
      <thead>
        <tr>
          {columns.map((c) => {
            const active = c.sort !== undefined && c.sort === data.sort;
            const next: SortOrder = active ? (data.order === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
            const isValue = c.sort !== undefined && c.sort === data.value;
            return (
              <th
                key={c.id}
                scope="col"
                aria-sort={active ? (data.order === 'asc' ? 'ascending' : 'descending') : undefined}
                className={`${c.numeric ? styles.num : ''} ${isValue ? styles.valueCol : ''}`}
              >
                {c.sort ? (
                  <button type="button" className={styles.sortButton} onClick={() => onSort(c.sort!, next)} title={c.title}>
                    {c.label}
                    <span aria-hidden="true" className={active ? styles.arrowActive : styles.arrow}>
                      {active ? (data.order === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                ) : (
                  <span title={c.title}>{c.label}</span>
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {(data.rows as { id: string }[]).map((row) => (
          <tr key={row.id}>
            {columns.map((c) => (
              <td key={c.id} className={`${c.numeric ? styles.num : ''} ${c.sort !== undefined && c.sort === data.value ? styles.valueCol : ''}`}>
                {c.cell(row as never, ctx)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The table's shape while the rows load: the kind's real headers, grey bars for cells. */
export function DrilldownTableSkeleton({ kind, metric, team, rows = 8 }: { kind: Drilldown['kind']; metric: DrilldownMetricName; team: string | null; rows?: number }) {
  const labels = skeletonColumns(kind, metric, team);
  return (
    <table className={`list ${styles.table}`} aria-hidden="true" data-testid="drilldown-skeleton">
      <thead>
        <tr>{labels.map((l) => <th key={l} scope="col"><span className={styles.sortButton}>{l}</span></th>)}</tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, i) => (
          <tr key={i}>
            {labels.map((l, j) => (
              <td key={l}>
                <span className="skeleton" style={{ width: j === 0 ? '14rem' : `${3 + ((i + j) % 3)}rem` }} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
