'use client';

import { parseAsInteger, useQueryState } from 'nuqs';
import { useId, useState } from 'react';
import styles from './Annotations.module.css';
import { ComparePanel } from './ComparePanel.tsx';
import { useAnnotationMutations, useTeamAnnotations, type Annotation } from './useAnnotationList.ts';

export interface Viewer {
  userId: string;
  /** Admins and owners delete any annotation; members their own. */
  isAdmin: boolean;
}

export const COMPARE_WEEKS = [4, 8, 12, 26] as const;

/** "Nov 3, 2026" for a calendar date. */
export function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

export function AnnotationsPanelClient({
  org,
  team,
  today,
  viewer,
  minSamples,
}: {
  org: string;
  team: { slug: string; name: string };
  /** Today in the org's time zone, the form's default date. */
  today: string;
  viewer: Viewer | null;
  minSamples: number;
}) {
  const list = useTeamAnnotations(org, team.slug);
  const { create, remove } = useAnnotationMutations(org);
  const [selected, setSelected] = useQueryState('annotation');
  const [weeks, setWeeks] = useQueryState('compareWeeks', parseAsInteger.withDefault(8));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const ids = { heading: useId() };

  const canDelete = (a: Annotation) => viewer !== null && (viewer.isAdmin || a.createdById === viewer.userId);
  const scopeName = (a: Annotation) => (a.team === null ? 'Whole organization' : a.team === team.slug ? team.name : a.team);
  const chosen = list.data?.find((a) => a.id === selected) ?? null;

  return (
    <section className="card" aria-labelledby={ids.heading} data-testid="annotations-panel">
      <div className="card-head">
        <div>
          <h2 id={ids.heading}>Annotations: what changed, and did it help?</h2>
          <p className="muted">
            Mark a change (a new tool, a process change) on a date, for {team.name} or the whole organization. It shows on the chart, and picking it
            compares the weeks before with the weeks after.
          </p>
        </div>
      </div>

      <form
        className={styles.form}
        aria-label="Add an annotation"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          const description = String(data.get('description') ?? '').trim();
          const label = String(data.get('label') ?? '').trim();
          const date = String(data.get('date'));
          create.mutate(
            { date, label, ...(data.get('scope') === 'team' ? { teamSlug: team.slug } : {}), ...(description ? { description } : {}) },
            {
              onSuccess: (created) => {
                form.reset();
                void setSelected(created.id);
                setStatus(`Added “${created.label}” on ${longDate(created.date)}. Its before and after comparison is below.`);
              },
            },
          );
        }}
      >
        <label className={styles.field}>
          <span>Date</span>
          <input type="date" name="date" defaultValue={today} required />
        </label>
        <label className={styles.field}>
          <span>What changed</span>
          <input type="text" name="label" required maxLength={120} placeholder="e.g. adopted automated test harness" />
        </label>
        <label className={styles.field}>
          <span>Details (optional)</span>
          <input type="text" name="description" maxLength={2000} placeholder="What, who, how far rolled out" />
        </label>
        <div className={styles.formFoot}>
          <fieldset className={styles.scope}>
            <legend>Applies to</legend>
            <label>
              <input type="radio" name="scope" value="team" defaultChecked /> {team.name}
            </label>
            <label>
              <input type="radio" name="scope" value="org" /> Whole organization
            </label>
          </fieldset>
          <button className="button" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Adding…' : 'Add annotation'}
          </button>
        </div>
      </form>
      {create.error && (
        <p className="banner error" role="alert">
          Could not add the annotation: {create.error.message}
        </p>
      )}
      {remove.error && (
        <p className="banner error" role="alert">
          Could not delete the annotation: {remove.error.message}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>

      {list.isPending && (
        <div aria-busy="true" data-testid="annotations-loading">
          <span className="visually-hidden">Loading annotations…</span>
          {[0, 1, 2].map((i) => (
            <span key={i} className="skeleton wide" style={{ height: '1.9rem' }} />
          ))}
        </div>
      )}
      {list.error && (
        <div className="banner error" role="alert">
          Could not load the annotations: {list.error.message}{' '}
          <button type="button" className="small" onClick={() => list.refetch()}>
            Retry
          </button>
        </div>
      )}
      {list.data && list.data.length === 0 && (
        <p className={styles.empty} data-testid="annotations-empty">
          No annotations yet. Add the first change above (for example the day an AI tool or a test harness rolled out) to compare the weeks
          before it with the weeks after.
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <table className={`list ${styles.table}`} data-testid="annotations-list">
          <caption className="visually-hidden">Annotations of {team.name} and of the whole organization, by date</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Change</th>
              <th scope="col">Applies to</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((a) => (
              <tr key={a.id} className={a.id === selected ? styles.selected : undefined} data-annotation={a.id}>
                <td className="nowrap"><time dateTime={a.date}>{longDate(a.date)}</time></td>
                <td>
                  <strong>{a.label}</strong>
                  {a.description && <span className={styles.description}>{a.description}</span>}
                </td>
                <td>{a.team === null ? <span className="badge">Whole organization</span> : scopeName(a)}</td>
                <td className={styles.actions}>
                  <button type="button" className="small" aria-pressed={a.id === selected} onClick={() => void setSelected(a.id === selected ? null : a.id)}>
                    {a.id === selected ? 'Hide before/after' : 'Before/after'}
                    <span className="visually-hidden"> of {a.label}</span>
                  </button>
                  {canDelete(a) &&
                    (confirming === a.id ? (
                      <span className={styles.confirm}>
                        <button
                          type="button"
                          className="small"
                          onClick={() =>
                            remove.mutate(a.id, {
                              onSuccess: () => {
                                setConfirming(null);
                                if (selected === a.id) void setSelected(null);
                                setStatus(`Deleted “${a.label}”.`);
                              },
                            })
                          }
                          disabled={remove.isPending}
                        >
                          Confirm delete<span className="visually-hidden"> of {a.label}</span>
                        </button>
                        <button type="button" className="small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="small" onClick={() => setConfirming(a.id)}>
                        Delete<span className="visually-hidden"> {a.label}</span>
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {selected && list.data && !chosen && (
        <p className="muted">The annotation in the link no longer exists.</p>
      )}
      {chosen && (
        <ComparePanel
          org={org}
          team={team}
          annotation={chosen}
          weeks={weeks}
          weekChoices={COMPARE_WEEKS}
          onWeeks={(w) => void setWeeks(w === 8 ? null : w)}
          minSamples={minSamples}
        />
      )}
    </section>
  );
}
