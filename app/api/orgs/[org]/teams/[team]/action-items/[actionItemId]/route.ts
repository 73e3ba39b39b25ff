import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { updateActionItemSchema } from '@/lib/review/review-schemas.ts';
import { deleteActionItem, setActionItemDone } from '@/lib/review/reviews.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/teams/[team]/action-items/[actionItemId]: { done } ticks an action item off or reopens it (members)
export const PATCH = withOrg({ role: 'member', body: updateActionItemSchema }, async ({ org, actor, params, body }) =>
  Response.json({ actionItem: await setActionItemDone({ org, teamSlug: params.team!, id: params.actionItemId!, done: body.done, actorUserId: actorUserId(actor) }) }),
);

// DELETE /api/orgs/[org]/teams/[team]/action-items/[actionItemId]: removes an action item (members)
export const DELETE = withOrg({ role: 'member' }, async ({ org, actor, params }) => {
  await deleteActionItem({ org, teamSlug: params.team!, id: params.actionItemId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
