'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { TeamSummary } from '@/lib/orgs/team-schemas.ts';
import styles from './TeamsPanel.module.css';
import { useSettingsMutation } from './useSettingsMutation.ts';

type Created = { team: { id: string; slug: string; name: string } };

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The org's teams: create, rename, delete; each links to its members. */
export function TeamsPanel({ org, teams }: { org: string; teams: TeamSummary[] }) {
  const create = useSettingsMutation<Created>(org);
  const rename = useSettingsMutation(org);
  const remove = useSettingsMutation(org);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<TeamSummary | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const base = `/${encodeURIComponent(org)}/settings/teams`;
  const error = create.error ?? rename.error ?? remove.error;
  return (
    <section className="card" aria-labelledby="teams">
      <h2 id="teams">All teams</h2>
      <p className="muted">
        A change counts for its author&apos;s team on the day it happened (dated memberships), else for its repository&apos;s default team. Open a team
        to add people from a date or end their membership.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          create.mutate(
            { path: 'teams', method: 'POST', body: { name } },
            { onSuccess: (r) => { setName(''); setDone(r.team.slug); } },
          );
        }}
      >
        <label htmlFor="new-team-name" className="visually-hidden">New team name</label>
        <input id="new-team-name" placeholder="New team name, e.g. Mobile apps" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
        <button className="button" type="submit" disabled={create.isPending}>Create team</button>
      </form>
      {done && create.data && (
        <p className="banner" role="status">
          Created {create.data.team.name}. <Link href={`${base}/${done}`}>Add its members</Link>
        </p>
      )}
      {error && <p className="banner error" role="alert">{error.message}</p>}
      {deleting && (
        <div className="confirm" role="group" aria-label={`Delete ${deleting.name}`}>
          {deleting.weeklyReviews + deleting.annotations > 0 ? (
            <span>
              {deleting.name} has {[deleting.weeklyReviews && plural(deleting.weeklyReviews, 'weekly review'), deleting.annotations && plural(deleting.annotations, 'annotation')].filter(Boolean).join(' and ')}{' '}
              that deleting it would lose: rename it instead.
            </span>
          ) : (
            <>
              <span>
                Delete <strong>{deleting.name}</strong>? Its memberships are removed and {plural(deleting.repositories, 'repository', 'repositories')} lose
                their default team; its work then counts for the whole org only. This cannot be undone.
              </span>
              <button
                type="button"
                className="button"
                disabled={remove.isPending}
                onClick={() => remove.mutate({ path: `teams/${encodeURIComponent(deleting.id)}`, method: 'DELETE' }, { onSuccess: () => setDeleting(null) })}
              >
                Delete team
              </button>
            </>
          )}
          <button type="button" className="small" onClick={() => setDeleting(null)}>Cancel</button>
        </div>
      )}
      <table className="list">
        <thead><tr><th>Team</th><th>Members now</th><th>Repositories</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {teams.map((t) => (
            <tr key={t.id}>
              <td>
                {renaming?.id === t.id ? (
                  <form
                    className={styles.rename}
                    onSubmit={(e) => {
                      e.preventDefault();
                      rename.mutate({ path: `teams/${encodeURIComponent(t.id)}`, method: 'PATCH', body: { name: renaming.name } }, { onSuccess: () => setRenaming(null) });
                    }}
                  >
                    <input aria-label={`New name for ${t.name}`} value={renaming.name} onChange={(e) => setRenaming({ id: t.id, name: e.target.value })} required maxLength={80} autoFocus />
                    <button type="submit" className="small" disabled={rename.isPending}>Save</button>
                    <button type="button" className="small" onClick={() => setRenaming(null)}>Cancel</button>
                  </form>
                ) : (
                  <>
                    <Link href={`${base}/${t.slug}`} className={styles.name}>{t.name}</Link>
                    <div className="muted">/{t.slug}</div>
                  </>
                )}
              </td>
              <td>{t.currentMembers}</td>
              <td>{t.repositories}</td>
              <td className="nowrap">
                <div className={styles.actions}>
                <Link className="small-link" href={`${base}/${t.slug}`} aria-label={`Members of ${t.name}`}>Members</Link>
                <button type="button" className="small" onClick={() => { rename.reset(); setRenaming({ id: t.id, name: t.name }); }} aria-label={`Rename ${t.name}`}>Rename</button>
                <button type="button" className="small" onClick={() => { remove.reset(); setDeleting(t); }} aria-label={`Delete ${t.name}`}>Delete</button>
                </div>
              </td>
            </tr>
          ))}
          {teams.length === 0 && (
            <tr><td colSpan={4} className="muted">No teams yet. Create one above, then add its people from the date they joined and set which repositories it owns.</td></tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
