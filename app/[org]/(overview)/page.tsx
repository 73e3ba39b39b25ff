import { headers } from 'next/headers';
import { Suspense } from 'react';
import { OrgOverview, type OverviewScope } from '@/components/overview/OrgOverview.tsx';
import { OverviewEmptyState } from '@/components/overview/OverviewEmptyState.tsx';
import { OverviewSkeleton } from '@/components/overview/OverviewSkeleton.tsx';
import { hasAnyData, lastFullWeeksRange, OVERVIEW_WEEKS } from '@/components/overview/overview-data.ts';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { env } from '@/lib/env.ts';
import { getWeeklyMetrics } from '@/lib/metrics/weekly.ts';
import type { Org } from '@/lib/orgs/get-org-by-slug.ts';
import { listTeams } from '@/lib/orgs/teams.ts';
import { listSourceSummaries } from '@/lib/settings/sources-status.ts';

export const dynamic = 'force-dynamic';

// The org overview lives in a route group so that its loading skeleton and error state
// ((overview)/loading.tsx, error.tsx) cover this page only, not the team and settings pages below /{org}.
export default async function OrgPage({ params }: { params: Promise<{ org: string }> }) {
  const { org, actor } = await getOrgForPage((await params).org);
  const teams = await listTeams({ orgId: org.id });
  const isAdmin = actor.kind === 'user' && actor.role !== 'member';
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin={isAdmin} />
      <main>
        {org.isDemo && (
          <p className="banner">
            This is a demo organization with generated data. To see your own teams, connect your repositories and trackers
            (see the README, “Connect real data”).
          </p>
        )}
        <h1>{org.name}</h1>
        <Suspense fallback={<OverviewSkeleton teams={teams.length} />}>
          <Overview org={org} teams={teams} isAdmin={isAdmin} />
        </Suspense>
      </main>
    </>
  );
}

/** The figures: the weekly metrics of the org and of each team over the 12 weeks to the last full week. */
async function Overview({ org, teams, isAdmin }: { org: Org; teams: { slug: string; name: string }[]; isAdmin: boolean }) {
  const query = lastFullWeeksRange(new Date(), org.timeZone);
  const orgMetrics = await getWeeklyMetrics({ org, query });
  if (!hasAnyData(orgMetrics)) {
    const h = await headers();
    const publicUrl = env().PUBLIC_URL ?? `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host')}`;
    const sources = (await listSourceSummaries({ orgId: org.id, orgSlug: org.slug, publicUrl })).filter((s) => s.id === 'github' || s.id === 'gitlab');
    return <OverviewEmptyState org={org.slug} isAdmin={isAdmin} sources={sources} teamCount={teams.length} weeks={OVERVIEW_WEEKS} />;
  }
  const teamScopes: OverviewScope[] = await Promise.all(
    teams.map(async (t) => ({ slug: t.slug, name: t.name, metrics: await getWeeklyMetrics({ org, query: { ...query, team: t.slug } }) })),
  );
  return <OrgOverview org={org} orgScope={{ slug: null, name: 'Whole organization', metrics: orgMetrics }} teams={teamScopes} threshold={org.distortionThreshold} />;
}
