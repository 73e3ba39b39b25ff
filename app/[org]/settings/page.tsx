import { headers } from 'next/headers';
import Link from 'next/link';
import { DeliveriesPanel } from '@/components/settings/DeliveriesPanel.tsx';
import { MembersPanel } from '@/components/settings/MembersPanel.tsx';
import { SamlPanel } from '@/components/settings/SamlPanel.tsx';
import { GeneralSectionsNav, SettingsNav } from '@/components/settings/SettingsNav.tsx';
import { SsoPanel } from '@/components/settings/SsoPanel.tsx';
import { TokensPanel } from '@/components/settings/TokensPanel.tsx';
import { WebhooksPanel } from '@/components/settings/WebhooksPanel.tsx';
import { OrgHeader } from '@/components/ui/OrgHeader.tsx';
import { getOrgForPage } from '@/lib/auth/page-access.ts';
import { getSettingsOverview } from '@/lib/settings/get-settings-overview.ts';
import { env } from '@/lib/env.ts';
import { listTeams } from '@/lib/orgs/teams.ts';

export const dynamic = 'force-dynamic';

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org, actor } = await getOrgForPage((await params).org, 'admin');
  const h = await headers();
  const publicUrl = env().PUBLIC_URL ?? `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host')}`;
  const [teams, overview] = await Promise.all([listTeams({ orgId: org.id }), getSettingsOverview({ orgId: org.id, orgSlug: org.slug, publicUrl })]);
  return (
    <>
      <OrgHeader org={org} teams={teams} isAdmin current="settings" />
      <main>
        <SettingsNav org={org.slug} />
        <h1>Settings</h1>
        <GeneralSectionsNav />
        <SsoPanel org={org.slug} redirectUrl={overview.oidcRedirectUrl} oidc={overview.oidc} />
        <SamlPanel org={org.slug} urls={overview.samlUrls} saml={overview.saml} />
        <MembersPanel org={org.slug} members={overview.members} currentUserId={actor.kind === 'user' ? actor.userId : null} />
        <section className="card" aria-labelledby="people-link">
          <h2 id="people-link">People and AI attribution</h2>
          <p className="muted">The engineers and bots behind the metrics and their GitHub, GitLab and commit-email identities: merge duplicates, mark bots, and edit the rules that mark commits and pull requests as AI-written.</p>
          <Link className="button secondary" href={`/${org.slug}/settings/people`}>Manage people and rules</Link>
        </section>
        <section className="card" aria-labelledby="sources-link">
          <h2 id="sources-link">Data sources</h2>
          <p className="muted">GitHub, GitLab, Jira, Linear, CI, Claude Code, Copilot and other AI tools: for each, whether it is connected, its latest delivery and failures, and the URL, secret or token and steps to connect it.</p>
          <Link className="button secondary" href={`/${org.slug}/settings/sources`}>Open data sources</Link>
        </section>
        <TokensPanel org={org.slug} tokens={overview.tokens} />
        <WebhooksPanel org={org.slug} sources={overview.webhooks} />
        <DeliveriesPanel org={org.slug} counts={overview.deliveries.counts} failed={overview.deliveries.failed} />
        <section className="card" aria-labelledby="audit">
          <h2 id="audit">Audit log</h2>
          <table className="list">
            <thead><tr><th>When</th><th>Action</th><th>Target</th><th>By</th></tr></thead>
            <tbody>
              {overview.audit.map((e) => (
                <tr key={e.id}>
                  <td>{e.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
                  <td>{e.action}</td>
                  <td><code>{e.target}</code></td>
                  <td>{e.actorEmail ?? 'command line'}</td>
                </tr>
              ))}
              {overview.audit.length === 0 && <tr><td colSpan={4} className="muted">No admin actions yet.</td></tr>}
            </tbody>
          </table>
        </section>
      </main>
    </>
  );
}
