import Link from 'next/link';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { TeamMembersPanel } from '@/components/settings/TeamMembersPanel.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { listTeamMemberships } from '@/lib/orgs/team-admin.ts';
import { listTeams } from '@/lib/orgs/teams.ts';
import { formatIsoDate, localDate } from '@/lib/metrics/weeks.ts';

export const dynamic = 'force-dynamic';

export default async function TeamMembersSettingsPage({ params }: { params: Promise<{ org: string; team: string }> }) {
  const { org: slug, team: teamSlug } = await params;
  const { org } = await getOrgForPage(slug, 'admin');
  const team = await getTeamForPage(org.id, teamSlug);
  const [teams, memberships] = await Promise.all([listTeams({ orgId: org.id }), listTeamMemberships({ org, teamId: team.id })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <p className="muted"><Link href={`/${org.slug}/settings/teams`}>← All teams</Link></p>
        <h1>{team.name}: members</h1>
        <p className="muted">
          Who was in {team.name} when. <Link href={`/${org.slug}/teams/${team.slug}`}>Open the {team.name} dashboard</Link>
        </p>
        <TeamMembersPanel
          org={org.slug}
          team={{ id: team.id, name: team.name }}
          memberships={memberships}
          today={formatIsoDate(localDate(new Date(), org.timeZone))}
          timeZone={org.timeZone}
        />
      </main>
    </>
  );
}
