'use client';

import { useId, useRef, useState, type ReactNode } from 'react';
import { shortWeek } from '@/components/charts/format.ts';
import { saveFile, toCsv } from './csv.ts';
import { formatCell, type ChartRow, type ValueKind } from './series.ts';
import type { Annotation } from './useAnnotations.ts';
import styles from './ChartCard.module.css';

export interface ChartColumn {
  key: string;
  label: string;
  kind: ValueKind;
  /** A cell opens the drill-down of its week. */
  drillable: boolean;
}

export type ChartState =
  | { status: 'loading' }
  | { status: 'error'; message: string; onRetry: () => void }
  | { status: 'empty'; message: ReactNode }
  | { status: 'ready' };

/**
 * The frame of every chart of the team page: title, one-line explanation, the chart (or its
 * loading, empty or error state, all of the chart's height), and the chart's text alternative and
 * exports: a data table of exactly the plotted values, a PNG of the card and a CSV of the table.
 */
export function ChartCard({
  id, title, description, controls, height, state, columns, rows, annotations, fileBase, onDrill, children, footer,
}: {
  id: string;
  title: string;
  description: string;
  controls?: ReactNode;
  height: number;
  state: ChartState;
  columns: ChartColumn[];
  rows: ChartRow[];
  annotations?: Map<string, Annotation[]>;
  /** File name without extension, e.g. `demo-platform-headline-2026-01-05-2026-06-28`. */
  fileBase: string;
  onDrill?: (key: string, weekStart: string) => void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const [showTable, setShowTable] = useState(false);
  const [exporting, setExporting] = useState(false);
  const card = useRef<HTMLElement>(null);
  const tableId = useId();
  const headingId = `${id}-title`;
  const ready = state.status === 'ready';
  const hasNotes = Boolean(annotations && rows.some((r) => annotations.has(r.weekStart)));
  const notes = (week: string) => (annotations?.get(week) ?? []).map((a) => a.label).join('; ');

  const header = ['Week', ...columns.map((c) => c.label), ...(hasNotes ? ['Annotations'] : [])];
  const downloadCsv = () => {
    const body = rows.map((r) => [r.weekStart, ...columns.map((c) => r[c.key] as number | null), ...(hasNotes ? [notes(r.weekStart)] : [])]);
    saveFile(`${fileBase}.csv`, new Blob([toCsv(header, body)], { type: 'text/csv;charset=utf-8' }));
  };
  const downloadPng = async () => {
    if (!card.current) return;
    setExporting(true);
    try {
      const { toPng } = await import('html-to-image');
      const url = await toPng(card.current, {
        backgroundColor: '#ffffff',
        pixelRatio: 2,
        filter: (node) => !(node instanceof HTMLElement && node.dataset.noExport !== undefined),
      });
      saveFile(`${fileBase}.png`, url);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section ref={card} className={`card ${styles.card}`} aria-labelledby={headingId} data-testid={`chart-${id}`}>
      <div className={styles.head}>
        <div className={styles.titles}>
          <h2 id={headingId}>{title}</h2>
          <p className={`muted ${styles.description}`}>{description}</p>
        </div>
        {controls && <div className={styles.controls}>{controls}</div>}
      </div>
      <div className={styles.chart} style={{ height }} data-testid={`chart-${id}-plot`}>
        {state.status === 'loading' && (
          <div className={`skeleton ${styles.fill}`} role="status" aria-label={`Loading ${title}`} data-testid="chart-loading" />
        )}
        {state.status === 'error' && (
          <div className={styles.message} role="alert">
            <p><strong>Could not load this chart.</strong> {state.message}</p>
            <button type="button" className="button" onClick={state.onRetry}>Retry</button>
          </div>
        )}
        {state.status === 'empty' && <div className={styles.message}>{state.message}</div>}
        {ready && children}
      </div>
      {ready && footer}
      <div className={styles.actions} data-no-export="">
        <button type="button" className="small" aria-expanded={showTable} aria-controls={tableId} disabled={!ready} onClick={() => setShowTable((v) => !v)}>
          {showTable ? 'Hide data table' : 'Show data table'}
        </button>
        <button type="button" className="small" disabled={!ready || exporting} onClick={() => void downloadPng()}>
          {exporting ? 'Preparing PNG…' : 'Download PNG'}
        </button>
        <button type="button" className="small" disabled={!ready} onClick={downloadCsv}>Download CSV</button>
      </div>
      {ready && showTable && (
        <div className={styles.tableWrap} id={tableId} data-no-export="" role="region" aria-label={`${title}: data table`} tabIndex={0}>
          <table className={`list ${styles.table}`} data-testid={`table-${id}`}>
            <caption className="visually-hidden">{title}: the plotted values per week</caption>
            <thead>
              <tr>{header.map((h, i) => <th key={h} scope="col" className={i > 0 && i <= columns.length ? styles.num : undefined}>{h}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.weekStart}>
                  <th scope="row" data-value={r.weekStart}>{shortWeek(r.weekStart)}, {r.weekStart.slice(0, 4)}</th>
                  {columns.map((c) => {
                    const v = r[c.key] as number | null;
                    const text = formatCell(c.kind, v);
                    return (
                      <td key={c.key} data-key={c.key} data-value={v ?? ''} className={styles.num}>
                        {c.drillable && onDrill && v !== null ? (
                          <button type="button" className={styles.cellButton} onClick={() => onDrill(c.key, r.weekStart)}
                            aria-label={`${text}: ${c.label}, week of ${shortWeek(r.weekStart)}, open the rows behind it`}>
                            {text}
                          </button>
                        ) : text}
                      </td>
                    );
                  })}
                  {hasNotes && <td className={styles.note}>{notes(r.weekStart)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
