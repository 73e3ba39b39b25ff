import type { ReactNode } from 'react';
import { getOrgForPage } from '@/lib/auth/page-access.ts';

// Access is checked here, above loading.tsx's Suspense boundary: a signed-out visitor is
// redirected and another org's member gets a real 404 status, before any of the page streams.
export default async function OverviewLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  await getOrgForPage((await params).org);
  return children;
}
