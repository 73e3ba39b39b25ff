'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PersonSummary } from '@/lib/orgs/people-schemas.ts';
import { IdentityList } from './IdentityList.tsx';
import { PersonPicker } from './PersonPicker.tsx';
import { peopleKey, usePeople } from './usePeople.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** The people marked as bots, to review and unmark, and a search to mark another. */
export function BotsPanel({ org }: { org: string }) {
  const bots = usePeople(org, { kind: 'bots', limit: 200 });
  const queryClient = useQueryClient();
  const setBot = useSettingsMutation<{ person: PersonSummary }>(org);
  const [picked, setPicked] = useState<PersonSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mark = (p: PersonSummary, isBot: boolean) =>
    setBot.mutate(
      { path: `people/${encodeURIComponent(p.id)}`, method: 'PATCH', body: { isBot } },
      {
        onSuccess: () => {
          setNotice(isBot ? `${p.displayName} is now a bot: left out of every metric.` : `${p.displayName} is no longer a bot: their work counts again.`);
          setPicked(null);
          void queryClient.invalidateQueries({ queryKey: peopleKey(org) });
        },
      },
    );
  const list = bots.data?.people ?? [];
  return (
    <>
      <section className="card" aria-labelledby="mark-bot">
        <h2 id="mark-bot">Mark a bot</h2>
        <p className="muted">
          Bots (dependabot, renovate, release scripts…) are left out of every metric: their pull requests, commits and reviews do not count, nor
          tickets whose last pull request they wrote. A change applies to all weeks at once; dashboards follow within a minute or two.
        </p>
        <div className="inline-form">
          <PersonPicker org={org} kind="engineers" label="Person to mark as a bot" value={picked} onChange={setPicked} />
          {picked && <button type="button" className="button" disabled={setBot.isPending} onClick={() => mark(picked, true)}>Mark {picked.displayName} as a bot</button>}
        </div>
      </section>
      <section className="card" aria-labelledby="bots">
        <h2 id="bots">Bots</h2>
        {notice && <p className="banner" role="status">{notice}</p>}
        {setBot.error && <p className="banner error" role="alert">{setBot.error.message}</p>}
        {bots.error && (
          <p className="banner error" role="alert">
            Could not load the bots: {bots.error.message} <button type="button" className="small" onClick={() => void bots.refetch()}>Retry</button>
          </p>
        )}
        <table className="list">
          <thead><tr><th>Name</th><th>Identities</th><th>Activity left out</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.id}>
                <td><strong>{p.displayName}</strong></td>
                <td><IdentityList identities={p.identities} /></td>
                <td>{p.activity.pullRequests} PRs · {p.activity.commits} commits · {p.activity.reviews} reviews</td>
                <td className="nowrap"><button type="button" className="small" disabled={setBot.isPending} onClick={() => mark(p, false)} aria-label={`${p.displayName} is not a bot`}>Not a bot</button></td>
              </tr>
            ))}
            {bots.isPending &&
              [0, 1, 2].map((i) => (
                <tr key={i} aria-hidden="true"><td><span className="skeleton" /></td><td><span className="skeleton" /></td><td><span className="skeleton" /></td><td /></tr>
              ))}
            {bots.data && list.length === 0 && <tr><td colSpan={4} className="muted">No one is marked as a bot. Search above for dependabot, renovate or your CI user to leave them out of the metrics.</td></tr>}
          </tbody>
        </table>
        {bots.data && bots.data.total > list.length && <p className="muted">Showing {list.length} of {bots.data.total} bots.</p>}
      </section>
    </>
  );
}
