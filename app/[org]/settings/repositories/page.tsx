import { RepositoriesPanel } from '@/components/settings/RepositoriesPanel.tsx';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listRepositories } from '@/lib/orgs/repositories.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function RepositoriesSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const [teams, repositories] = await Promise.all([listTeams({ orgId: org.id }), listRepositories({ orgId: org.id })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Repositories</h1>
        <RepositoriesPanel org={org.slug} repositories={repositories} teams={teams.map((t) => ({ id: t.id, name: t.name }))} />
      </main>
    </>
  );
}
