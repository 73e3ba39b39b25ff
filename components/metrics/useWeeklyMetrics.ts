'use client';

import { useQuery } from '@tanstack/react-query';
import type { WeeklyMetrics, WeeklyQuery } from '@/lib/metrics/schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';

export function useWeeklyMetrics(org: string, query: WeeklyQuery) {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  return useQuery({
    queryKey: ['metrics', 'weekly', org, query],
    queryFn: () => fetchJson<WeeklyMetrics>(`/api/orgs/${encodeURIComponent(org)}/metrics/weekly?${params}`),
  });
}
