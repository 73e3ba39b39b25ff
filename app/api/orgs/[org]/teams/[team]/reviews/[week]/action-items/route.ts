import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { createActionItemSchema, reviewWeekSchema } from '@/lib/review/review-schemas.ts';
import { createActionItem } from '@/lib/review/reviews.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/teams/[team]/reviews/[week]/action-items: { text } adds an action item to the team-week (members)
export const POST = withOrg({ role: 'member', body: createActionItemSchema }, async ({ org, actor, params, body }) =>
  Response.json(
    { actionItem: await createActionItem({ org, teamSlug: params.team!, week: reviewWeekSchema.parse(params.week), input: body, actorUserId: actorUserId(actor) }) },
    { status: 201 },
  ),
);
