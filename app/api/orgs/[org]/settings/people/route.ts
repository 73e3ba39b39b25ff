import { withOrg } from '@/lib/http/with-org.ts';
import { peopleQuerySchema } from '@/lib/orgs/people-schemas.ts';
import { searchPeople } from '@/lib/orgs/people.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/people?q=&kind=&limit=: people with their identities, by name (admins)
export const GET = withOrg({ role: 'admin', query: peopleQuerySchema }, async ({ org, query }) => Response.json(await searchPeople({ orgId: org.id, ...query })));
