import Link from 'next/link';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

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
        <p className="muted">Pick a team to see its AI generation volume against ticket-to-merge cycle time.</p>
        <ul className="teams">
          {teams.map((t) => (
            <li key={t.slug}>
              <Link href={`/${org.slug}/teams/${t.slug}`}>
                <strong>{t.name}</strong>
                <span className="muted">Weekly generation vs cycle time →</span>
              </Link>
            </li>
          ))}
        </ul>
        {teams.length === 0 && (
          <section className="card" aria-labelledby="start">
            <h2 id="start">No data yet: connect a source</h2>
            <ol className="steps">
              <li>
                Send pull requests, reviews and pushes: add the GitHub or GitLab webhook shown in{' '}
                {isAdmin ? <Link href={`/${org.slug}/settings`}>Settings → Webhooks</Link> : 'Settings → Webhooks (an admin can open it)'}.
              </li>
              <li>
                Or load history from a clone, no token needed: <code>npx throughline import git ./repo --org {org.slug} --repo owner/name</code>.
              </li>
              <li>Then group people into teams; until then, changes count for the whole organization.</li>
            </ol>
          </section>
        )}
      </main>
    </>
  );
}
