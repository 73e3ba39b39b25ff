import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { lifeOf } from '../../scripts/bench-processing-life.ts';
import { seedOrg } from '../../test/factories.ts';
import { handlerFor } from '../ingest/handlers.ts';
import { db } from './client.ts';
import type { Prisma } from './generated/client.ts';
import { prismaSql, type Sql } from './sql.ts';
import { inTransaction } from './transaction.ts';

// The worker's SQL handlers run on node-postgres against a PostgreSQL server and on a Prisma
// transaction on the embedded database. Both executors must give the same values and the same rows.

const probe = (sql: Sql) => sql.query<Record<string, unknown>>`
  SELECT ${new Date('2026-03-01T12:34:56.789Z')}::timestamptz AS at, ${JSON.stringify([{ kind: 'trailer', value: 'x' }])}::jsonb AS evidence,
         ${['a', 'b']}::text[] AS names, ${null}::text AS nothing, ${randomUUIDFixed}::uuid AS id, ${true}::boolean AS yes, ${0.25}::float8 AS share,
         count(*)::int AS n, 'merged'::"PullRequestState" AS state
  FROM unnest(${['x', 'y', 'z']}::text[])`;
const randomUUIDFixed = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

/** The org's derived rows without ids: what the handlers wrote, comparable across orgs. */
async function derivedRows(orgId: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ row: string }[]>`
    SELECT 'PullRequest ' || (to_jsonb(p) - 'id' - 'orgId' - 'repositoryId' - 'authorId')::text AS row FROM "PullRequest" p WHERE p."orgId" = ${orgId}::uuid
    UNION ALL SELECT 'Commit ' || (to_jsonb(c) - 'id' - 'orgId' - 'repositoryId' - 'authorId')::text FROM "Commit" c WHERE c."orgId" = ${orgId}::uuid
    UNION ALL SELECT 'Review ' || (to_jsonb(r) - 'id' - 'orgId' - 'pullRequestId' - 'reviewerId')::text FROM "Review" r WHERE r."orgId" = ${orgId}::uuid
    UNION ALL SELECT 'ReviewComment ' || (to_jsonb(rc) - 'id' - 'orgId' - 'pullRequestId' - 'reviewId' - 'authorId')::text || (rc."reviewId" IS NOT NULL)::text
      FROM "ReviewComment" rc WHERE rc."orgId" = ${orgId}::uuid
    UNION ALL SELECT 'PullRequestCommit ' || p.number || ' ' || c.sha FROM "PullRequestCommit" pc
      JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId" JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
      WHERE pc."orgId" = ${orgId}::uuid
    UNION ALL SELECT 'Identity ' || i.provider || ' ' || i."externalId" || ' ' || coalesce(i.login, '') || ' ' || pe."displayName" || ' ' || pe."isBot"
      FROM "Identity" i JOIN "Person" pe ON pe."orgId" = i."orgId" AND pe.id = i."personId" WHERE i."orgId" = ${orgId}::uuid`;
  return rows.map((r) => r.row).sort();
}

/** Handles the deliveries of `prs` pull requests' lives, each in a transaction of `run`. */
async function handleLives(orgId: string, prs: number, run: (work: (sql: Sql) => Promise<void>) => Promise<void>): Promise<void> {
  for (let n = 1; n <= prs; n++) {
    for (const { eventType, payload } of lifeOf(n)) {
      const handler = handlerFor('github', eventType);
      if (handler?.kind !== 'sql') throw new Error(`${eventType} is not a SQL handler`);
      await run((sql) => handler.run({ sql, orgId, eventId: randomUUID(), payload: payload as Prisma.JsonValue }));
    }
  }
}

describe('SQL statements on node-postgres and on Prisma', () => {
  test('a value keeps its type and meaning on both', async () => {
    const [onPg] = await inTransaction((sql) => probe(sql));
    const [onPrisma] = await db().$transaction((tx) => probe(prismaSql(tx)));
    expect(onPg).toEqual({
      at: new Date('2026-03-01T12:34:56.789Z'), evidence: [{ kind: 'trailer', value: 'x' }], names: ['a', 'b'], nothing: null,
      id: randomUUIDFixed, yes: true, share: 0.25, n: 3, state: 'merged',
    });
    expect(onPrisma).toEqual(onPg);
  });

  test('the GitHub handlers write the same rows through either', async () => {
    const [viaPg, viaPrisma] = [await seedOrg(), await seedOrg()];
    await handleLives(viaPg.id, 3, (work) => inTransaction(work));
    await handleLives(viaPrisma.id, 3, (work) => db().$transaction((tx) => work(prismaSql(tx))));
    const rows = await derivedRows(viaPg.id);
    // Three pull requests with their two pushed commits linked, a review, a comment, the people.
    expect(rows.filter((r) => r.startsWith('PullRequest '))).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('PullRequestCommit '))).toHaveLength(6);
    expect(rows.find((r) => r.startsWith('PullRequest '))).toMatch(/"state": "merged".*"aiEvidence": \[\{"kind": "co_author".*"firstCommitAt": "2026/);
    expect(rows.filter((r) => r.startsWith('Review '))).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('ReviewComment '))).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('Commit ')).every((r) => r.includes('"isAi": true'))).toBe(true);
    expect(await derivedRows(viaPrisma.id)).toEqual(rows);
  });
});
