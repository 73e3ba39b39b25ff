import Link from 'next/link';

export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p className="muted">There is nothing here, or you do not have access to it.</p>
      <Link href="/">Back to the start</Link>
    </main>
  );
}
