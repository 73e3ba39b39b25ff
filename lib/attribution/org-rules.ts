import { Prisma } from '../db/generated/client.ts';
import type { Sql } from '../db/sql.ts';
import type { OrgRule } from './detect.ts';

/** How an org attributes AI: its own patterns, and whether weak evidence (mentions) counts. */
export interface AttributionPolicy {
  rules: OrgRule[];
  countWeak: boolean;
}

/** SQL for the enabled patterns of the org whose id `orgId` is (SQL), in creation order, as a JSON array of OrgRule. */
export function orgRulesSql(orgId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce((SELECT json_agg(json_build_object('kind', r.kind, 'pattern', r.pattern, 'tool', r.tool) ORDER BY r.id)
                              FROM "AiAttributionRule" r WHERE r."orgId" = ${orgId} AND r.enabled), '[]')`;
}

/** The org's enabled attribution patterns (in creation order) and its weak-evidence choice, in one round trip. */
export async function loadAttributionPolicy(sql: Sql, orgId: string): Promise<AttributionPolicy> {
  const [row] = await sql.query<{ countWeak: boolean; rules: OrgRule[] }>`
    SELECT o."countWeakAiSignals" AS "countWeak", ${orgRulesSql(Prisma.sql`o.id`)} AS rules
    FROM "Organization" o WHERE o.id = ${orgId}::uuid`;
  if (!row) throw new Error(`organization ${orgId} not found`);
  return { rules: row.rules, countWeak: row.countWeak };
}
