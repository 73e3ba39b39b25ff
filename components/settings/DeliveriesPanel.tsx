'use client';

import { useSettingsMutation } from './useSettingsMutation.ts';

interface FailedEvent {
  id: string;
  source: string;
  eventType: string;
  deliveryId: string;
  receivedAt: Date;
  attempts: number;
  error: string | null;
}

const STATUSES = ['pending', 'processed', 'failed', 'ignored'] as const;

export function DeliveriesPanel({ org, counts, failed }: { org: string; counts: Partial<Record<string, number>>; failed: FailedEvent[] }) {
  const retry = useSettingsMutation<{ retried: number }>(org);
  return (
    <section className="card" aria-labelledby="deliveries">
      <h2 id="deliveries">Delivery log</h2>
      <p className="muted">
        Every webhook delivery is stored before it is acknowledged, then processed. {STATUSES.map((s) => `${counts[s] ?? 0} ${s}`).join(', ')}.
      </p>
      {failed.length > 0 && (
        <>
          <table className="list">
            <thead><tr><th>Received</th><th>Source</th><th>Event</th><th>Delivery</th><th>Attempts</th><th>Error</th></tr></thead>
            <tbody>
              {failed.map((e) => (
                <tr key={e.id}>
                  <td>{e.receivedAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{e.source}</td>
                  <td>{e.eventType}</td>
                  <td><code>{e.deliveryId}</code></td>
                  <td>{e.attempts}</td>
                  <td>{e.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <button type="button" className="button" onClick={() => retry.mutate({ path: 'events/retry', method: 'POST' })} disabled={retry.isPending}>
              Retry failed deliveries
            </button>
          </p>
        </>
      )}
      {retry.data && <p className="banner" role="status">{retry.data.retried} deliveries queued again.</p>}
      {retry.error && <p className="banner error" role="alert">{retry.error.message}</p>}
    </section>
  );
}
