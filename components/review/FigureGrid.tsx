import { deltaOf, REVIEW_FIGURES } from '@/lib/review/figures.ts';
import type { WeekMetrics } from '@/lib/metrics/schemas.ts';
import { formatChange, formatValue } from './format.ts';
import styles from './Review.module.css';

const ARROW = { up: '▲', down: '▼', same: '=', none: '·' } as const;

/** The review's figures: this week's value, the move from last week, and whether that move is good for the figure. */
export function FigureGrid({ current, previous }: { current: WeekMetrics; previous: WeekMetrics }) {
  return (
    <dl className={styles.figures} data-testid="review-figures">
      {REVIEW_FIGURES.map((f) => {
        const value = current[f.key];
        const before = previous[f.key];
        const delta = deltaOf(f, value, before);
        return (
          <div key={f.key} className={styles.figure} data-testid={`figure-${f.key}`} title={f.hint}>
            <dt>{f.label}</dt>
            <dd className={styles.value} data-testid={`value-${f.key}`} data-value={value ?? ''}>{formatValue(f.format, value)}</dd>
            <dd className={`${styles.delta} ${styles[delta.verdict]}`} data-testid={`delta-${f.key}`} data-direction={delta.direction} data-verdict={delta.verdict}>
              <span className={styles.arrow} aria-hidden="true">{ARROW[delta.direction]}</span>
              <span>{formatChange(f.format, delta)}</span>
              {delta.verdict !== 'neutral' && <span className={styles.verdict}>{delta.verdict}</span>}
              {delta.direction !== 'none' && delta.direction !== 'same' && f.better === null && <span className="visually-hidden">(neither better nor worse)</span>}
            </dd>
            <dd className={styles.previous} data-testid={`previous-${f.key}`} data-value={before ?? ''}>Previous week: {formatValue(f.format, before)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
