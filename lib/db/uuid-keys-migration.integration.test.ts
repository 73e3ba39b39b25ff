import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, inject, test } from 'vitest';
import { adminQuery, withDatabase } from '../../test/global-setup.ts';
import { applyMigrations, MIGRATIONS_DIR } from './migrate.ts';

// The migration that turned text ids into native uuids changes each column's type in place: a
// database made before it keeps every row, link and raw event, and its rollup triggers still work.
const UUID_KEYS = '20261128001500_uuid_keys';

test.runIf(inject('dbMode') === 'template')('text ids become uuids in place: rows, links, raw events and triggers survive the uuid_keys migration', async () => {
  const name = `tl_test_${inject('runId')}_uuid_${randomBytes(3).toString('hex')}`;
  await adminQuery(inject('adminUrl'), `CREATE DATABASE "${name}"`);
  const url = withDatabase(inject('adminUrl'), name);
  // The migrations before it, in a folder of their own.
  const before = await mkdtemp(path.join(os.tmpdir(), 'tl-migrations-'));
  for (const entry of await readdir(MIGRATIONS_DIR)) if (entry < UUID_KEYS) await cp(path.join(MIGRATIONS_DIR, entry), path.join(before, entry), { recursive: true });
  const client = new pg.Client({ connectionString: url });
  try {
    expect(await applyMigrations(url, before)).not.toContain(UUID_KEYS);
    await client.connect();
    const [org, repo, person, pr, commit, event] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await client.query(`INSERT INTO "Organization" (id, slug, name) VALUES ($1, 'acme', 'Acme')`, [org]);
    await client.query(`INSERT INTO "Repository" ("orgId", id, provider, owner, name) VALUES ($1, $2, 'github', 'acme', 'api')`, [org, repo]);
    await client.query(`INSERT INTO "Person" ("orgId", id, "displayName") VALUES ($1, $2, 'Ada')`, [org, person]);
    await client.query(
      `INSERT INTO "PullRequest" ("orgId", id, "repositoryId", number, title, url, "authorId", state, "createdAt", "mergedAt")
       VALUES ($1, $2, $3, 7, 'Fix', 'https://example.com/7', $4, 'merged', '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z')`,
      [org, pr, repo, person],
    );
    await client.query(
      `INSERT INTO "Commit" ("orgId", id, "repositoryId", sha, "authorId", "authorEmail", "authorName", "authoredAt", "committedAt", message)
       VALUES ($1, $2, $3, repeat('a', 40), $4, 'ada@example.com', 'Ada', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', 'Fix')`,
      [org, commit, repo, person],
    );
    await client.query(`INSERT INTO "PullRequestCommit" ("orgId", "pullRequestId", "commitId") VALUES ($1, $2, $3)`, [org, pr, commit]);
    await client.query(
      `INSERT INTO "RawEvent" ("orgId", id, source, "deliveryId", "eventType", headers, payload) VALUES ($1, $2, 'github', 'd-1', 'ping', '{}', '{"zen":"ok"}')`,
      [org, event],
    );
    await client.query(`DELETE FROM "RollupDirtyDay"`);

    expect(await applyMigrations(url)).toEqual([UUID_KEYS]);
    const { rows } = await client.query(
      `SELECT pg_typeof(p.id)::text AS type, p.id, p."authorId", c.id AS "commitId", r.id AS "eventId", d."eventId" AS "deliveryEventId"
       FROM "PullRequest" p JOIN "PullRequestCommit" pc ON pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id
       JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId", "RawEvent" r JOIN "RawEventDelivery" d ON d."orgId" = r."orgId" AND d."eventId" = r.id
       WHERE p."orgId" = $1`,
      [org],
    );
    expect(rows).toEqual([{ type: 'uuid', id: pr, authorId: person, commitId: commit, eventId: event, deliveryEventId: event }]);
    // The rollup triggers take uuids now: a change marks its days, and a redelivery is still found.
    await client.query(`UPDATE "PullRequest" SET "mergedAt" = '2026-03-04T10:00:00Z' WHERE id = $1`, [pr]);
    expect((await client.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM "RollupDirtyDay" WHERE "orgId" = $1 ORDER BY day`, [org])).rows.map((r) => r.day)).toEqual(
      expect.arrayContaining(['2026-03-03', '2026-03-04']),
    );
    const again = await client.query(
      `INSERT INTO "RawEvent" ("orgId", id, source, "deliveryId", "eventType", headers, payload) VALUES ($1, $2, 'github', 'd-1', 'ping', '{}', '{}') RETURNING id`,
      [org, randomUUID()],
    );
    expect(again.rowCount).toBe(0);
    // Foreign keys hold across the new types: a link to no pull request is refused.
    await expect(client.query(`INSERT INTO "PullRequestCommit" ("orgId", "pullRequestId", "commitId") VALUES ($1, $2, $3)`, [org, randomUUID(), commit])).rejects.toMatchObject({ code: '23503' });
  } finally {
    await client.end().catch(() => {});
    await rm(before, { recursive: true, force: true });
    await adminQuery(inject('adminUrl'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
});
