import styles from './loading.module.css';

/** While a settings page loads: the header bar, the tabs and two cards, at their final size. */
export default function SettingsLoading() {
  return (
    <>
      <div className={styles.header} aria-hidden="true" />
      <main aria-busy="true">
        <p className="visually-hidden" role="status">Loading settings…</p>
        <div className={styles.tabs} aria-hidden="true">{[7, 12, 4, 5, 8, 9, 8].map((w, i) => <span key={i} className="skeleton" style={{ width: `${w}rem` }} />)}</div>
        <span className={`skeleton ${styles.title}`} aria-hidden="true" />
        {[0, 1].map((i) => (
          <section key={i} className="card" aria-hidden="true">
            <span className="skeleton" style={{ width: '12rem' }} />
            <span className="skeleton wide" />
            <span className="skeleton wide" />
            <span className="skeleton wide" />
            <span className="skeleton wide" />
          </section>
        ))}
      </main>
    </>
  );
}
