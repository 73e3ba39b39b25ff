import { MetricOptionsPanel } from '@/components/settings/MetricOptionsPanel.tsx';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { getMetricOptions } from '@/lib/orgs/metric-options.ts';
import { listTeams } from '@/lib/orgs/teams.ts';
import { listTimeZoneOptions } from '@/lib/settings/time-zones.ts';

export const dynamic = 'force-dynamic';

export default async function MetricOptionsSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const [teams, options] = await Promise.all([listTeams({ orgId: org.id }), getMetricOptions({ orgId: org.id })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Metric options</h1>
        <MetricOptionsPanel org={org.slug} initial={options} zones={listTimeZoneOptions(options.options.timeZone)} />
      </main>
    </>
  );
}
