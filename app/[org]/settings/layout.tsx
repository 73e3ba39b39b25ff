import { getOrgForPage } from '@/lib/auth/page-access.ts';

/**
 * Admins only, checked before anything streams: a member or another org's user gets a real 404
 * (the loading skeleton below would otherwise have sent a 200 already).
 */
export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  await getOrgForPage((await params).org, 'admin');
  return children;
}
