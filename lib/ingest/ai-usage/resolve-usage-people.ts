import type { Prisma } from '../../db/generated/client.ts';
import type { UsageRow } from './sum-usage-records.ts';

// Who a usage row belongs to, from the people Throughline already knows: an email matches a
// person's email or any of their identities' (case-insensitive); a login or user id matches an
// identity's login or provider id (of `personProvider` when given). A key that matches no one, or
// several people, leaves the row unattributed (personId null, its identityKey kept): AI usage
// never creates people, since tool seats include non-engineers. Merging people moves their rows,
// and a replay resolves again against the identities known then.

interface IdentityRow {
  provider: string;
  login: string | null;
  externalId: string;
  personId: string;
}

function onlyOne(ids: Iterable<string>): string | null {
  const distinct = new Set(ids);
  return distinct.size === 1 ? [...distinct][0]! : null;
}

/** A person id (or null) for each row, in order. */
export async function resolveUsagePeople(tx: Prisma.TransactionClient, orgId: string, rows: readonly UsageRow[]): Promise<(string | null)[]> {
  const emails = [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))];
  const keys = [...new Set(rows.flatMap((r) => (r.person ? [r.person] : [])))];
  const byEmail = new Map<string, string[]>();
  if (emails.length) {
    const found = await tx.$queryRaw<{ email: string; personId: string }[]>`
      SELECT lower(email) AS email, "personId" FROM "Identity" WHERE "orgId" = ${orgId} AND lower(email) = ANY(${emails}::text[])
      UNION
      SELECT lower(email), id FROM "Person" WHERE "orgId" = ${orgId} AND lower(email) = ANY(${emails}::text[])`;
    for (const f of found) byEmail.set(f.email, [...(byEmail.get(f.email) ?? []), f.personId]);
  }
  const identities = keys.length
    ? await tx.$queryRaw<IdentityRow[]>`
        SELECT provider::text AS provider, lower(login) AS login, "externalId", "personId" FROM "Identity"
        WHERE "orgId" = ${orgId} AND (lower(login) = ANY(${keys.map((k) => k.toLowerCase())}::text[]) OR "externalId" = ANY(${keys}::text[]))`
    : [];
  return rows.map((row) => {
    const viaEmail = row.email ? onlyOne(byEmail.get(row.email) ?? []) : null;
    if (viaEmail || !row.person) return viaEmail;
    const login = row.person.toLowerCase();
    const matching = identities.filter((i) => (!row.personProvider || i.provider === row.personProvider) && (i.login === login || i.externalId === row.person));
    return onlyOne(matching.map((i) => i.personId));
  });
}
