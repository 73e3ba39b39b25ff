import Link from 'next/link';

export function OrgHeader({
  org,
  teams,
  currentTeam,
  isAdmin = false,
  current,
}: {
  org: { slug: string; name: string };
  teams: { slug: string; name: string }[];
  currentTeam?: string;
  isAdmin?: boolean;
  current?: 'settings' | 'sources';
}) {
  return (
    <header className="top">
      <Link href="/" className="brand">Throughline</Link>
      <Link href={`/${org.slug}`} aria-current={currentTeam || current ? undefined : 'page'}>{org.name}</Link>
      <nav aria-label="Teams">
        {teams.map((t) => (
          <Link key={t.slug} href={`/${org.slug}/teams/${t.slug}`} aria-current={t.slug === currentTeam ? 'page' : undefined}>
            {t.name}
          </Link>
        ))}
      </nav>
      <div className="header-end">
        {isAdmin && <Link href={`/${org.slug}/settings/sources`} aria-current={current === 'sources' ? 'page' : undefined}>Data sources</Link>}
        {isAdmin && <Link href={`/${org.slug}/settings`} aria-current={current === 'settings' ? 'page' : undefined}>Settings</Link>}
        <form method="post" action="/api/sign-out" className="sign-out">
          <button type="submit">Sign out</button>
        </form>
      </div>
    </header>
  );
}
