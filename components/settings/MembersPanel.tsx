'use client';

import { useSettingsMutation } from './useSettingsMutation.ts';

interface MemberRow {
  userId: string;
  email: string | null;
  name: string | null;
  role: 'owner' | 'admin' | 'member';
}

export function MembersPanel({ org, members, currentUserId }: { org: string; members: MemberRow[]; currentUserId: string | null }) {
  const change = useSettingsMutation(org);
  return (
    <section className="card" aria-labelledby="members">
      <h2 id="members">Members and roles</h2>
      <p className="muted">Members read dashboards and write weekly-review notes; admins also manage sign-in, teams, repositories, tokens and webhooks; owners also manage owners.</p>
      <table className="list">
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th /></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.name ?? '—'}{m.userId === currentUserId ? ' (you)' : ''}</td>
              <td>{m.email}</td>
              <td>
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  onChange={(e) => change.mutate({ path: `members/${m.userId}`, method: 'PATCH', body: { role: e.target.value } })}
                >
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                  <option value="owner">owner</option>
                </select>
              </td>
              <td>
                <button type="button" className="small" onClick={() => change.mutate({ path: `members/${m.userId}/sessions`, method: 'DELETE' })}>End sessions</button>{' '}
                <button type="button" className="small" onClick={() => change.mutate({ path: `members/${m.userId}`, method: 'DELETE' })}>Remove</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {change.error && <p className="banner error" role="alert">{change.error.message}</p>}
    </section>
  );
}
