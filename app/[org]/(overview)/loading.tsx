import { OverviewSkeleton } from '@/components/overview/OverviewSkeleton.tsx';

// While the org and its teams are read (before the page can say how many teams there are).
export default function OverviewLoading() {
  return (
    <>
      <header className="top" aria-hidden="true">
        <span className="brand">Throughline</span>
        <span className="skeleton" style={{ width: '10rem', opacity: 0.3 }} />
      </header>
      <main>
        <h1><span className="skeleton" style={{ width: '16rem', height: '1.6rem' }} /></h1>
        <OverviewSkeleton />
      </main>
    </>
  );
}
