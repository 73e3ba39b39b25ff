// `npm run test:e2e` after the build: the end-to-end suites, each on the database it is about.
//
// - With DATABASE_URL (CI, or a developer's PostgreSQL): the main suite runs on a fresh database
//   made beside it on the same server (dropped afterwards), as a deployment runs; then the
//   first-run suite (e2e/first-run) runs on the embedded database, as `npm start` on a fresh
//   machine does, start-up included.
// - Without: everything runs on the embedded database.
// Arguments are passed to every `playwright test` (e.g. a file filter, --headed).
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const args = process.argv.slice(2);

function playwright(projects: string[], env: Record<string, string>): number {
  const result = spawnSync('npx', ['playwright', 'test', ...projects.map((p) => `--project=${p}`), ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

async function withFreshDatabase(serverUrl: string, run: (url: string) => number): Promise<number> {
  const url = new URL(serverUrl);
  const name = `throughline_e2e_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    url.pathname = `/${name}`;
    return run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

const serverUrl = process.env.E2E_DATABASE_URL ? null : process.env.DATABASE_URL;
let status: number;
if (serverUrl) {
  console.log('e2e: the main suite on a fresh PostgreSQL database, then the first-run suite on the embedded database');
  status = await withFreshDatabase(serverUrl, (url) => playwright(['warm-up', 'e2e'], { E2E_DATABASE_URL: url }));
  // Its own output folder: each run empties its folder first, and the first run's failures must stay.
  const firstRun = playwright(['first-run'], {
    E2E_DATABASE_URL: '', E2E_PORT: String(Number(process.env.E2E_PORT ?? 3100) + 1), E2E_OUTPUT_DIR: `${process.env.E2E_OUTPUT_DIR ?? 'test-results'}-first-run`,
  });
  status ||= firstRun;
} else {
  status = playwright(['warm-up', 'e2e', 'first-run'], {});
}
process.exit(status);
