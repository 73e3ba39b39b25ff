import { Suspense } from 'react';
import { TeamDashboard } from '@/components/metrics/TeamDashboard.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function TeamPage({ params }: { params: Promise<{ org: string; team: string }> }) {
  const { org: orgSlug, team: teamSlug } = await params;
  const { org, actor } = await getOrgForPage(orgSlug);
  const [team, teams] = await Promise.all([getTeamForPage(org.id, teamSlug), listTeams({ orgId: org.id })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} currentTeam={team.slug} isAdmin={actor.kind === 'user' && actor.role !== 'member'} />
      <main>
        <h1>{team.name}</h1>
        <p className="muted">Weeks start on Monday ({org.timeZone}). Definitions: docs/metrics.md.</p>
        <Suspense>
          <TeamDashboard org={org.slug} team={{ slug: team.slug, name: team.name }} timeZone={org.timeZone} />
        </Suspense>
      </main>
    </>
  );
}
