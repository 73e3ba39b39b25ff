'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionItemView, ReviewView } from '@/lib/review/review-schemas.ts';
import { fetchJson } from '../api/fetch-json.ts';

const teamPath = (org: string, team: string) => `/api/orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(team)}`;
export const reviewPath = (org: string, team: string, week: string) => `${teamPath(org, team)}/reviews/${week}`;
export const reviewKey = (org: string, team: string, week: string) => ['review', org, team, week] as const;

const jsonInit = (method: string, body?: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

export function useReview(org: string, team: string, week: string) {
  return useQuery({
    queryKey: reviewKey(org, team, week),
    queryFn: async () => (await fetchJson<{ review: ReviewView }>(reviewPath(org, team, week))).review,
    // A review is a snapshot: no refetch on focus in the middle of a meeting.
    refetchOnWindowFocus: false,
  });
}

/** Action item and snapshot changes, written straight into the cached review (no re-computation of the figures). */
export function useReviewMutations(org: string, team: string, week: string) {
  const client = useQueryClient();
  const key = reviewKey(org, team, week);
  const patchItems = (update: (items: ActionItemView[]) => ActionItemView[]) =>
    client.setQueryData<ReviewView>(key, (r) => r && { ...r, actionItems: update(r.actionItems), previousActionItems: update(r.previousActionItems) });

  const refresh = useMutation({
    mutationFn: async () => (await fetchJson<{ review: ReviewView }>(`${reviewPath(org, team, week)}/snapshot`, jsonInit('POST'))).review,
    onSuccess: (review) => client.setQueryData(key, review),
  });
  const add = useMutation({
    mutationFn: async (text: string) => (await fetchJson<{ actionItem: ActionItemView }>(`${reviewPath(org, team, week)}/action-items`, jsonInit('POST', { text }))).actionItem,
    onSuccess: (item) => client.setQueryData<ReviewView>(key, (r) => r && { ...r, actionItems: [...r.actionItems, item] }),
  });
  // Ticking shows at once (a checkbox must answer the click); a failure puts the box back.
  const setDone = useMutation({
    mutationFn: async ({ id, done }: { id: string; done: boolean }) =>
      (await fetchJson<{ actionItem: ActionItemView }>(`${teamPath(org, team)}/action-items/${id}`, jsonInit('PATCH', { done }))).actionItem,
    onMutate: ({ id, done }) => {
      const before = client.getQueryData<ReviewView>(key);
      patchItems((items) => items.map((i) => (i.id === id ? { ...i, done, doneAt: done ? new Date().toISOString() : null } : i)));
      return { before };
    },
    onError: (_error, _vars, context) => {
      if (context?.before) client.setQueryData(key, context.before);
    },
    onSuccess: (item) => patchItems((items) => items.map((i) => (i.id === item.id ? item : i))),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      await fetchJson<null>(`${teamPath(org, team)}/action-items/${id}`, { method: 'DELETE' });
      return id;
    },
    onSuccess: (id) => patchItems((items) => items.filter((i) => i.id !== id)),
  });
  return { refresh, add, setDone, remove };
}

export async function saveNotesRequest(org: string, team: string, week: string, notes: string, keepalive = false) {
  return fetchJson<{ notes: string; updatedAt: string }>(`${reviewPath(org, team, week)}/notes`, { ...jsonInit('PUT', { notes }), keepalive });
}
