'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { OverviewError } from '@/components/overview/OverviewError.tsx';

export default function OverviewErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <>
      <header className="top">
        <Link href="/" className="brand">Throughline</Link>
      </header>
      <main>
        <OverviewError digest={error instanceof Error ? (error as Error & { digest?: string }).digest : undefined} retry={retry} />
      </main>
    </>
  );
}
