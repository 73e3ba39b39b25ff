import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { Suspense } from 'react';
import { ReviewMode } from '@/components/review/ReviewMode.tsx';
import styles from '@/components/review/Review.module.css';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { addWeeks, formatIsoDate, mondayOf, parseIsoDate, weekStartOf } from '@/lib/metrics/weeks.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

type Params = { org: string; team: string; week: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { week } = await params;
  return { title: `Weekly review ${week} · Throughline` };
}

// /{org}/teams/{team}/review/{week}: review mode of a team-week (a Monday, YYYY-MM-DD) for the weekly meeting.
export default async function ReviewPage({ params }: { params: Promise<Params> }) {
  const { org: orgSlug, team: teamSlug, week: weekParam } = await params;
  const { org, actor } = await getOrgForPage(orgSlug);
  const [team, teams] = await Promise.all([getTeamForPage(org.id, teamSlug), listTeams({ orgId: org.id })]);
  const date = parseIsoDate(weekParam);
  if (!date) notFound();
  const week = formatIsoDate(mondayOf(date));
  const current = weekStartOf(new Date(), org.timeZone);
  // Any day names its week; a week not started yet shows the current one.
  if (week > current) redirect(`/${org.slug}/teams/${team.slug}/review/${current}`);
  if (week !== weekParam) redirect(`/${org.slug}/teams/${team.slug}/review/${week}`);
  const start = parseIsoDate(week)!;
  return (
    <>
      <div className={styles.chrome}>
        <OrgHeader org={org} teams={teams} currentTeam={team.slug} isAdmin={actor.kind === 'user' && actor.role !== 'member'} />
      </div>
      <main>
        <Suspense>
          <ReviewMode
            org={org.slug}
            team={{ slug: team.slug, name: team.name }}
            week={week}
            previousWeek={formatIsoDate(addWeeks(start, -1))}
            nextWeek={week < current ? formatIsoDate(addWeeks(start, 1)) : null}
            timeZone={org.timeZone}
          />
        </Suspense>
      </main>
    </>
  );
}
