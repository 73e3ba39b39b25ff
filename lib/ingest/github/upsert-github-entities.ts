import type { z } from 'zod';
import type { Repository } from '../../db/generated/client.ts';
import { uuidV7 } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import { holdsAll } from '../same-row.ts';
import type { githubRepositorySchema, githubUserSchema } from './payload-schemas.ts';

/**
 * The org's repository for a GitHub repository payload, created on first sight. Almost every event
 * names a repository already stored as it is: then it is only read, since writing the row would
 * lock it and make every concurrent event of that repository wait for the others to commit.
 */
export async function upsertGithubRepository(sql: Sql, orgId: string, repo: z.infer<typeof githubRepositorySchema>): Promise<Repository> {
  const data = { externalId: String(repo.id), url: repo.html_url, ...(repo.default_branch ? { defaultBranch: repo.default_branch } : {}) };
  const [stored] = await sql.query<Repository>`
    SELECT * FROM "Repository" WHERE "orgId" = ${orgId}::uuid AND provider = 'github' AND owner = ${repo.owner.login} AND name = ${repo.name}`;
  if (stored && holdsAll(stored, data)) return stored;
  const defaultBranch = repo.default_branch ?? null;
  const [upserted] = await sql.query<Repository>`
    INSERT INTO "Repository" (id, "orgId", provider, owner, name, "externalId", url, "defaultBranch")
    VALUES (${uuidV7()}::uuid, ${orgId}::uuid, 'github', ${repo.owner.login}, ${repo.name}, ${data.externalId}, ${data.url}, coalesce(${defaultBranch}::text, 'main'))
    ON CONFLICT ("orgId", provider, owner, name) DO UPDATE
      SET "externalId" = EXCLUDED."externalId", url = EXCLUDED.url, "defaultBranch" = coalesce(${defaultBranch}::text, "Repository"."defaultBranch")
    RETURNING *`;
  return upserted!;
}

/** GitHub accounts that are bots: Bot-type accounts and `…[bot]` logins. */
export function isGithubBot(user: z.infer<typeof githubUserSchema>): boolean {
  return user.type === 'Bot' || user.login.endsWith('[bot]');
}

/** The person behind a GitHub account (by its stable numeric id), created on first sight. */
export async function upsertGithubPerson(sql: Sql, orgId: string, user: z.infer<typeof githubUserSchema>): Promise<string> {
  const externalId = String(user.id);
  const [identity] = await sql.query<{ personId: string; login: string | null }>`
    SELECT "personId", login FROM "Identity" WHERE "orgId" = ${orgId}::uuid AND provider = 'github' AND "externalId" = ${externalId}`;
  if (identity) {
    if (identity.login !== user.login) {
      await sql.execute`UPDATE "Identity" SET login = ${user.login} WHERE "orgId" = ${orgId}::uuid AND provider = 'github' AND "externalId" = ${externalId}`;
    }
    return identity.personId;
  }
  // Commits may have come first under this account's no-reply address (id+login@…): same person.
  const [noreply] = await sql.query<{ personId: string }>`
    SELECT "personId" FROM "Identity"
    WHERE "orgId" = ${orgId}::uuid AND provider = 'git_email' AND starts_with("externalId", ${`${externalId}+`})
      AND "externalId" LIKE '%@users.noreply.github.com' ORDER BY id LIMIT 1`;
  if (noreply) {
    await sql.execute`INSERT INTO "Identity" (id, "orgId", "personId", provider, "externalId", login)
      VALUES (${uuidV7()}::uuid, ${orgId}::uuid, ${noreply.personId}::uuid, 'github', ${externalId}, ${user.login})`;
    return noreply.personId;
  }
  const personId = uuidV7();
  // The person and its identity in one statement (the foreign key is checked at its end).
  await sql.execute`
    WITH person AS (INSERT INTO "Person" (id, "orgId", "displayName", "isBot") VALUES (${personId}::uuid, ${orgId}::uuid, ${user.login}, ${isGithubBot(user)}::boolean))
    INSERT INTO "Identity" (id, "orgId", "personId", provider, "externalId", login)
    VALUES (${uuidV7()}::uuid, ${orgId}::uuid, ${personId}::uuid, 'github', ${externalId}, ${user.login})`;
  return personId;
}
