import { redirect } from 'next/navigation';
import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { addWeeks, formatIsoDate, parseIsoDate, weekStartOf } from '@/lib/metrics/weeks.ts';

export const dynamic = 'force-dynamic';

// /{org}/teams/{team}/review: the last complete week's review, the one a weekly meeting looks at.
export default async function ReviewIndexPage({ params }: { params: Promise<{ org: string; team: string }> }) {
  const { org: orgSlug, team: teamSlug } = await params;
  const { org } = await getOrgForPage(orgSlug);
  const team = await getTeamForPage(org.id, teamSlug);
  const lastComplete = formatIsoDate(addWeeks(parseIsoDate(weekStartOf(new Date(), org.timeZone))!, -1));
  redirect(`/${org.slug}/teams/${team.slug}/review/${lastComplete}`);
}
