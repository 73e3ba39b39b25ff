import { randomUUID } from 'node:crypto';
import { Prisma } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { githubDeploymentEventSchema, githubDeploymentStatusEventSchema, githubReleaseEventSchema } from './deployment-payload-schemas.ts';
import { upsertGithubRepository } from './upsert-github-entities.ts';
import { prismaSql } from '../../db/sql.ts';

// GitHub deployments and releases as Deployment rows (docs/metrics.md#deployments).
// A deployment's row holds its latest status and that status's time (`createdAt`): a successful
// deployment's `createdAt` is when it succeeded. A release is a row with externalId
// `release:<id>`, status `success` while published, at its publication time; whether it counts
// as a production deployment is decided by the metrics (lib/metrics/dora-sql.ts), not here.

/** externalId prefix of releases: GitHub deployment ids are numbers, so the two never collide. */
export const RELEASE_EXTERNAL_ID_PREFIX = 'release:';
/** `sha` of a release whose commit the payload does not give (target_commitish is a branch). */
export const UNKNOWN_SHA = '';

interface DeploymentRow {
  repositoryId: string;
  externalId: string;
  environment: string;
  sha: string;
  status: string;
  at: Date;
}

// Order of a deployment's statuses at the same instant: later stages win a tie, so the outcome
// does not depend on the order deliveries arrive in.
const rank = (status: Prisma.Sql) =>
  Prisma.sql`CASE ${status} WHEN 'created' THEN 0 WHEN 'queued' THEN 1 WHEN 'pending' THEN 2 WHEN 'in_progress' THEN 3 ELSE 4 END`;

/**
 * Inserts the row, or moves it to this status when this status is later than the stored one (by
 * time, then stage, then name): replaying or reordering deliveries gives the same row.
 */
async function upsertDeploymentStatus(tx: Prisma.TransactionClient, orgId: string, row: DeploymentRow): Promise<void> {
  const incoming = Prisma.sql`EXCLUDED.status`;
  const stored = Prisma.sql`"Deployment".status`;
  await tx.$executeRaw`
    INSERT INTO "Deployment" ("orgId", id, "repositoryId", "externalId", environment, sha, status, "createdAt")
    VALUES (${orgId}, ${randomUUID()}, ${row.repositoryId}, ${row.externalId}, ${row.environment}, ${row.sha}, ${row.status}, ${row.at})
    ON CONFLICT ("orgId", "repositoryId", "externalId") DO UPDATE
      SET environment = EXCLUDED.environment, sha = EXCLUDED.sha, status = EXCLUDED.status, "createdAt" = EXCLUDED."createdAt"
      WHERE (EXCLUDED."createdAt", ${rank(incoming)}, EXCLUDED.status) > ("Deployment"."createdAt", ${rank(stored)}, "Deployment".status)`;
}

/** `deployment` (created): the deployment, status `created` at its creation, until a status arrives. */
export async function handleGithubDeployment({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { repository, deployment } = githubDeploymentEventSchema.parse(payload);
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  await upsertDeploymentStatus(tx, orgId, {
    repositoryId: repo.id, externalId: String(deployment.id), environment: deployment.environment, sha: deployment.sha,
    status: 'created', at: new Date(deployment.created_at),
  });
}

/**
 * `deployment_status` (created): the deployment moves to the latest of its statuses, at that
 * status's time. `inactive` is not an outcome (GitHub marks earlier deployments of an environment
 * inactive when a newer one succeeds), so it never replaces one: it only records the deployment.
 */
export async function handleGithubDeploymentStatus({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { repository, deployment, deployment_status: status } = githubDeploymentStatusEventSchema.parse(payload);
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  const inactive = status.state === 'inactive';
  await upsertDeploymentStatus(tx, orgId, {
    repositoryId: repo.id, externalId: String(deployment.id), environment: deployment.environment, sha: deployment.sha,
    status: inactive ? 'created' : status.state, at: new Date(inactive ? deployment.created_at : status.created_at),
  });
}

/** A release's status: `success` when published and neither a draft nor a pre-release. */
function releaseStatus(action: string, release: { draft: boolean; prerelease: boolean; published_at: string | null }): string {
  if (action === 'deleted') return 'deleted';
  if (action === 'unpublished' || release.draft || release.published_at === null) return 'draft';
  return release.prerelease ? 'prerelease' : 'success';
}

/**
 * `release`, every action: the release as a deployment row of its target commit (`target_commitish`
 * when it is a sha; a branch name's commit at publication is unknown from the payload: sha empty),
 * at its publication time. Each delivery carries the release's whole state, so the latest delivery
 * sets it, except that a deleted release stays deleted.
 */
export async function handleGithubRelease({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, repository, release } = githubReleaseEventSchema.parse(payload);
  const repo = await upsertGithubRepository(prismaSql(tx), orgId, repository);
  const sha = /^[0-9a-f]{40}$/.test(release.target_commitish) ? release.target_commitish : UNKNOWN_SHA;
  const status = releaseStatus(action, release);
  const at = new Date(release.published_at ?? release.created_at);
  const key = { orgId_repositoryId_externalId: { orgId, repositoryId: repo.id, externalId: `${RELEASE_EXTERNAL_ID_PREFIX}${release.id}` } };
  const existing = await tx.deployment.findUnique({ where: key, select: { status: true } });
  if (existing?.status === 'deleted') return;
  const data = { environment: 'release', sha, status, createdAt: at };
  await tx.deployment.upsert({ where: key, create: { orgId, repositoryId: repo.id, externalId: key.orgId_repositoryId_externalId.externalId, ...data }, update: data });
}
