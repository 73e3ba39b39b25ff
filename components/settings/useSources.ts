'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { DeliveriesPage, DeliveryStatus, SourceCredentialSummary, SourceId, SourcesAnswer } from '@/lib/settings/sources.ts';
import { fetchJson } from '../api/fetch-json.ts';

// The sources settings API; every key starts with sourcesKey(org), invalidated after any change.

export function sourcesKey(org: string) {
  return ['settings', 'sources', org] as const;
}

const api = (org: string) => `/api/orgs/${encodeURIComponent(org)}/settings`;

/** Every source with its state; polled while any delivery is pending. */
export function useSources(org: string) {
  return useQuery({
    queryKey: [...sourcesKey(org), 'summary'],
    queryFn: () => fetchJson<SourcesAnswer>(`${api(org)}/sources`),
    staleTime: 0,
    // Counts move while deliveries wait for the worker.
    refetchInterval: (query) => (query.state.data?.sources.some((s) => s.recent.pending > 0) ? 3000 : false),
  });
}

/** A source's deliveries, newest first, a page of 50 at a time; polled while any is pending. */
export function useSourceDeliveries(org: string, source: SourceId, status: DeliveryStatus | undefined) {
  return useInfiniteQuery({
    queryKey: [...sourcesKey(org), 'deliveries', source, status ?? 'all'],
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ ...(status && { status }), ...(pageParam && { cursor: pageParam }) });
      return fetchJson<DeliveriesPage>(`${api(org)}/sources/${encodeURIComponent(source)}/deliveries?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.deliveries.some((d) => d.status === 'pending')) ? 3000 : false),
  });
}

/** The API tokens stored for a source, without their values. */
export function useSourceCredentials(org: string, source: SourceId) {
  return useQuery({
    queryKey: [...sourcesKey(org), 'credentials', source],
    queryFn: () => fetchJson<{ credentials: SourceCredentialSummary[] }>(`${api(org)}/source-credentials?source=${encodeURIComponent(source)}`),
    staleTime: 0,
  });
}
