import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { RawLogRetention } from '@/components/settings/RawLogRetention.tsx';
import { SourcesList } from '@/components/settings/SourcesList.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function SourcesSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const teams = await listTeams({ orgId: org.id });
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="sources" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Data sources</h1>
        <SourcesList org={org.slug} />
        <RawLogRetention prunedBefore={org.rawPrunedBefore} />
      </main>
    </>
  );
}
