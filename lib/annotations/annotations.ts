import { recordAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/access.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import { formatIsoDate, parseIsoDate } from '../metrics/weeks.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import type { CreateAnnotation, ListAnnotationsQuery } from './annotation-schemas.ts';

// Annotations mark a change on the timeline ("switched to trunk-based", "Copilot for everyone"),
// for a team or the whole org, so charts can show it and metrics be compared before and after.

export interface AnnotationView {
  id: string;
  team: string | null;
  date: string;
  label: string;
  description: string | null;
  createdById: string | null;
  createdAt: string;
}

type Row = { id: string; date: Date; label: string; description: string | null; createdById: string | null; createdAt: Date; team: { slug: string } | null };

const view = (a: Row): AnnotationView => ({
  id: a.id, team: a.team?.slug ?? null, date: formatIsoDate(a.date), label: a.label, description: a.description, createdById: a.createdById, createdAt: a.createdAt.toISOString(),
});

function date(value: string, field: string): Date {
  const d = parseIsoDate(value);
  if (!d) throw new AppError('bad_request', `${field}: not a valid calendar date`);
  return d;
}

export async function createAnnotation({ orgId, actorUserId, input }: { orgId: string; actorUserId: string | null; input: CreateAnnotation }): Promise<AnnotationView> {
  const team = input.teamSlug ? await getTeamBySlug({ orgId, slug: input.teamSlug }) : null;
  const created = await db().annotation.create({
    data: { orgId, teamId: team?.id ?? null, date: date(input.date, 'date'), label: input.label, description: input.description ?? null, createdById: actorUserId },
    include: { team: { select: { slug: true } } },
  });
  await recordAudit({ orgId, actorUserId, action: 'annotation.create', target: `annotation:${created.id}`, detail: { team: team?.slug ?? null, date: input.date, label: input.label } });
  return view(created);
}

/** Annotations by date; with `team`, that team's and the org-wide ones. */
export async function listAnnotations({ orgId, query }: { orgId: string; query: ListAnnotationsQuery }): Promise<AnnotationView[]> {
  const team = query.team ? await getTeamBySlug({ orgId, slug: query.team }) : null;
  const from = query.from ? date(query.from, 'from') : undefined;
  const to = query.to ? date(query.to, 'to') : undefined;
  if (from && to && from > to) throw new AppError('bad_request', 'from must not be after to');
  const rows = await db().annotation.findMany({
    where: { orgId, ...(team ? { OR: [{ teamId: team.id }, { teamId: null }] } : {}), date: { gte: from, lte: to } },
    include: { team: { select: { slug: true } } },
    orderBy: [{ date: 'asc' }, { createdAt: 'asc' }],
  });
  return rows.map(view);
}

/** The org's annotation; another org's (or a malformed id) looks missing. */
export async function getAnnotation({ orgId, id }: { orgId: string; id: string }): Promise<AnnotationView> {
  const row = await db().annotation.findUnique({ where: { orgId_id: { orgId, id } }, include: { team: { select: { slug: true } } } });
  if (!row) throw new AppError('not_found', `Annotation '${id}' not found`);
  return view(row);
}

/** Deletes an annotation: its author may, and admins and owners; tokens may not. */
export async function deleteAnnotation({ orgId, id, actor }: { orgId: string; id: string; actor: Actor }): Promise<void> {
  const annotation = await getAnnotation({ orgId, id });
  if (actor.kind !== 'user') throw new AppError('forbidden', 'Only signed-in users delete annotations');
  if (actor.role === 'member' && annotation.createdById !== actor.userId) throw new AppError('forbidden', 'Only its author or an admin may delete this annotation');
  await db().annotation.delete({ where: { orgId_id: { orgId, id } } });
  await recordAudit({ orgId, actorUserId: actor.userId, action: 'annotation.delete', target: `annotation:${id}`, detail: { team: annotation.team, date: annotation.date, label: annotation.label } });
}
