import Link from 'next/link';

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
        <p>
          <Link className="button" href="/demo">Open the demo organization</Link>
        </p>
        <h2>Next: connect your own data</h2>
        <ol className="steps">
          <li>Run Throughline on your PostgreSQL: set <code>DATABASE_URL</code> and <code>npm start</code>.</li>
          <li>Add GitHub or GitLab webhooks for pull requests, reviews and pushes.</li>
          <li>Connect Jira or Linear for tickets, your CI for runs, and your AI tools for usage.</li>
        </ol>
        <p className="muted">The README lists every setting and the <code>throughline</code> command line.</p>
      </main>
    </>
  );
}
