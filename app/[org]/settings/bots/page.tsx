import { BotsPanel } from '@/components/settings/BotsPanel.tsx';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function BotsSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const teams = await listTeams({ orgId: org.id });
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Bots</h1>
        <BotsPanel org={org.slug} />
      </main>
    </>
  );
}
