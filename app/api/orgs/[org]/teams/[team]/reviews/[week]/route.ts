import { withOrg } from '@/lib/http/with-org.ts';
import { reviewWeekSchema } from '@/lib/review/review-schemas.ts';
import { openReview } from '@/lib/review/reviews.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/teams/[team]/reviews/[week]: a team-week's review; the first opening freezes its figures as a snapshot
export const GET = withOrg({ role: 'member', scope: 'metrics:read' }, async ({ org, params }) =>
  Response.json({ review: await openReview({ org, teamSlug: params.team!, week: reviewWeekSchema.parse(params.week) }) }),
);
