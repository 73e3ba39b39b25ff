import { listAudit } from '@/lib/audit/audit-log.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/audit-log: the latest admin actions (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ entries: await listAudit({ orgId: org.id }) }));
