import { env } from '@/lib/env.ts';

/** How long the org's raw payloads are kept, and whether any were dropped (README: "The raw log"). */
export function RawLogRetention({ prunedBefore }: { prunedBefore: Date | null }) {
  const months = env().RAW_EVENT_RETENTION_MONTHS;
  return (
    <section className="card" aria-labelledby="raw-log-retention">
      <h2 id="raw-log-retention">Raw log</h2>
      <p className="muted">
        Every delivery is stored as received before it is acknowledged, and everything on the dashboards is derived from it.{' '}
        {months
          ? `Raw payloads are kept for ${months} whole month${months === 1 ? '' : 's'} before the current one (RAW_EVENT_RETENTION_MONTHS); the figures derived from older ones are kept.`
          : 'Raw payloads are kept forever (RAW_EVENT_RETENTION_MONTHS is not set).'}
      </p>
      {prunedBefore && (
        <p className="muted" data-testid="raw-pruned-before">
          Payloads received before {prunedBefore.toISOString().slice(0, 10)} were dropped by retention: a full replay is refused; replay since then instead.
        </p>
      )}
    </section>
  );
}
