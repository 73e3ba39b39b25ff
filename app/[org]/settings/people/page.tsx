import { AttributionRulesPanel } from '@/components/settings/AttributionRulesPanel.tsx';
import { PeoplePanel } from '@/components/settings/PeoplePanel.tsx';
import { SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getCountWeakSignals, listAttributionRules } from '@/lib/attribution/manage-rules.ts';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function PeopleSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await getOrgForPage((await params).org, 'admin');
  const [teams, rules, countWeak] = await Promise.all([listTeams({ orgId: org.id }), listAttributionRules({ orgId: org.id }), getCountWeakSignals({ orgId: org.id })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>People and AI attribution</h1>
        <PeoplePanel org={org.slug} />
        <AttributionRulesPanel org={org.slug} rules={rules} countWeak={countWeak} />
      </main>
    </>
  );
}
