import { db } from '../db/client.ts';
import { env } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { getOrgBySlug } from '../orgs/get-org-by-slug.ts';
import { createSession } from './sessions.ts';

/** Whether this installation offers the one-click demo sign-in (see THROUGHLINE_DEMO). */
export function demoSignInEnabled(): boolean {
  return env().THROUGHLINE_DEMO;
}

/**
 * Signs a visitor into a demo org as its demo admin, with a new session. Exists only for demo
 * orgs and only where the demo sign-in is enabled; elsewhere the org looks missing.
 */
export async function signInToDemo(slug: string) {
  const org = await getOrgBySlug(slug).catch(() => null);
  if (!org || !org.isDemo || !demoSignInEnabled()) throw new AppError('not_found', `Organization '${slug}' not found`);
  const email = `demo-admin@${org.slug}.demo.invalid`;
  const user = await db().user.upsert({ where: { email }, create: { email, name: 'Demo admin' }, update: {} });
  await db().membership.upsert({
    where: { orgId_userId: { orgId: org.id, userId: user.id } },
    create: { orgId: org.id, userId: user.id, role: 'admin' },
    update: {},
  });
  return { org, ...(await createSession({ userId: user.id, orgId: org.id })) };
}
