import { REVIEW_FIGURES } from '@/lib/review/figures.ts';
import styles from './Review.module.css';

/** The review's layout while it loads: the same cards at their final size, so nothing shifts. */
export function ReviewSkeleton() {
  return (
    <div data-testid="review-loading" role="status" aria-busy="true" aria-label="Loading the review">
      <p className={styles.meta}><span className="skeleton" style={{ width: '34rem' }} /></p>
      <section className="card">
        <div className="card-head"><span className="skeleton" style={{ width: '18rem', height: '1.2rem' }} /></div>
        <div className={styles.figures}>
          {REVIEW_FIGURES.map((f) => (
            <div key={f.key} className={styles.figure}>
              <span className="skeleton" style={{ width: '7rem' }} />
              <span className={`skeleton ${styles.skeletonValue}`} />
              <span className="skeleton" style={{ width: '6rem' }} />
            </div>
          ))}
        </div>
      </section>
      <section className="card"><span className="skeleton" style={{ width: '10rem', height: '1.2rem' }} /><span className="skeleton wide" /></section>
      {[0, 1].map((i) => (
        <section key={i} className="card">
          <span className="skeleton" style={{ width: '10rem', height: '1.2rem' }} />
          <span className={`skeleton ${styles.skeletonBlock}`} style={{ height: '13rem', marginTop: '1rem' }} />
        </section>
      ))}
    </div>
  );
}
