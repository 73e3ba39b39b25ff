'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnnotationView } from '@/lib/annotations/annotations.ts';
import type { CompareResult } from '@/lib/metrics/compare-schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';

export type Annotation = AnnotationView;

const base = (org: string) => `/api/orgs/${encodeURIComponent(org)}`;

/**
 * Every annotation of the team and the org-wide ones. The key starts with ['annotations', org]
 * like the team chart's, so one invalidation of ['annotations'] redraws both.
 */
export function useTeamAnnotations(org: string, team: string) {
  return useQuery({
    queryKey: ['annotations', org, team, 'all'],
    queryFn: () => fetchJson<{ annotations: Annotation[] }>(`${base(org)}/annotations?${new URLSearchParams({ team })}`).then((r) => r.annotations),
  });
}

export interface NewAnnotation {
  teamSlug?: string;
  date: string;
  label: string;
  description?: string;
}

/** Adds or deletes an annotation, then refetches every annotation list and before/after comparison. */
export function useAnnotationMutations(org: string) {
  const client = useQueryClient();
  // Not awaited: the mutation is done when the server answers; the lists redraw when their refetch lands.
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['annotations'] });
    void client.invalidateQueries({ queryKey: ['compare', org] });
  };
  const create = useMutation({
    mutationFn: (input: NewAnnotation) =>
      fetchJson<{ annotation: Annotation }>(`${base(org)}/annotations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) }).then((r) => r.annotation),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => fetchJson<null>(`${base(org)}/annotations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { create, remove };
}

/** Before/after medians around an annotation, for the team (GET …/metrics/compare). */
export function useCompare(org: string, team: string, annotation: string | null, weeks: number) {
  return useQuery({
    queryKey: ['compare', org, team, annotation, weeks],
    enabled: annotation !== null,
    queryFn: () => fetchJson<CompareResult>(`${base(org)}/metrics/compare?${new URLSearchParams({ annotation: annotation!, team, weeks: String(weeks) })}`),
  });
}
