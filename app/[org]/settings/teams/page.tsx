import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { TeamsPanel } from '@/components/settings/TeamsPanel.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeamSummaries } from '@/lib/orgs/team-admin.ts';

export const dynamic = 'force-dynamic';

export default async function TeamsSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const teams = await listTeamSummaries({ orgId: org.id });
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Teams</h1>
        <TeamsPanel org={org.slug} teams={teams} />
      </main>
    </>
  );
}
