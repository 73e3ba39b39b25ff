'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchJson } from '@/components/api/fetch-json.ts';
import { mondayOf, formatIsoDate, parseIsoDate } from '@/lib/metrics/weeks.ts';

/** An annotation as GET /api/orgs/{org}/annotations answers it. */
export interface Annotation {
  id: string;
  team: string | null;
  date: string;
  label: string;
  description: string | null;
}

/** The team's and the org-wide annotations dated from `from` to `to` (YYYY-MM-DD). */
export function useAnnotations(org: string, team: string, from: string, to: string) {
  const params = new URLSearchParams({ team, from, to });
  return useQuery({
    queryKey: ['annotations', org, team, from, to],
    queryFn: () => fetchJson<{ annotations: Annotation[] }>(`/api/orgs/${encodeURIComponent(org)}/annotations?${params}`).then((r) => r.annotations),
  });
}

/** Annotations grouped by the Monday of the ISO week holding their date. */
export function annotationsByWeek(annotations: Annotation[] | undefined): Map<string, Annotation[]> {
  const byWeek = new Map<string, Annotation[]>();
  for (const a of annotations ?? []) {
    const d = parseIsoDate(a.date);
    if (!d) continue;
    const week = formatIsoDate(mondayOf(d));
    byWeek.set(week, [...(byWeek.get(week) ?? []), a]);
  }
  return byWeek;
}
