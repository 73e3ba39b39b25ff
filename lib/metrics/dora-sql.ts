import { Prisma } from '../db/generated/client.ts';
import { RELEASE_EXTERNAL_ID_PREFIX } from '../ingest/github/handle-deployment.ts';

// Shared SQL of the DORA figures (docs/metrics.md#deployments): which Deployment rows are
// production deployments, and which tickets are incidents and the deployment each one follows.

/** Production environment names (case-insensitive): `prod` and `production`. Org-configurable later. */
export const PRODUCTION_ENVIRONMENT = '^prod(uction)?$';

const isRelease = (d: Prisma.Sql) => Prisma.sql`starts_with(${d}."externalId", ${RELEASE_EXTERNAL_ID_PREFIX})`;
const isProductionDeployment = (d: Prisma.Sql) => Prisma.sql`(NOT ${isRelease(d)} AND ${d}.environment ~* ${PRODUCTION_ENVIRONMENT})`;

/**
 * CTEs `prod_deploys` (id, repository_id, sha, at, team_id, environment, is_release) and `incidents` (id, created_at,
 * done_at, deployment_id, team_id).
 *
 * Production deployments: successful deployments to a production environment, at their success
 * time; in a repository that never had a deployment to a production environment (any status),
 * its published releases instead. Team: the repository's default team (a deployment has no author).
 *
 * Incidents: tickets of type `incident` (any case). Each follows the latest production deployment
 * at or before its creation: of its own repository (a GitHub issue's `owner/repo`) when that
 * repository has one, else of the whole org; its team is that deployment's.
 */
export function doraCtes(orgId: string): Prisma.Sql {
  return Prisma.sql`
    prod_deploys AS (
      SELECT d.id, d."repositoryId" AS repository_id, d.sha, d."createdAt" AS at, r."defaultTeamId" AS team_id,
             d.environment, ${isRelease(Prisma.sql`d`)} AS is_release
      FROM "Deployment" d
      JOIN "Repository" r ON r."orgId" = d."orgId" AND r.id = d."repositoryId"
      WHERE d."orgId" = ${orgId} AND d.status = 'success'
        AND (${isProductionDeployment(Prisma.sql`d`)}
          OR (${isRelease(Prisma.sql`d`)} AND NOT EXISTS (
            SELECT 1 FROM "Deployment" g WHERE g."orgId" = d."orgId" AND g."repositoryId" = d."repositoryId" AND ${isProductionDeployment(Prisma.sql`g`)})))
    ),
    incidents AS (
      SELECT t.id, t."createdAt" AS created_at, t."doneAt" AS done_at, dep.id AS deployment_id, dep.team_id
      FROM "Ticket" t
      LEFT JOIN "Repository" own ON t.source = 'github' AND own."orgId" = t."orgId" AND own.provider = 'github'
        AND lower(own.owner || '/' || own.name) = split_part(t.key, '#', 1)
      LEFT JOIN LATERAL (
        SELECT d.id, d.team_id FROM prod_deploys d
        WHERE d.at <= t."createdAt"
        ORDER BY (d.repository_id IS NOT DISTINCT FROM own.id) DESC, d.at DESC, d.id DESC
        LIMIT 1
      ) dep ON true
      WHERE t."orgId" = ${orgId} AND lower(t.type) = 'incident'
    )`;
}
