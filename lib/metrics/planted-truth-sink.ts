import pg from 'pg';
import { db } from '../db/client.ts';
import { copyRows } from '../db/copy-rows.ts';
import { env } from '../env.ts';

// Bulk writes of the planted-truth generator: COPY on a real PostgreSQL (with the rollup triggers
// deferred: the caller rebuilds after), createMany on the embedded database, which has no COPY.

export const TABLES = {
  TeamMembership: { model: 'teamMembership', columns: ['orgId', 'id', 'teamId', 'personId', 'validFrom', 'validTo'] },
  PullRequest: {
    model: 'pullRequest',
    columns: ['orgId', 'id', 'repositoryId', 'number', 'title', 'authorId', 'state', 'isDraft', 'createdAt', 'readyAt', 'firstCommitAt', 'firstReviewAt', 'approvedAt', 'mergedAt', 'closedAt', 'headSha', 'additions', 'deletions', 'aiShare', 'aiEvidence'],
  },
  CiRun: {
    model: 'ciRun',
    columns: ['orgId', 'id', 'repositoryId', 'provider', 'externalId', 'runAttempt', 'workflow', 'headSha', 'pullRequestId', 'status', 'conclusion', 'startedAt', 'completedAt'],
  },
  Review: { model: 'review', columns: ['orgId', 'id', 'pullRequestId', 'externalId', 'reviewerId', 'state', 'submittedAt'] },
  Ticket: { model: 'ticket', columns: ['orgId', 'id', 'source', 'externalId', 'key', 'title', 'statusCategory', 'createdAt', 'startedAt', 'doneAt'] },
  TicketPullRequestLink: { model: 'ticketPullRequestLink', columns: ['orgId', 'ticketId', 'pullRequestId', 'foundBy'] },
  Commit: {
    model: 'commit',
    columns: ['orgId', 'id', 'repositoryId', 'sha', 'authorId', 'authoredAt', 'committedAt', 'message', 'additions', 'deletions', 'aiAdditions', 'isAi', 'aiEvidence', 'parentCount', 'onDefaultBranch'],
  },
  AiUsageDaily: { model: 'aiUsageDaily', columns: ['orgId', 'id', 'day', 'tool', 'identityKey', 'model', 'personId', 'tokensIn', 'tokensOut', 'tokensCacheRead', 'tokensCacheWrite', 'costUsd'] },
} as const;

export type Table = keyof typeof TABLES;
export type Row = Record<string, unknown>;
const JSON_COLUMNS = new Set(['aiEvidence']);

/** Rows buffered per table, written in dependency order (TABLES' order) by `flush`. */
export class BulkSink {
  private readonly buffers = new Map<Table, Row[]>();
  readonly written: Record<Table, number> = { TeamMembership: 0, PullRequest: 0, CiRun: 0, Review: 0, Ticket: 0, TicketPullRequestLink: 0, Commit: 0, AiUsageDaily: 0 };

  private constructor(
    private readonly copy: pg.Client | null,
    /** Whether triggers (foreign-key checks included) were skipped, not only deferred. */
    readonly bypassed = false,
  ) {}

  /**
   * On a real server: a connection of its own whose writes leave rollups to a rebuild
   * (tl_rollups_deferred). `bypassTriggers` (benchmarks) also skips every trigger, foreign-key
   * checks included, when the role may (superuser): the generator's rows are consistent by construction.
   */
  static async open({ bypassTriggers = false } = {}): Promise<BulkSink> {
    const [row] = await db().$queryRaw<{ version: string }[]>`SELECT version()`;
    if (row?.version.includes('PGlite')) return new BulkSink(null);
    const client = new pg.Client({ connectionString: env().DATABASE_URL });
    await client.connect();
    await client.query(`SET throughline.rollups_deferred = 'on'`);
    const bypassed = bypassTriggers && (await client.query(`SET session_replication_role = replica`).then(() => true, () => false));
    return new BulkSink(client, bypassed);
  }

  get copying(): boolean {
    return this.copy !== null;
  }

  push(table: Table, row: Row): void {
    const rows = this.buffers.get(table) ?? [];
    this.buffers.set(table, rows);
    rows.push(row);
  }

  size(table: Table): number {
    return this.buffers.get(table)?.length ?? 0;
  }

  async flush(): Promise<void> {
    for (const table of Object.keys(TABLES) as Table[]) {
      const rows = this.buffers.get(table);
      if (!rows?.length) continue;
      this.buffers.set(table, []);
      if (this.copy) {
        await copyRows(this.copy, table, [...TABLES[table].columns], rows, JSON_COLUMNS);
      } else {
        const delegate = (db() as unknown as Record<string, { createMany(args: { data: Row[] }): Promise<unknown> }>)[TABLES[table].model]!;
        for (let i = 0; i < rows.length; i += 1000) await delegate.createMany({ data: rows.slice(i, i + 1000) });
      }
      this.written[table] += rows.length;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await this.copy?.end();
  }
}
