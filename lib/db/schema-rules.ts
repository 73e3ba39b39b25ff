// The tenancy rule of prisma/schema.prisma, as a check the tests run: every tenant model has an
// `orgId` column, and its primary key and each unique key start with `orgId` (so every lookup is
// scoped by org and the tables can be distributed by org on Citus).

export const GLOBAL_MODELS = new Set(['Organization', 'User', 'Account', 'Session', 'VerificationToken']);

interface Model {
  name: string;
  body: string;
}

export function parseModels(schema: string): Model[] {
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map((m) => ({ name: m[1]!, body: m[2]! }));
}

/** Violations of the tenancy rule, one readable line each; empty when the schema keeps it. */
export function findTenancyViolations(schema: string): string[] {
  const violations: string[] = [];
  for (const { name, body } of parseModels(schema)) {
    if (GLOBAL_MODELS.has(name)) continue;
    const lines = body.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
    if (!lines.some((l) => /^orgId\s+String\s/.test(`${l} `))) violations.push(`${name}: no orgId String column`);
    for (const l of lines) {
      const field = l.match(/^(\w+)\s+\S+.*@(id|unique)\b/);
      if (field) violations.push(`${name}.${field[1]}: field-level @${field[2]} does not lead with orgId`);
    }
    const ids = lines.filter((l) => l.startsWith('@@id('));
    if (ids.length === 0 && !lines.some((l) => /@id\b/.test(l))) violations.push(`${name}: no primary key`);
    for (const l of lines.filter((x) => x.startsWith('@@id(') || x.startsWith('@@unique('))) {
      const first = l.match(/\(\s*\[\s*(\w+)/)?.[1];
      if (first !== 'orgId') violations.push(`${name}: ${l} does not lead with orgId`);
    }
  }
  return violations;
}
