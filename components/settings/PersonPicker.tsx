'use client';

import { useId, useState } from 'react';
import type { PersonSummary } from '@/lib/orgs/people-schemas.ts';
import { IdentityList } from './IdentityList.tsx';
import styles from './PersonPicker.module.css';
import { useDebouncedValue } from './useDebouncedValue.ts';
import { usePeople } from './usePeople.ts';

/** Pick one person by searching names, emails and logins (orgs have hundreds). */
export function PersonPicker({ org, value, onChange, label = 'Person', kind = 'all' }: { org: string; value: PersonSummary | null; onChange: (p: PersonSummary | null) => void; label?: string; kind?: 'all' | 'engineers' | 'bots' }) {
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim());
  const people = usePeople(org, { q, kind, limit: 8 });
  const id = useId();
  if (value) {
    return (
      <div className={styles.chosen}>
        <span className={styles.label}>{label}</span>
        <span>
          <strong>{value.displayName}</strong>
          {value.isBot && <span className="tag">bot</span>}
          {value.email && <span className="muted-inline"> {value.email}</span>}
        </span>
        <button type="button" className="small" onClick={() => onChange(null)}>Change</button>
      </div>
    );
  }
  return (
    <div className={styles.picker}>
      <label htmlFor={id} className={styles.label}>{label}</label>
      <input id={id} type="search" placeholder="Search by name, email or login" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      {text.trim() !== '' && (
        <ul className={styles.results} aria-label="Matching people">
          {people.data?.people.map((p) => (
            <li key={p.id}>
              <button type="button" className="small" onClick={() => onChange(p)} aria-label={`Choose ${p.displayName}`}>Choose</button>
              <strong>{p.displayName}</strong>
              {p.isBot && <span className="tag">bot</span>}
              <IdentityList identities={p.identities} />
            </li>
          ))}
          {people.data && people.data.people.length === 0 && <li className="muted-inline">No one matches “{text.trim()}”.</li>}
          {people.error && <li className="error-text" role="alert">{people.error.message}</li>}
        </ul>
      )}
    </div>
  );
}
