import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { reviewWeekSchema } from '@/lib/review/review-schemas.ts';
import { refreshSnapshot } from '@/lib/review/reviews.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/teams/[team]/reviews/[week]/snapshot: takes the snapshot again from the live figures (members)
export const POST = withOrg({ role: 'member' }, async ({ org, actor, params }) =>
  Response.json({ review: await refreshSnapshot({ org, teamSlug: params.team!, week: reviewWeekSchema.parse(params.week), actorUserId: actorUserId(actor) }) }),
);
