'use client';

import { useQuery } from '@tanstack/react-query';
import type { MembershipRow } from '@/lib/orgs/team-schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';

export interface MembershipHistory {
  person: { id: string; displayName: string; isBot: boolean };
  memberships: MembershipRow[];
}

/** A person's team memberships over time (settings API); keys under `membershipsKey(org)` are invalidated after changes. */
export function useMembershipHistory(org: string, personId: string | null) {
  return useQuery({
    queryKey: [...membershipsKey(org), personId],
    queryFn: () => fetchJson<MembershipHistory>(`/api/orgs/${encodeURIComponent(org)}/settings/people/${encodeURIComponent(personId!)}/memberships`),
    enabled: personId !== null,
    staleTime: 0,
  });
}

export function membershipsKey(org: string) {
  return ['settings', 'memberships', org] as const;
}
