import Link from 'next/link';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function OrgPage({ params }: { params: Promise<{ org: string }> }) {
  const { org, actor } = await getOrgForPage((await params).org);
  const teams = await listTeams({ orgId: org.id });
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin={actor.kind === 'user' && actor.role !== 'member'} />
      <main>
        {org.isDemo && (
          <p className="banner">
            This is a demo organization with generated data. To see your own teams, connect your repositories and trackers
            (see the README, “Connect real data”).
          </p>
        )}
        <h1>{org.name}</h1>
        <p className="muted">Pick a team to see its AI generation volume against ticket-to-merge cycle time.</p>
        <ul className="teams">
          {teams.map((t) => (
            <li key={t.slug}>
              <Link href={`/${org.slug}/teams/${t.slug}`}>
                <strong>{t.name}</strong>
                <span className="muted">Weekly generation vs cycle time →</span>
              </Link>
            </li>
          ))}
        </ul>
        {teams.length === 0 && <p>No teams yet.</p>}
      </main>
    </>
  );
}
