'use client';

import { useState } from 'react';
import { RANGE_WEEKS, type RangeWeeks, type ResolvedRange } from './range.ts';
import styles from './TeamDashboard.module.css';

/**
 * The range of every chart: the last 4, 12, 26 or 52 weeks, or custom dates. The caller keeps it
 * in the URL; custom dates apply on submit, so a half-typed date never loads a chart.
 */
export function RangePicker({
  weeks,
  range,
  onPreset,
  onCustom,
}: {
  weeks: number;
  range: ResolvedRange;
  onPreset: (weeks: RangeWeeks) => void;
  onCustom: (from: string, to: string) => void;
}) {
  const [open, setOpen] = useState(range.custom);
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  return (
    <div className={styles.toolbar}>
      <div role="group" aria-label="Range" className={styles.segmented}>
        {RANGE_WEEKS.map((w) => {
          const active = !range.custom && w === weeks;
          return (
            <button key={w} type="button" aria-pressed={active} className={active ? styles.active : undefined}
              onClick={() => { setOpen(false); onPreset(w); }}>
              {w}w
            </button>
          );
        })}
        <button type="button" aria-pressed={range.custom} aria-expanded={open} className={range.custom ? styles.active : undefined}
          onClick={() => { setFrom(range.from); setTo(range.to); setOpen((v) => !v); }}>
          Custom
        </button>
      </div>
      {open && (
        <form className={styles.customRange} onSubmit={(e) => { e.preventDefault(); onCustom(from, to); }}>
          <label>From <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required /></label>
          <label>To <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required /></label>
          <button type="submit" className="small">Apply</button>
        </form>
      )}
      <p className={styles.rangeText} aria-live="polite">
        {range.description} · {range.weekStarts.length} weeks
      </p>
      {range.problem && <p className="banner error" role="alert">{range.problem} Showing {range.description} instead.</p>}
    </div>
  );
}
