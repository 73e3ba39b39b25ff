import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { SourcesDetail } from '@/components/settings/SourcesDetail.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';
import { getSourceDefinition, sourceIdSchema } from '@/lib/settings/sources.ts';

export const dynamic = 'force-dynamic';

export default async function SourceSettingsPage({ params }: { params: Promise<{ org: string; source: string }> }) {
  const { org: slug, source: sourceParam } = await params;
  const { org } = await getOrgForPage(slug, 'admin');
  const sourceId = sourceIdSchema.safeParse(sourceParam);
  if (!sourceId.success) notFound();
  const source = getSourceDefinition(sourceId.data);
  const teams = await listTeams({ orgId: org.id });
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="sources" />
      <main>
        <SettingsNav org={org.slug} />
        <p className="muted"><Link href={`/${org.slug}/settings/sources`}>← Data sources</Link></p>
        <h1>{source.label}</h1>
        <p className="muted">{source.sends}</p>
        <SourcesDetail org={org.slug} sourceId={source.id} />
      </main>
    </>
  );
}
