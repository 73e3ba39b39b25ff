import styles from './Overview.module.css';
import { KEY_METRICS } from './overview-data.ts';

/** The overview's boxes while its figures load, the same sizes as the loaded page (no shift). */
export function OverviewSkeleton({ teams = 4 }: { teams?: number }) {
  const row = (key: string, name = true) => (
    <tr key={key}>
      <th scope="row" className={styles.teamCell}>{name && <span className="skeleton" style={{ width: '6rem', height: '1.05rem' }} />}</th>
      {KEY_METRICS.map((m) => (
        <td key={m.key}>
          <div className={styles.cell}>
            <span className={`skeleton ${styles.skeletonValue}`} />
            <span className="skeleton" style={{ width: '3rem', height: '0.8rem' }} />
            <span className={`skeleton ${styles.skeletonSpark}`} />
          </div>
        </td>
      ))}
    </tr>
  );
  return (
    <div aria-busy="true" data-testid="overview-loading">
      <p className="visually-hidden" role="status">Loading the overview…</p>
      <div className={styles.rangeLine}>
        <p className="muted"><span className="skeleton" style={{ width: '32rem' }} /></p>
        <span className="skeleton" style={{ width: '7.5rem', height: '1.5rem' }} />
      </div>
      <section className="card" aria-hidden="true">
        <div className={styles.leverage}>
          <div style={{ flex: 1 }}>
            <span className="skeleton" style={{ width: '24rem', height: '1.1rem' }} />
            <span className={`skeleton ${styles.skeletonSentence}`} />
            <span className="skeleton wide" />
            <span className="skeleton" style={{ width: '50%' }} />
          </div>
          <div className={styles.leverageFigure}>
            <span className={`skeleton ${styles.skeletonFigure}`} />
          </div>
        </div>
      </section>
      <section className="card" aria-hidden="true">
        <span className="skeleton" style={{ width: '5rem', height: '1.1rem' }} />
        <table className={`list ${styles.overview}`}>
          <thead>
            <tr>
              <th />
              {KEY_METRICS.map((m) => (
                <th key={m.key}>
                  {m.label}
                  <span className={styles.colNote}>&nbsp;</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{Array.from({ length: Math.max(teams, 1) }, (_, i) => row(String(i)))}</tbody>
          <tfoot>{row('org')}</tfoot>
        </table>
      </section>
      <section className="card" aria-hidden="true">
        <span className="skeleton" style={{ width: '11rem', height: '1.1rem' }} />
        <span className="skeleton wide" />
        <span className="skeleton wide" style={{ height: '6rem' }} />
      </section>
    </div>
  );
}
