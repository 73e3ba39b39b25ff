import { Suspense } from 'react';
import { AnnotationsPanel } from '@/components/annotations/AnnotationsPanel.tsx';
import { TeamDashboard } from '@/components/team/TeamDashboard.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function TeamPage({ params }: { params: Promise<{ org: string; team: string }> }) {
  const { org: orgSlug, team: teamSlug } = await params;
  const { org, actor } = await getOrgForPage(orgSlug);
  const [team, teams] = await Promise.all([getTeamForPage(org.id, teamSlug), listTeams({ orgId: org.id })]);
  const isAdmin = actor.kind === 'user' && actor.role !== 'member';
  return (
    <>
      <OrgHeader org={org} teams={teams} currentTeam={team.slug} isAdmin={isAdmin} />
      <main>
        <h1>{team.name}</h1>
        <p className="muted"><a href={`/${org.slug}/teams/${team.slug}/review`}>Weekly review mode →</a> the last complete week, frozen for the team meeting</p>
        <p className="muted">
          Per ISO week (Monday start, {org.timeZone}): AI generation against ticket-to-merge cycle time and delivered work. Click a bar or point
          for the pull requests, tickets or commits behind it. Definitions: docs/metrics.md.
        </p>
        <Suspense>
          <TeamDashboard org={org.slug} team={{ slug: team.slug, name: team.name }} timeZone={org.timeZone} isAdmin={isAdmin} />
        </Suspense>
        <AnnotationsPanel org={org.slug} team={team.slug} />
      </main>
    </>
  );
}
