import { withOrg } from '@/lib/http/with-org.ts';
import { listRepositories } from '@/lib/orgs/repositories.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/repositories: every repository with its default team (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ repositories: await listRepositories({ orgId: org.id }) }));
