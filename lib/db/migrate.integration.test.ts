import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, test } from 'vitest';
import { adminQuery, withDatabase } from '../../test/global-setup.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations, MIGRATIONS_DIR, SCHEMA_PATH, withEngine } from './migrate.ts';

const allMigrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

/**
 * Tables, columns, keys, indexes and enums of the public schema, as sorted text. Partitions are
 * left out and a partitioned table's indexes read like a plain table's: the migrations partition
 * the raw log by month, which a Prisma schema cannot say (the partitions get their own test).
 */
async function schemaFingerprint(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const partitions = `(SELECT c.relname FROM pg_class c WHERE c.relispartition)`;
    const queries = [
      `SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS x
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND table_name NOT IN ${partitions}`,
      `SELECT replace(indexdef, ' ON ONLY ', ' ON ') AS x FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND tablename NOT IN ${partitions}`,
      `SELECT c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS x FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '_prisma_migrations'
         AND NOT coalesce((SELECT relispartition FROM pg_class WHERE oid = c.conrelid), false)`,
      `SELECT t.typname || ' ' || e.enumlabel || ' ' || e.enumsortorder AS x FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`,
    ];
    const rows: string[] = [];
    for (const q of queries) rows.push(...(await client.query<{ x: string }>(q)).rows.map((r) => r.x));
    return rows.sort();
  } finally {
    await client.end();
  }
}

async function expectAppliesOnceThenNothing(url: string) {
  expect(await applyMigrations(url)).toEqual(allMigrations);
  expect(await applyMigrations(url)).toEqual([]);
}

describe('migrations', () => {
  test.runIf(inject('dbMode') === 'template')('apply to an empty PostgreSQL, and a second apply does nothing', async () => {
    const name = `tl_test_${inject('runId')}_mig_${randomBytes(3).toString('hex')}`;
    await adminQuery(inject('adminUrl'), `CREATE DATABASE "${name}"`);
    const url = withDatabase(inject('adminUrl'), name);
    await expectAppliesOnceThenNothing(url);

    // No drift: the migrations build exactly what prisma/schema.prisma describes, compared through
    // the catalogs of a second database made straight from the schema.
    const direct = `${name}_direct`;
    await adminQuery(inject('adminUrl'), `CREATE DATABASE "${direct}"`);
    const directUrl = withDatabase(inject('adminUrl'), direct);
    const sql = await withEngine(directUrl, async (engine) => {
      const files = [{ path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, 'utf8') }];
      const out = await engine.diff({ from: { tag: 'empty' }, to: { tag: 'schemaDatamodel', files }, script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
      return out.stdout as string;
    });
    await adminQuery(directUrl, sql);
    expect(await schemaFingerprint(url)).toEqual(await schemaFingerprint(directUrl));
    for (const db of [name, direct]) await adminQuery(inject('adminUrl'), `DROP DATABASE "${db}" WITH (FORCE)`);
  });

  test('apply to the embedded database, and a second apply does nothing', async () => {
    const embedded = await startEmbeddedDatabase({ dataDir: 'memory://' });
    try {
      await expectAppliesOnceThenNothing(embedded.url);
    } finally {
      await embedded.stop();
    }
  });
});
