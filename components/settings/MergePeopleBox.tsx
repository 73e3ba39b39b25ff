'use client';

import { useState } from 'react';
import type { PersonSummary } from '@/lib/orgs/people-schemas.ts';
import { IdentityList } from './IdentityList.tsx';
import { useDebouncedValue } from './useDebouncedValue.ts';
import { usePeople } from './usePeople.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** Merges `from` into a person the admin searches for, after a confirmation naming both. */
export function MergePeopleBox({ org, from, onDone, onCancel }: { org: string; from: PersonSummary; onDone: (into: PersonSummary) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [into, setInto] = useState<PersonSummary | null>(null);
  const q = useDebouncedValue(text.trim());
  const candidates = usePeople(org, { q, limit: 8 });
  const merge = useSettingsMutation(org);
  const moved = `${from.identities.length} ${from.identities.length === 1 ? 'identity' : 'identities'}, ${from.activity.pullRequests} pull requests, ${from.activity.commits} commits, ${from.activity.reviews} reviews`;
  return (
    <div className="merge-box" role="group" aria-labelledby="merge-title">
      <h3 id="merge-title">Merge {from.displayName} into another person</h3>
      <p className="muted">
        Use this when two entries are one engineer. Everything of {from.displayName} ({moved}, plus team memberships, tickets and AI usage) moves to the
        person you keep, then {from.displayName} is deleted. The kept person&apos;s name and bot flag stay. This cannot be undone.
      </p>
      {into === null ? (
        <>
          <input type="search" aria-label="Search the person to keep" placeholder="Person to keep: name, email or login" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
          <ul className="candidates">
            {candidates.data?.people
              .filter((p) => p.id !== from.id)
              .map((p) => (
                <li key={p.id}>
                  <button type="button" className="small" onClick={() => setInto(p)} aria-label={`Keep ${p.displayName}`}>Keep this one</button>{' '}
                  <strong>{p.displayName}</strong>{p.isBot && <span className="tag">bot</span>} <IdentityList identities={p.identities} />
                </li>
              ))}
          </ul>
          <button type="button" className="small" onClick={onCancel}>Cancel</button>
        </>
      ) : (
        <p className="confirm">
          <span>Merge <strong>{from.displayName}</strong> into <strong>{into.displayName}</strong>?</span>
          <button
            type="button"
            className="button"
            disabled={merge.isPending}
            onClick={() => merge.mutate({ path: 'people/merge', method: 'POST', body: { into: into.id, from: from.id } }, { onSuccess: () => onDone(into) })}
          >
            Merge
          </button>
          <button type="button" className="small" onClick={() => setInto(null)} disabled={merge.isPending}>Back</button>
          <button type="button" className="small" onClick={onCancel} disabled={merge.isPending}>Cancel</button>
        </p>
      )}
      {merge.error && <p className="banner error" role="alert">{merge.error.message}</p>}
    </div>
  );
}
