'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { fetchJson } from '../api/fetch-json.ts';

/** A settings change through the org's settings API; the page's server data reloads after it. */
export function useSettingsMutation<T = unknown>(org: string) {
  const router = useRouter();
  return useMutation({
    mutationFn: ({ path, method, body }: { path: string; method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown }) =>
      fetchJson<T>(`/api/orgs/${encodeURIComponent(org)}/settings/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    onSuccess: () => router.refresh(),
  });
}
