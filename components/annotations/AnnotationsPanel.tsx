import { getOrgForPage, getTeamForPage } from '@/lib/auth/page-access.ts';
import { MIN_COMPARE_SAMPLES } from '@/lib/metrics/compare-schemas.ts';
import { formatIsoDate, localDate } from '@/lib/metrics/weeks.ts';
import { AnnotationsPanelClient } from './AnnotationsPanelClient.tsx';

/**
 * The team page's annotations: a server component that learns who is looking (members delete
 * their own annotations, admins any) and today's date in the org, then hands over to the client panel.
 */
export async function AnnotationsPanel({ org, team }: { org: string; team: string }) {
  const { org: record, actor } = await getOrgForPage(org);
  const t = await getTeamForPage(record.id, team);
  return (
    <AnnotationsPanelClient
      org={record.slug}
      team={{ slug: t.slug, name: t.name }}
      today={formatIsoDate(localDate(new Date(), record.timeZone))}
      viewer={actor.kind === 'user' ? { userId: actor.userId, isAdmin: actor.role !== 'member' } : null}
      minSamples={MIN_COMPARE_SAMPLES}
    />
  );
}
