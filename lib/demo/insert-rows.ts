import { Prisma } from '../db/generated/client.ts';

// Bulk insert for the demo seed. Raw SQL on purpose: createMany spent ~90% of a 10 s seed in
// Prisma's own query processing, while handing PostgreSQL a chunk of rows as one JSON parameter
// and expanding it with json_populate_recordset does the same inserts in about a tenth of the time.
// Values go as JSON.stringify writes them: Dates as ISO strings (for a DATE column PostgreSQL
// takes the date part, the UTC date, as Prisma does), Decimals as strings, BigInts as strings.

/** `id` has a Prisma-side default only (uuid(7)), so rows must bring their own. */
type WithId<T> = 'id' extends keyof T ? T & { id: string } : T;

/** The tables the demo fills, with their row types. */
interface Tables {
  Team: Prisma.TeamCreateManyInput;
  Person: Prisma.PersonCreateManyInput;
  Identity: Prisma.IdentityCreateManyInput;
  TeamMembership: Prisma.TeamMembershipCreateManyInput;
  Repository: Prisma.RepositoryCreateManyInput;
  Ticket: Prisma.TicketCreateManyInput;
  PullRequest: Prisma.PullRequestCreateManyInput;
  Commit: Prisma.CommitCreateManyInput;
  PullRequestCommit: Prisma.PullRequestCommitCreateManyInput;
  TicketPullRequestLink: Prisma.TicketPullRequestLinkCreateManyInput;
  Review: Prisma.ReviewCreateManyInput;
  ReviewComment: Prisma.ReviewCommentCreateManyInput;
  CiRun: Prisma.CiRunCreateManyInput;
  TestResultSummary: Prisma.TestResultSummaryCreateManyInput;
  AiUsageDaily: Prisma.AiUsageDailyCreateManyInput;
  Annotation: Prisma.AnnotationCreateManyInput;
}
export type TableName = keyof Tables;
export type InsertRow<T extends TableName> = WithId<Tables[T]>;

/** The only table names that reach SQL. */
const TABLE_NAMES = new Set<string>([
  'Team', 'Person', 'Identity', 'TeamMembership', 'Repository', 'Ticket', 'PullRequest', 'Commit', 'PullRequestCommit',
  'TicketPullRequestLink', 'Review', 'ReviewComment', 'CiRun', 'TestResultSummary', 'AiUsageDaily', 'Annotation',
] satisfies TableName[]);

const MAX_CHUNK_CHARS = 4_000_000;

const toJson = (row: object) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

/** JSON arrays of the rows, each at most a few MB unless one row is bigger. */
function jsonChunks(rows: readonly string[]): string[] {
  const chunks: string[][] = [[]];
  let size = 0;
  for (const row of rows) {
    if (size + row.length > MAX_CHUNK_CHARS && size > 0) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]?.push(row);
    size += row.length + 1;
  }
  return chunks.filter((c) => c.length > 0).map((c) => `[${c.join(',')}]`);
}

/** Inserts the rows into the table; a column a row leaves out gets its database default. */
export async function insertRows<T extends TableName>(tx: Prisma.TransactionClient, table: T, rows: readonly InsertRow<T>[]): Promise<void> {
  if (!TABLE_NAMES.has(table)) throw new Error(`insertRows: unknown table ${table}`);
  const target = Prisma.raw(`"${table}"`);
  // One statement per set of columns given, so an omitted column gets its default and not NULL.
  const byColumns = new Map<string, string[]>();
  for (const row of rows) {
    const columns = Object.keys(row).filter((key) => row[key as keyof typeof row] !== undefined).join(',');
    const group = byColumns.get(columns) ?? [];
    if (group.length === 0) byColumns.set(columns, group);
    group.push(toJson(row));
  }
  for (const [columns, group] of byColumns) {
    const names = columns.split(',');
    if (!names.every((name) => /^\w+$/.test(name))) throw new Error(`insertRows: bad column name in ${table}(${columns})`);
    const list = Prisma.raw(names.map((name) => `"${name}"`).join(', '));
    for (const json of jsonChunks(group)) {
      await tx.$executeRaw`INSERT INTO ${target} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${target}, ${json}::json)`;
    }
  }
}
