import { withOrg } from '@/lib/http/with-org.ts';
import { listPersonMemberships } from '@/lib/orgs/team-admin.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/people/[personId]/memberships: a person's team memberships over time, latest first (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org, params }) => Response.json(await listPersonMemberships({ org, personId: params.personId! })));
