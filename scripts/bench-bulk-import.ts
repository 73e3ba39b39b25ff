// Benchmark: the bulk write path of imports (COPY into a staging table, then one INSERT ... ON
// CONFLICT merge) against a plain COPY of the same rows into the same table, in the same run.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:import [-- rows=100000]
import { randomUUID } from 'node:crypto';
import { withBenchDatabase } from './bench-database.ts';

const count = Number(process.argv[2] ?? 100_000);
await withBenchDatabase('bulk', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { copyRows } = await import('../lib/db/copy-rows.ts');
  const { COMMIT_COLUMNS, openCopyClient, upsertCommits } = await import('../lib/ingest/git/import-git-history.ts');
  const rowsFor = async (slug: string) => {
    const org = await db().organization.create({ data: { slug, name: slug } });
    const repo = await db().repository.create({ data: { orgId: org.id, provider: 'github', owner: 'bench', name: slug } });
    return Array.from({ length: count }, (_, i) => ({
      orgId: org.id, id: randomUUID(), repositoryId: repo.id, sha: i.toString(16).padStart(40, '0'), authorId: null, authorEmail: `dev${i % 50}@example.com`,
      authorName: `Dev ${i % 50}`, authoredAt: new Date(1767225600000 + i * 60000), committedAt: new Date(1767225600000 + i * 60000),
      message: `Change ${i}\n\nCo-authored-by: Claude <noreply@anthropic.com>`, additions: i % 200, deletions: i % 50, aiAdditions: i % 2 ? i % 200 : 0,
      isAi: i % 2 === 1, aiEvidence: i % 2 ? [{ kind: 'co_author', tool: 'Claude Code' }] : [], parentCount: 1, onDefaultBranch: true, branches: ['main'], imported: true,
    }));
  };
  const client = (await openCopyClient())!;
  const plainRows = await rowsFor('plain');
  let t = Date.now();
  // Rollup triggers deferred as the import path defers them, so both write the same table the same way.
  await client.query('BEGIN');
  await client.query(`SET LOCAL throughline.rollups_deferred = 'on'`);
  await copyRows(client, 'Commit', COMMIT_COLUMNS, plainRows, new Set(['aiEvidence']));
  await client.query('COMMIT');
  const plain = count / ((Date.now() - t) / 1000);
  const mergedRows = await rowsFor('merged');
  t = Date.now();
  for (let i = 0; i < mergedRows.length; i += 10_000) await upsertCommits(client, mergedRows.slice(i, i + 10_000));
  const merged = count / ((Date.now() - t) / 1000);
  console.log(`plain COPY: ${Math.round(plain)} rows/s; staging COPY + merge: ${Math.round(merged)} rows/s (${Math.round((100 * merged) / plain)}% of COPY)`);
  await client.end();
});
process.exit(0);
