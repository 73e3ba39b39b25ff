import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SsoSignInButton } from '@/components/auth/SsoSignInButton.tsx';
import { demoSignInEnabled } from '@/lib/auth/demo-sign-in.ts';
import { getSamlConnection } from '@/lib/auth/saml.ts';
import { getOidcConnection } from '@/lib/auth/sso-connections.ts';
import { getOrgBySlug } from '@/lib/orgs/get-org-by-slug.ts';

export const dynamic = 'force-dynamic';

const ERRORS: Record<string, string> = {
  domain: 'Your email address is not in a domain allowed to sign in to this organization. Ask its administrator to add your domain.',
  OAuthAccountNotLinked: 'This email address already signs in through another identity provider. Use that one, or ask an administrator.',
  AccessDenied: 'Sign-in was refused.',
  saml: "The identity provider's answer could not be verified (bad or expired signature, or meant for another service). Try signing in again; if it keeps failing, ask an administrator to check the SAML setup.",
};

export default async function SignInPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ error?: string }> }) {
  const org = await getOrgBySlug((await params).org).catch(() => notFound());
  const { error } = await searchParams;
  const demo = org.isDemo && demoSignInEnabled();
  const sso = await getOidcConnection(org.id);
  const saml = await getSamlConnection(org.id);
  return (
    <>
      <header className="top">
        <Link href="/" className="brand">Throughline</Link>
      </header>
      <main className="hero">
        <h1>Sign in to {org.name}</h1>
        {error && (
          <p className="banner error" role="alert">
            {ERRORS[error] ?? `Sign-in failed (${error}). Try again, or ask an administrator.`}
          </p>
        )}
        {sso && (
          <p>
            <SsoSignInButton org={org.slug} label={`Sign in with ${org.name} single sign-on`} />
          </p>
        )}
        {saml && (
          <p>
            {/* A full page load, not client navigation: the login route redirects to the IdP. */}
            <a className="button" href={`/api/orgs/${org.slug}/saml/login`}>{`Sign in with ${org.name} SAML single sign-on`}</a>
          </p>
        )}
        {demo && (
          <>
            <p>This is a demo organization with generated data. Sign in as its demo admin to explore the dashboards.</p>
            <form method="post" action={`/api/orgs/${org.slug}/demo-sign-in`}>
              <button className="button" type="submit">Sign in to the demo (one click)</button>
            </form>
          </>
        )}
        {!sso && !saml && !demo && (
          <p className="muted">Single sign-on is not configured for this organization yet. Ask an administrator of {org.name} to set it up.</p>
        )}
      </main>
    </>
  );
}
