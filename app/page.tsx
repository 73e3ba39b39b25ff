import Link from 'next/link';
import { demoSignInEnabled } from '@/lib/auth/demo-sign-in.ts';

export const dynamic = 'force-dynamic';

export default function HomePage() {
  return (
    <>
      <header className="top">
        <Link href="/" className="brand">Throughline</Link>
      </header>
      <main className="hero">
        <h1>Is AI generation turning into delivered work?</h1>
        <p>
          Throughline sets how much code AI generates against what your teams actually deliver: ticket-to-merge cycle time,
          merged pull requests, first-run CI pass rate and review time, per team and week. More generated code is not more
          delivered work; this shows whether your harness of tests, review and integration turns one into the other.
        </p>
        {demoSignInEnabled() && (
          <form method="post" action="/api/orgs/demo/demo-sign-in">
            <button className="button" type="submit">Open the demo organization</button>
            <span className="muted"> signs you in to a generated demo org, one click</span>
          </form>
        )}
        <h2>Next: connect your own data</h2>
        <ol className="steps">
          <li>Run Throughline on your PostgreSQL: set <code>DATABASE_URL</code> and <code>THROUGHLINE_SECRET_KEY</code>, then <code>npm start</code>.</li>
          <li>Create your organization: <code>npx throughline org create acme --name &quot;Acme&quot;</code>; its people sign in at <code>/acme/sign-in</code>.</li>
          <li>Add GitHub or GitLab webhooks for pull requests, reviews and pushes; connect Jira or Linear, your CI and your AI tools.</li>
        </ol>
        <p className="muted">The README lists every setting and the <code>throughline</code> command line.</p>
      </main>
    </>
  );
}
