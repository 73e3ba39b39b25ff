'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './SettingsNav.module.css';

/** The settings pages, in the order an admin sets an org up. */
const PAGES = [
  { path: '', label: 'General' },
  { path: '/people', label: 'People and AI attribution' },
  { path: '/bots', label: 'Bots' },
  { path: '/teams', label: 'Teams' },
  { path: '/repositories', label: 'Repositories' },
  { path: '/metrics', label: 'Metric options' },
  { path: '/sources', label: 'Data sources' },
] as const;

/** The General page's sections, linked from its "On this page" list. */
export const GENERAL_SECTIONS = [
  { id: 'sso', label: 'Single sign-on' },
  { id: 'members', label: 'Members and roles' },
  { id: 'tokens', label: 'Ingest tokens' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'deliveries', label: 'Delivery log' },
  { id: 'audit', label: 'Audit log' },
] as const;

/** Tabs between the settings pages; the current one (or its parent, for a sub-page) is marked. */
export function SettingsNav({ org }: { org: string }) {
  const pathname = usePathname();
  const base = `/${encodeURIComponent(org)}/settings`;
  const current = [...PAGES].reverse().find((p) => (p.path === '' ? pathname === base : pathname === base + p.path || pathname.startsWith(`${base}${p.path}/`)));
  return (
    <nav aria-label="Settings" className={styles.nav}>
      <ul>
        {PAGES.map((p) => (
          <li key={p.path}>
            <Link href={base + p.path} aria-current={current === p ? 'page' : undefined}>{p.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** "On this page" links of the General page. */
export function GeneralSectionsNav() {
  return (
    <nav aria-label="On this page" className={styles.sections}>
      <span className={styles.sectionsLabel}>On this page:</span>
      <ul>
        {GENERAL_SECTIONS.map((s) => (
          <li key={s.id}><a href={`#${s.id}`}>{s.label}</a></li>
        ))}
      </ul>
    </nav>
  );
}
