'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PeoplePage, PeopleQuery } from '@/lib/orgs/people-schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';

/** The org's people matching a search (settings API); key prefix `peopleKey(org)` is invalidated after changes. */
export function usePeople(org: string, query: Partial<PeopleQuery>) {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]));
  return useQuery({
    queryKey: [...peopleKey(org), query],
    queryFn: () => fetchJson<PeoplePage>(`/api/orgs/${encodeURIComponent(org)}/settings/people?${params}`),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

export function peopleKey(org: string) {
  return ['settings', 'people', org] as const;
}
