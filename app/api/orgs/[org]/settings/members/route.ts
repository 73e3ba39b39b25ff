import { withOrg } from '@/lib/http/with-org.ts';
import { listMembers } from '@/lib/settings/members.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/members: the org's members and roles (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ members: await listMembers({ orgId: org.id }) }));
