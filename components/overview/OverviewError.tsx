'use client';

import styles from './Overview.module.css';

/** The overview could not be read: say so, offer a retry, and give the reference the server logged. */
export function OverviewError({ digest, retry }: { digest?: string; retry: () => void }) {
  return (
    <section className={`card ${styles.errorCard}`} role="alert" aria-labelledby="overview-error" data-testid="overview-error">
      <h1 id="overview-error">The overview could not be loaded</h1>
      <p>
        Something went wrong while reading this organization&apos;s weekly figures. Nothing was changed; trying again usually helps. If it keeps
        failing, the server log has the details{digest ? <> under reference <code>{digest}</code></> : null}.
      </p>
      <button type="button" className="button" onClick={() => retry()}>
        Retry
      </button>
    </section>
  );
}
