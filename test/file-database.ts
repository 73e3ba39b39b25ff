import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { disconnectDb } from '../lib/db/client.ts';
import { resetEnvCache } from '../lib/env.ts';
import { adminQuery, withDatabase } from './global-setup.ts';

// Runs before each integration test file: points DATABASE_URL (read through lib/env.ts) at a
// database of the file's own, cloned from the migrated template.
const mode = inject('dbMode');
const adminUrl = inject('adminUrl');
let fileDb: string | undefined;

if (mode === 'template') {
  fileDb = `tl_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${fileDb}" TEMPLATE "${inject('templateDb')}"`);
  process.env.DATABASE_URL = withDatabase(adminUrl, fileDb);
} else {
  process.env.DATABASE_URL = adminUrl;
  process.env.DATABASE_POOL_MAX = '1';
}
// Stored secrets (SSO, webhooks) are encrypted under this key; any 32 bytes do for tests.
process.env.THROUGHLINE_SECRET_KEY ??= randomBytes(32).toString('base64');
resetEnvCache();

afterAll(async () => {
  await disconnectDb();
  if (fileDb) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${fileDb}" WITH (FORCE)`);
});
