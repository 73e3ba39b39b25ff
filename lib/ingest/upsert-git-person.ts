import { uuidV7 } from '../db/ids.ts';
import type { Sql } from '../db/sql.ts';

// GitHub's no-reply commit addresses carry the account id: 12345+login@users.noreply.github.com.
const GITHUB_NOREPLY = /^(\d+)\+[^@]+@users\.noreply\.github\.com$/;

/**
 * The person behind a commit email, created on first sight. A GitHub no-reply address names its
 * account, so it joins the person of that GitHub identity when one is known; other addresses stay
 * apart until an admin merges them (`throughline people merge`).
 */
export async function upsertGitEmailPerson(sql: Sql, orgId: string, actor: { name: string; email: string }): Promise<string> {
  const email = actor.email.toLowerCase();
  const githubId = email.match(GITHUB_NOREPLY)?.[1] ?? null;
  // The address's own identity, else the person of the GitHub account it names: one round trip.
  const [known] = await sql.query<{ personId: string; provider: string }>`
    SELECT "personId", provider::text FROM "Identity"
    WHERE "orgId" = ${orgId}::uuid AND ((provider = 'git_email' AND "externalId" = ${email}) OR (provider = 'github' AND "externalId" = ${githubId}::text))
    ORDER BY provider = 'git_email' DESC LIMIT 1`;
  if (known?.provider === 'git_email') return known.personId;
  const personId = known?.personId ?? uuidV7();
  const isBot = /\[bot\]/.test(actor.name) || /\[bot\]@/.test(email);
  // The person (unless the GitHub account's) and the address's identity in one statement.
  await sql.execute`
    WITH person AS (
      INSERT INTO "Person" (id, "orgId", "displayName", email, "isBot")
      SELECT ${personId}::uuid, ${orgId}::uuid, ${actor.name}, ${email}, ${isBot}::boolean WHERE ${!known}::boolean)
    INSERT INTO "Identity" (id, "orgId", "personId", provider, "externalId", email)
    VALUES (${uuidV7()}::uuid, ${orgId}::uuid, ${personId}::uuid, 'git_email', ${email}, ${email})`;
  return personId;
}
