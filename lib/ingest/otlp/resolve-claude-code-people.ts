import type { Sql } from '../../db/sql.ts';

// Who a Claude Code identity is, by the rule of the other AI usage paths
// (lib/ingest/ai-usage/resolve-usage-people.ts): an email matches a person's email or any of their
// identities' (case-insensitive); an account uuid or user id matches a `claude_code` identity's id.
// No match, or matches on several people, leaves the usage unattributed (personId null, the
// identityKey kept); AI usage never creates people. A replay resolves again.

function onlyOne(ids: readonly string[]): string | null {
  const distinct = new Set(ids);
  return distinct.size === 1 ? [...distinct][0]! : null;
}

/**
 * identityKey → person id (or null) for each distinct key. A key with an "@" is an email (keys are
 * lower-cased emails, else account uuids or user ids, which never hold one).
 */
export async function resolveClaudeCodePeople(sql: Sql, orgId: string, identityKeys: readonly string[]): Promise<Map<string, string | null>> {
  const distinctKeys = [...new Set(identityKeys)].filter((k) => k !== '');
  const emails = distinctKeys.filter((k) => k.includes('@'));
  const userKeys = distinctKeys.filter((k) => !k.includes('@'));
  const matches = new Map<string, string[]>();
  const add = (key: string, personId: string) => matches.set(key, [...(matches.get(key) ?? []), personId]);
  if (emails.length) {
    const found = await sql.query<{ key: string; personId: string }>`
      SELECT lower(email) AS key, "personId" FROM "Identity" WHERE "orgId" = ${orgId}::uuid AND lower(email) = ANY(${emails}::text[])
      UNION
      SELECT lower(email), id FROM "Person" WHERE "orgId" = ${orgId}::uuid AND lower(email) = ANY(${emails}::text[])`;
    for (const f of found) add(f.key, f.personId);
  }
  if (userKeys.length) {
    const found = await sql.query<{ externalId: string; personId: string }>`
      SELECT "externalId", "personId" FROM "Identity" WHERE "orgId" = ${orgId}::uuid AND provider = 'claude_code' AND "externalId" = ANY(${userKeys}::text[])`;
    for (const f of found) add(f.externalId, f.personId);
  }
  return new Map(identityKeys.map((key) => [key, onlyOne(matches.get(key) ?? [])]));
}
