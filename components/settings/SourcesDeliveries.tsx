'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus, type SourceDefinition, type SourceSummary } from '@/lib/settings/sources.ts';
import { LoadError, SkeletonRows, When } from './SourcesStatus.tsx';
import { sourcesKey, useSourceDeliveries } from './useSources.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** What to do when a source has sent nothing at all, by how it connects. */
function nothingYet(source: SourceDefinition): string {
  switch (source.kind) {
    case 'webhook':
      return `No deliveries yet. Add the URL and secret above to ${source.label}'s webhook settings; its next event shows up here within seconds (${source.label} lists its own attempts in the webhook's delivery log).`;
    case 'token':
      return 'No deliveries yet. Make a token above and paste a snippet where it belongs; the first request shows up here within seconds.';
    case 'credential':
      return 'Nothing fetched yet. Store a token above for the next scheduled fetch, or run the command-line import.';
    case 'cli':
      return 'Nothing imported yet. Run the command above where Throughline runs; what it loads shows up here.';
  }
}

/** A long error (a payload with many bad fields) folds to its start; all of it is a click away. */
function ErrorText({ text }: { text: string }) {
  if (text.length <= 160) return <>{text}</>;
  return (
    <details>
      <summary>{text.slice(0, 120)}…</summary>
      {text}
    </details>
  );
}

export function SourcesDeliveries({ org, source, summary }: { org: string; source: SourceDefinition; summary: SourceSummary | undefined }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const statusId = useId();
  const deliveries = useSourceDeliveries(org, source.id, status);
  const retry = useSettingsMutation<{ retried: number }>(org);
  const rows = deliveries.data?.pages.flatMap((p) => p.deliveries) ?? [];
  // The state above and the list below come from two queries: refresh both together.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: sourcesKey(org) });
  const retryBody = (body: { source: string } | { eventId: string }) => retry.mutate({ path: 'events/retry', method: 'POST', body }, { onSuccess: refresh });
  const anyFailed = (summary?.recent.failed ?? 0) > 0 || rows.some((d) => d.status === 'failed');
  return (
    <section className="card" aria-labelledby="deliveries" aria-busy={deliveries.isPending}>
      <h2 id="deliveries">Deliveries</h2>
      <p className="muted">
        Newest first. Each is stored before it is acknowledged, then processed; one that fails is retried with growing delays (8 times), or now with
        Retry.
      </p>
      <div className="inline-form">
        <label htmlFor={statusId}>Status</label>
        <select id={statusId} value={status ?? ''} onChange={(e) => setStatus((e.target.value || undefined) as DeliveryStatus | undefined)}>
          <option value="">All</option>
          {DELIVERY_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <button type="button" className="small" onClick={refresh} disabled={deliveries.isFetching}>Refresh</button>
        {anyFailed && (
          <button type="button" className="small" onClick={() => retryBody({ source: source.id })} disabled={retry.isPending}>Retry all failed</button>
        )}
      </div>
      {retry.data && <p className="banner" role="status">{retry.data.retried === 1 ? '1 delivery' : `${retry.data.retried} deliveries`} queued again; the worker runs {retry.data.retried === 1 ? 'it' : 'them'} within moments.</p>}
      {retry.error && <p className="banner error" role="alert">{retry.error.message}</p>}
      {deliveries.error && <LoadError what="the deliveries" error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      <table className="list deliveries">
        <thead><tr><th>Received</th><th>Event</th><th>Status</th><th>Attempts</th><th>Delivery id</th><th>Error</th><th /></tr></thead>
        <tbody>
          {deliveries.isPending && <SkeletonRows rows={4} columns={7} />}
          {rows.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.deliveryId}`}>
              <td className="nowrap"><When iso={d.receivedAt} /></td>
              <td><code>{d.eventType}</code></td>
              <td><span className={`badge ${d.status === 'failed' ? 'error' : d.status === 'processed' ? 'ok' : d.status === 'pending' ? 'warn' : 'off'}`}>{d.status}</span></td>
              <td>{d.attempts}</td>
              <td><code className="pattern">{d.deliveryId}</code></td>
              <td className="error-text">{d.error && <ErrorText text={d.error} />}</td>
              <td>
                {d.status === 'failed' && (
                  <button type="button" className="small" disabled={retry.isPending} onClick={() => retryBody({ eventId: d.id })} aria-label={`Retry delivery ${d.deliveryId}`}>
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
          {deliveries.data && rows.length === 0 && (
            <tr><td colSpan={7} className="muted">{status ? `No ${status} deliveries from ${source.label}.` : nothingYet(source)}</td></tr>
          )}
        </tbody>
      </table>
      {deliveries.hasNextPage && (
        <p>
          <button type="button" className="small" onClick={() => void deliveries.fetchNextPage()} disabled={deliveries.isFetchingNextPage}>
            {deliveries.isFetchingNextPage ? 'Loading…' : 'Load older deliveries'}
          </button>
        </p>
      )}
    </section>
  );
}
