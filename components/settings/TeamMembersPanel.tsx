'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { PersonSummary } from '@/lib/orgs/people-schemas.ts';
import type { MembershipRow } from '@/lib/orgs/team-schemas.ts';
import { formatDay } from './format-day.ts';
import { MembershipHistory } from './MembershipHistory.tsx';
import { PersonPicker } from './PersonPicker.tsx';
import styles from './TeamMembersPanel.module.css';
import { membershipsKey, useMembershipHistory } from './useMembershipHistory.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

type Editing = { id: string; mode: 'end' | 'edit'; from: string; to: string };

const dayBefore = (day: string) => new Date(new Date(`${day}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);

function status(m: MembershipRow, today: string) {
  if (m.current) return <span className="badge ok">current</span>;
  if (m.from > today) return <span className="badge warn">starts {formatDay(m.from)}</span>;
  return <span className="badge">past</span>;
}

/** Who is in a team when: add a person from a day, end or correct a membership, see a person's history. */
export function TeamMembersPanel({ org, team, memberships, today, timeZone }: { org: string; team: { id: string; name: string }; memberships: MembershipRow[]; today: string; timeZone: string }) {
  const queryClient = useQueryClient();
  const add = useSettingsMutation<{ membership: MembershipRow; endedIn: string[] }>(org);
  const change = useSettingsMutation(org);
  const [person, setPerson] = useState<PersonSummary | null>(null);
  const [from, setFrom] = useState(today);
  const [endCurrent, setEndCurrent] = useState(true);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [removing, setRemoving] = useState<MembershipRow | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A new key empties the person search after each add.
  const [pickerKey, setPickerKey] = useState(0);
  const chosenHistory = useMembershipHistory(org, person?.id ?? null);
  const path = `teams/${encodeURIComponent(team.id)}/memberships`;
  const refreshHistories = () => void queryClient.invalidateQueries({ queryKey: membershipsKey(org) });
  const elsewhere = (chosenHistory.data?.memberships ?? []).filter((m) => m.teamId !== team.id && m.from < from && (m.to === null || m.to >= from));
  const current = memberships.filter((m) => m.current).length;

  return (
    <>
      <section className="card" aria-labelledby="add-member">
        <h2 id="add-member">Add a person to {team.name}</h2>
        <p className="muted">
          Their changes count for {team.name} from the first day (in the org time zone, {timeZone}); the weeks affected are recomputed, so dashboards
          follow within a minute.
        </p>
        <form
          className={styles.addForm}
          onSubmit={(e) => {
            e.preventDefault();
            if (!person) return;
            setNotice(null);
            add.mutate(
              { path, method: 'POST', body: { personId: person.id, from, endCurrent } },
              {
                onSuccess: (r) => {
                  setNotice(`Added ${r.membership.personName} from ${formatDay(r.membership.from)}.${r.endedIn.length ? ` Their membership of ${r.endedIn.join(', ')} now ends on ${formatDay(dayBefore(r.membership.from))}.` : ''}`);
                  setPerson(null);
                  setPickerKey((k) => k + 1);
                  refreshHistories();
                },
              },
            );
          }}
        >
          <PersonPicker key={pickerKey} org={org} value={person} onChange={(p) => { add.reset(); setPerson(p); }} />
          <label className={styles.field}>
            First day
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={endCurrent} onChange={(e) => setEndCurrent(e.target.checked)} />
            <span>End their membership of other teams the day before (a move)</span>
          </label>
          {person && elsewhere.length > 0 && (
            <p className="muted" role="status">
              {person.displayName} is in {elsewhere.map((m) => `${m.teamName} (since ${formatDay(m.from)})`).join(', ')} on that day
              {endCurrent ? `: that membership will end on ${formatDay(dayBefore(from))}.` : ': they will count for the team they joined last.'}
            </p>
          )}
          <div>
            <button className="button" type="submit" disabled={!person || add.isPending}>Add to {team.name}</button>
            {!person && <span className="muted-inline"> Choose a person first.</span>}
          </div>
        </form>
        {notice && <p className="banner" role="status">{notice}</p>}
        {add.error && <p className="banner error" role="alert">{add.error.message}</p>}
      </section>

      <section className="card" aria-labelledby="memberships">
        <h2 id="memberships">Memberships</h2>
        <p className="muted">
          {current} {current === 1 ? 'person is' : 'people are'} in {team.name} today. Past memberships stay: they decide which team a change counted
          for on the day it happened. End a membership on the person&apos;s last day; remove one only if it was entered by mistake.
        </p>
        {change.error && <p className="banner error" role="alert">{change.error.message}</p>}
        {removing && (
          <div className="confirm" role="group" aria-label={`Remove ${removing.personName}'s membership`}>
            <span>
              Remove {removing.personName}&apos;s membership ({formatDay(removing.from)} – {removing.to ? formatDay(removing.to) : 'now'}) as if it never
              was? To record that they left, end it instead.
            </span>
            <button
              type="button"
              className="button"
              disabled={change.isPending}
              onClick={() => change.mutate({ path: `${path}/${encodeURIComponent(removing.id)}`, method: 'DELETE' }, { onSuccess: () => { setRemoving(null); refreshHistories(); } })}
            >
              Remove membership
            </button>
            <button type="button" className="small" onClick={() => setRemoving(null)}>Cancel</button>
          </div>
        )}
        <table className="list">
          <thead><tr><th>Person</th><th>First day</th><th>Last day</th><th>Status</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {memberships.map((m) => (
              <Fragment key={m.id}>
                <tr>
                  <td>
                    <strong>{m.personName}</strong>
                    {m.isBot && <span className="tag">bot</span>}
                  </td>
                  {editing?.id === m.id ? (
                    <td colSpan={3}>
                      <form
                        className={styles.editForm}
                        onSubmit={(e) => {
                          e.preventDefault();
                          const body = editing.mode === 'end' ? { to: editing.to } : { from: editing.from, to: editing.to === '' ? null : editing.to };
                          change.mutate({ path: `${path}/${encodeURIComponent(m.id)}`, method: 'PATCH', body }, { onSuccess: () => { setEditing(null); refreshHistories(); } });
                        }}
                      >
                        {editing.mode === 'edit' && (
                          <label className={styles.field}>
                            First day
                            <input type="date" value={editing.from} onChange={(e) => setEditing({ ...editing, from: e.target.value })} required />
                          </label>
                        )}
                        <label className={styles.field}>
                          Last day{editing.mode === 'edit' && <span className="muted-inline"> (empty: still a member)</span>}
                          <input type="date" value={editing.to} min={editing.from} onChange={(e) => setEditing({ ...editing, to: e.target.value })} required={editing.mode === 'end'} />
                        </label>
                        <button type="submit" className="button" disabled={change.isPending}>{editing.mode === 'end' ? 'End membership' : 'Save dates'}</button>
                        <button type="button" className="small" onClick={() => setEditing(null)}>Cancel</button>
                      </form>
                    </td>
                  ) : (
                    <>
                      <td><time dateTime={m.from}>{formatDay(m.from)}</time></td>
                      <td>{m.to ? <time dateTime={m.to}>{formatDay(m.to)}</time> : <span className="muted-inline">still a member</span>}</td>
                      <td>{status(m, today)}</td>
                    </>
                  )}
                  <td className="nowrap">
                    <div className={styles.actions}>
                      {m.to === null && (
                        <button type="button" className="small" aria-label={`End ${m.personName}'s membership`} onClick={() => { change.reset(); setEditing({ id: m.id, mode: 'end', from: m.from, to: today < m.from ? m.from : today }); }}>End…</button>
                      )}
                      <button type="button" className="small" aria-label={`Edit the dates of ${m.personName}'s membership`} onClick={() => { change.reset(); setEditing({ id: m.id, mode: 'edit', from: m.from, to: m.to ?? '' }); }}>Edit dates</button>
                      <button type="button" className="small" aria-label={`Remove ${m.personName}'s membership`} onClick={() => { change.reset(); setRemoving(m); }}>Remove</button>
                      <button type="button" className="small" aria-expanded={open === m.id} aria-label={`Team history of ${m.personName}`} onClick={() => setOpen(open === m.id ? null : m.id)}>History</button>
                    </div>
                  </td>
                </tr>
                {open === m.id && (
                  <tr className={styles.historyRow}>
                    <td colSpan={5}><MembershipHistory org={org} personId={m.personId} personName={m.personName} /></td>
                  </tr>
                )}
              </Fragment>
            ))}
            {memberships.length === 0 && (
              <tr><td colSpan={5} className="muted">No one in {team.name} yet. Add people above from the day they joined; until then their work counts for each repository&apos;s default team.</td></tr>
            )}
          </tbody>
        </table>
      </section>
    </>
  );
}
