import { withOrg } from '@/lib/http/with-org.ts';
import { reviewWeekSchema, saveNotesSchema } from '@/lib/review/review-schemas.ts';
import { saveNotes } from '@/lib/review/reviews.ts';

export const dynamic = 'force-dynamic';

// PUT /api/orgs/[org]/teams/[team]/reviews/[week]/notes: { notes } replaces the team-week's notes (members; the last writer wins)
export const PUT = withOrg({ role: 'member', body: saveNotesSchema }, async ({ org, params, body }) =>
  Response.json(await saveNotes({ org, teamSlug: params.team!, week: reviewWeekSchema.parse(params.week), notes: body.notes })),
);
