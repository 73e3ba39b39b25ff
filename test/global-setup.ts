import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../lib/db/embedded.ts';
import { applyMigrations } from '../lib/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** 'template': clone `templateDb` per file on `adminUrl`; 'shared': use `adminUrl` as is. */
    dbMode: 'template' | 'shared';
    adminUrl: string;
    templateDb: string;
    runId: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let embedded: EmbeddedDatabase | undefined;

export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const templateDb = `tl_test_${runId}_tpl`;
    await adminQuery(serverUrl, `CREATE DATABASE "${templateDb}"`);
    await applyMigrations(withDatabase(serverUrl, templateDb));
    project.provide('dbMode', 'template');
    project.provide('adminUrl', serverUrl);
    project.provide('templateDb', templateDb);
    project.provide('runId', runId);
    return async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`tl_test_${runId}_%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await client.end();
    };
  }
  embedded = await startEmbeddedDatabase({ dataDir: 'memory://' });
  await applyMigrations(embedded.url);
  project.provide('dbMode', 'shared');
  project.provide('adminUrl', embedded.url);
  project.provide('templateDb', '');
  project.provide('runId', runId);
  return async () => {
    await embedded?.stop();
  };
}

export { withDatabase };
