'use client';

import { useState } from 'react';
import type { RepositoryRow } from '@/lib/orgs/team-schemas.ts';
import styles from './RepositoriesPanel.module.css';
import { useSettingsMutation } from './useSettingsMutation.ts';

/** Each repository's default team, changed in place (saved on selection). */
export function RepositoriesPanel({ org, repositories, teams }: { org: string; repositories: RepositoryRow[]; teams: { id: string; name: string }[] }) {
  const save = useSettingsMutation<{ repository: RepositoryRow }>(org);
  const [text, setText] = useState('');
  const [unassignedOnly, setUnassignedOnly] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const q = text.trim().toLowerCase();
  const shown = repositories.filter((r) => (!q || r.fullName.toLowerCase().includes(q)) && (!unassignedOnly || r.defaultTeamId === null));
  const unassigned = repositories.filter((r) => r.defaultTeamId === null).length;
  const teamName = (id: string | null) => teams.find((t) => t.id === id)?.name ?? 'no team';
  return (
    <section className="card" aria-labelledby="repositories">
      <h2 id="repositories">Repositories and their teams</h2>
      <p className="muted">
        A change counts for its author&apos;s team at the time; when the author is in no team then (a contractor, someone not yet added), it counts
        for the repository&apos;s default team. Changing one recomputes every week, so dashboards take a minute or two to follow.
      </p>
      {repositories.length > 0 && (
        <div className="inline-form">
          <input type="search" aria-label="Filter repositories" placeholder="Filter by owner or name" value={text} onChange={(e) => setText(e.target.value)} />
          <label>
            <input type="checkbox" checked={unassignedOnly} onChange={(e) => setUnassignedOnly(e.target.checked)} /> Only without a default team ({unassigned})
          </label>
        </div>
      )}
      <p className={styles.status} role="status">{saved}</p>
      {save.error && <p className="banner error" role="alert">{save.error.message}</p>}
      <table className="list">
        <thead><tr><th>Repository</th><th>Provider</th><th>Default team</th></tr></thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id}>
              <td>{r.url ? <a href={r.url} target="_blank" rel="noreferrer">{r.fullName}</a> : r.fullName}</td>
              <td>{r.provider === 'github' ? 'GitHub' : r.provider === 'gitlab' ? 'GitLab' : 'git'}</td>
              <td>
                <select
                  className={styles.select}
                  aria-label={`Default team of ${r.fullName}`}
                  value={r.defaultTeamId ?? ''}
                  disabled={save.isPending}
                  onChange={(e) => {
                    const defaultTeamId = e.target.value === '' ? null : e.target.value;
                    setSaved(null);
                    save.mutate(
                      { path: `repositories/${encodeURIComponent(r.id)}`, method: 'PATCH', body: { defaultTeamId } },
                      { onSuccess: () => setSaved(`Saved: ${r.fullName} now counts for ${teamName(defaultTeamId)}.`) },
                    );
                  }}
                >
                  <option value="">No default team (org only)</option>
                  {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                </select>
              </td>
            </tr>
          ))}
          {repositories.length === 0 && (
            <tr><td colSpan={3} className="muted">No repositories yet. They appear when a GitHub or GitLab webhook, a backfill or a git import brings in their first change (Settings → Data sources).</td></tr>
          )}
          {repositories.length > 0 && shown.length === 0 && <tr><td colSpan={3} className="muted">No repository matches the filter.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
