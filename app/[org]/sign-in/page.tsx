import Link from 'next/link';
import { notFound } from 'next/navigation';
import { demoSignInEnabled } from '@/lib/auth/demo-sign-in.ts';
import { getOrgBySlug } from '@/lib/orgs/get-org-by-slug.ts';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ params }: { params: Promise<{ org: string }> }) {
  const org = await getOrgBySlug((await params).org).catch(() => notFound());
  const demo = org.isDemo && demoSignInEnabled();
  return (
    <>
      <header className="top">
        <Link href="/" className="brand">Throughline</Link>
      </header>
      <main className="hero">
        <h1>Sign in to {org.name}</h1>
        {demo ? (
          <>
            <p>This is a demo organization with generated data. Sign in as its demo admin to explore the dashboards.</p>
            <form method="post" action={`/api/orgs/${org.slug}/demo-sign-in`}>
              <button className="button" type="submit">Sign in to the demo (one click)</button>
            </form>
          </>
        ) : (
          <p className="muted">Single sign-on is not configured for this organization yet. Ask an administrator of {org.name} to set it up.</p>
        )}
      </main>
    </>
  );
}
