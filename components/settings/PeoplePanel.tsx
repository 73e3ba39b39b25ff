'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PeopleQuery, PersonSummary } from '@/lib/orgs/people-schemas.ts';
import { IdentityList } from './IdentityList.tsx';
import { MergePeopleBox } from './MergePeopleBox.tsx';
import { useDebouncedValue } from './useDebouncedValue.ts';
import { peopleKey, usePeople } from './usePeople.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

export function PeoplePanel({ org }: { org: string }) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<PeopleQuery['kind']>('all');
  const [merging, setMerging] = useState<PersonSummary | null>(null);
  const [merged, setMerged] = useState<string | null>(null);
  const q = useDebouncedValue(text.trim());
  const people = usePeople(org, { q, kind });
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: peopleKey(org) });
  const setBot = useSettingsMutation<{ person: PersonSummary }>(org);
  const shown = people.data?.people ?? [];
  return (
    <section className="card" aria-labelledby="people">
      <h2 id="people">People</h2>
      <p className="muted">
        Everyone whose work was ingested, with the tool accounts that map to them. Ingestion creates a new person for an account it cannot match (a
        laptop commit email, say): merge it into the engineer it belongs to.
      </p>
      <p className="muted">
        <strong>Bot</strong>: people marked as bots (dependabot, renovate, github-actions…) are left out of every metric: their pull requests and commits
        do not count, nor tickets whose last pull request they wrote. A change applies to all weeks at once.
      </p>
      <div className="inline-form">
        <input type="search" aria-label="Search people" placeholder="Search by name, email or login" value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="Show" value={kind} onChange={(e) => setKind(e.target.value as PeopleQuery['kind'])}>
          <option value="all">Everyone</option>
          <option value="engineers">Engineers only</option>
          <option value="bots">Bots only</option>
        </select>
        {people.data && (
          <span className="muted" role="status" data-testid="people-count">
            {people.data.total > shown.length ? `Showing ${shown.length} of ${people.data.total}: narrow the search to see others.` : `${people.data.total} ${people.data.total === 1 ? 'person' : 'people'}`}
          </span>
        )}
      </div>
      {merged && <p className="banner" role="status">{merged}</p>}
      {merging && (
        <MergePeopleBox
          key={merging.id}
          org={org}
          from={merging}
          onCancel={() => setMerging(null)}
          onDone={(into) => {
            setMerged(`Merged ${merging.displayName} into ${into.displayName}.`);
            setMerging(null);
            void refresh();
          }}
        />
      )}
      {people.error && <p className="banner error" role="alert">{people.error.message}</p>}
      {setBot.error && <p className="banner error" role="alert">{setBot.error.message}</p>}
      <table className="list">
        <thead><tr><th>Name</th><th>Identities</th><th>Activity</th><th>Bot</th><th /></tr></thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.id}>
              <td>
                <strong>{p.displayName}</strong>
                {p.email && <div className="muted">{p.email}</div>}
              </td>
              <td><IdentityList identities={p.identities} /></td>
              <td>{p.activity.pullRequests} PRs · {p.activity.commits} commits · {p.activity.reviews} reviews</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${p.displayName} is a bot`}
                  checked={p.isBot}
                  disabled={setBot.isPending}
                  onChange={(e) => setBot.mutate({ path: `people/${encodeURIComponent(p.id)}`, method: 'PATCH', body: { isBot: e.target.checked } }, { onSuccess: () => void refresh() })}
                />
              </td>
              <td className="nowrap">
                <button type="button" className="small" onClick={() => { setMerged(null); setMerging(p); }} aria-label={`Merge ${p.displayName} into…`}>Merge into…</button>
              </td>
            </tr>
          ))}
          {people.data && shown.length === 0 && <tr><td colSpan={5} className="muted">No one matches.</td></tr>}
          {people.isPending && <tr><td colSpan={5} className="muted">Loading…</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
