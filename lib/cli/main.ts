import { readFile } from 'node:fs/promises';
import { execFileSync, spawn } from 'node:child_process';
import { Command, InvalidArgumentError } from 'commander';
import { formatZodIssues } from '../http/errors.ts';
import { TOKEN_SCOPES, type TokenScope } from '../auth/token-scopes.ts';
import type { DatabaseHandle } from './with-database.ts';
import type { WebhookSource } from '../auth/webhook-secrets.ts';
import type { UsageVendor } from '../ingest/ai-usage/read-usage-file.ts';

// Each command loads what it needs when it runs (dynamic imports in its action): `import git` then
// does not load the embedded database, the migration engine, the server or the other importers,
// and starts git before it loads anything large (zod and lib/env.ts included).

/** The parsed environment (lib/env.ts, loaded at the first use). */
async function env() {
  return (await import('../env.ts')).env();
}

// The choices the commands are declared with, without loading the modules that act on them; the
// types keep them equal to those modules' lists.
const WEBHOOK_SOURCES = ['github', 'gitlab', 'jira', 'linear'] as const satisfies readonly WebhookSource[];
const USAGE_VENDORS = ['copilot', 'cursor', 'anthropic', 'openai'] as const satisfies readonly UsageVendor[];
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
const everyChoiceListed: [Missing<WebhookSource, (typeof WEBHOOK_SOURCES)[number]>, Missing<UsageVendor, (typeof USAGE_VENDORS)[number]>] = [true, true];
void everyChoiceListed;

async function withDatabase<T>(fn: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const { withDatabase: run } = await import('./with-database.ts');
  return run(fn);
}

async function getOrgBySlug(slug: string) {
  const { getOrgBySlug: get } = await import('../orgs/get-org-by-slug.ts');
  return get(slug);
}

/** A token from the environment variable the user named (so not one lib/env.ts can declare). */
function tokenFromEnv(name: string): string {
  const token = process.env[name];
  if (!token) throw new InvalidArgumentError(`set ${name} to a GitHub token (or name another variable with --token-env)`);
  return token;
}

/**
 * A git command's standard output, without blocking this process while it runs; git's errors go
 * to stderr and into the error, as with execFileSync.
 */
function gitOutput(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      process.stderr.write(s);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`Command failed: git ${args.join(' ')}${stderr ? `\n${stderr}` : ''}`))));
  });
}

/** Whether a git command succeeds (its output and errors unread). */
function gitSucceeds(args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

const program = new Command('throughline')
  .description('Throughline: AI generation volume against ticket-to-merge cycle time and delivered work.')
  .showHelpAfterError();

const dbCommand = program.command('db').description('database schema');

dbCommand
  .command('migrate')
  .description('apply pending migrations (DATABASE_URL, or the embedded database)')
  .action(async () => {
    const { applyMigrations } = await import('../db/migrate.ts');
    await withDatabase(async ({ url }) => {
      const applied = await applyMigrations(url);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });
  });

dbCommand
  .command('migration')
  .argument('<name>', 'migration name, lower_snake_case')
  .description('write a migration from the committed prisma/schema.prisma to the working one')
  .action(async (name: string) => {
    const { createMigration } = await import('../db/migrate.ts');
    await withDatabase(async ({ url }) => {
      const folder = await createMigration(url, name);
      console.log(folder ? `wrote ${folder}/migration.sql` : 'schema unchanged: no migration written');
    });
  });

program
  .command('seed')
  .description('load data')
  .command('demo')
  .description('create the demo organization (deterministic for a seed number)')
  .option('--seed <n>', 'random seed', integer)
  .option('--slug <slug>', 'organization slug', 'demo')
  .option('--reset', 'delete and recreate the org if it exists', false)
  .action(async (opts: { seed?: number; slug: string; reset: boolean }) => {
    const [{ applyMigrations }, { db }, { seedDemoOrg }] = await Promise.all([import('../db/migrate.ts'), import('../db/client.ts'), import('../demo/seed-demo.ts')]);
    await withDatabase(async ({ url }) => {
      await applyMigrations(url);
      const t = Date.now();
      const result = await seedDemoOrg(db(), { seed: opts.seed ?? (await env()).DEMO_SEED, slug: opts.slug, reset: opts.reset, until: new Date() });
      if (!result.created) console.log(`org '${opts.slug}' exists; use --reset to recreate it`);
      else console.log(`seeded '${opts.slug}' in ${((Date.now() - t) / 1000).toFixed(1)}s:`, result.counts);
    });
  });

const orgCommand = program.command('org').description('organizations');

orgCommand
  .command('add-oidc')
  .argument('<slug>', 'organization')
  .requiredOption('--issuer <url>', 'OIDC issuer URL (its /.well-known/openid-configuration is used)')
  .requiredOption('--client-id <id>', 'client id registered at the IdP')
  .requiredOption('--client-secret <secret>', 'client secret (stored encrypted; "-" reads it from standard input)')
  .requiredOption('--domains <list>', 'comma-separated email domains allowed to sign in, e.g. acme.com')
  .description("set the org's OIDC single sign-on (redirect URL to register: <PUBLIC_URL>/api/auth/callback/oidc-<slug>)")
  .action(async (slug: string, opts: { issuer: string; clientId: string; clientSecret: string; domains: string }) => {
    const { setOidcConnection } = await import('../auth/sso-connections.ts');
    const clientSecret = opts.clientSecret === '-' ? (await readStdin()).trim() : opts.clientSecret;
    await withDatabase(async () => {
      const org = await getOrgBySlug(slug);
      await setOidcConnection({ orgId: org.id, issuer: opts.issuer, clientId: opts.clientId, clientSecret, allowedDomains: opts.domains.split(',') });
      const { PUBLIC_URL, HOST, PORT } = await env();
      console.log(`OIDC sign-in set for '${slug}'; register this redirect URL at the IdP: ${PUBLIC_URL ?? `http://${HOST}:${PORT}`}/api/auth/callback/oidc-${slug}`);
    });
  });

orgCommand
  .command('add-saml')
  .argument('<slug>', 'organization')
  .requiredOption('--metadata <file>', 'IdP metadata XML file ("-" reads it from standard input)')
  .requiredOption('--domains <list>', 'comma-separated email domains allowed to sign in, e.g. acme.com')
  .description("set the org's SAML 2.0 single sign-on from its IdP's metadata; prints what to register at the IdP")
  .action(async (slug: string, opts: { metadata: string; domains: string }) => {
    const { samlUrls, setSamlConnection } = await import('../auth/saml.ts');
    const metadataXml = opts.metadata === '-' ? await readStdin() : await readFile(opts.metadata, 'utf8');
    await withDatabase(async () => {
      const org = await getOrgBySlug(slug);
      await setSamlConnection({ orgId: org.id, metadataXml, allowedDomains: opts.domains.split(',') });
      const { PUBLIC_URL, HOST, PORT } = await env();
      const { acsUrl, entityId } = samlUrls(PUBLIC_URL ?? `http://${HOST}:${PORT}`, org.slug);
      console.log(`SAML sign-in set for '${slug}'; register at the IdP:\nACS URL:   ${acsUrl}\nEntity ID: ${entityId} (also the SP metadata URL)`);
    });
  });

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

orgCommand
  .command('create')
  .argument('<slug>', 'URL name of the org, e.g. acme')
  .requiredOption('--name <name>', 'display name')
  .option('--time-zone <tz>', 'IANA time zone its weeks follow', 'UTC')
  .action(async (slug: string, opts: { name: string; timeZone: string }) => {
    const { createOrg } = await import('../orgs/create-org.ts');
    await withDatabase(async () => {
      const org = await createOrg({ slug, name: opts.name, timeZone: opts.timeZone });
      console.log(`created org '${org.slug}' (${org.id})`);
    });
  });

function scopeList(value: string): TokenScope[] {
  const scopes = value.split(',').map((s) => s.trim());
  const bad = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (bad.length) throw new InvalidArgumentError(`unknown scope ${bad.join(', ')}; scopes are ${TOKEN_SCOPES.join(', ')}`);
  return scopes as TokenScope[];
}

const webhookCommand = program.command('webhook').description('webhook URLs and signing secrets');

webhookCommand
  .command('secret')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--source <source>', WEBHOOK_SOURCES.join(' | '))
  .option('--rotate', 'make a new secret (the old one stops verifying at once)', false)
  .description('print the webhook URL and signing secret to paste into the source (creates one if none)')
  .action(async (opts: { org: string; source: string; rotate: boolean }) => {
    const { getWebhookSecret, rotateWebhookSecret, webhookUrl } = await import('../auth/webhook-secrets.ts');
    const source = opts.source as WebhookSource;
    if (!WEBHOOK_SOURCES.includes(source)) throw new InvalidArgumentError(`--source must be one of ${WEBHOOK_SOURCES.join(', ')}`);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const existing = opts.rotate ? null : await getWebhookSecret({ orgId: org.id, source });
      const secret = existing ?? (await rotateWebhookSecret({ orgId: org.id, source }));
      const { PUBLIC_URL, HOST, PORT } = await env();
      console.log(`URL:    ${webhookUrl(PUBLIC_URL ?? `http://${HOST}:${PORT}`, org.slug, source)}\nSecret: ${secret}`);
    });
  });

const tokenCommand = program.command('token').description('ingest tokens for machines (CI jobs, scripts)');

tokenCommand
  .command('create')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--name <name>', 'what the token is for, e.g. "GitHub Actions"')
  .option('--scope <scopes>', `comma-separated: ${TOKEN_SCOPES.join(', ')}`, scopeList, ['ingest:write'] as TokenScope[])
  .description('create a token and print it once (only its hash is stored)')
  .action(async (opts: { org: string; name: string; scope: TokenScope[] }) => {
    const { createIngestToken } = await import('../auth/tokens.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const { token, record } = await createIngestToken({ orgId: org.id, name: opts.name, scopes: opts.scope });
      console.log(`token ${record.id} (${record.scopes.join(', ')}); shown once, store it now:\n${token}`);
    });
  });

tokenCommand
  .command('list')
  .requiredOption('--org <slug>', 'organization')
  .description("list an org's tokens (never their values)")
  .action(async (opts: { org: string }) => {
    const { listIngestTokens } = await import('../auth/tokens.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      for (const t of await listIngestTokens({ orgId: org.id })) {
        const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active';
        console.log([t.id, t.prefix + '…', t.name, t.scopes.join(','), state, `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`].join('\t'));
      }
    });
  });

tokenCommand
  .command('revoke')
  .argument('<id>', 'token id (from token list)')
  .requiredOption('--org <slug>', 'organization')
  .description('revoke a token; it stops working at once')
  .action(async (id: string, opts: { org: string }) => {
    const { revokeIngestToken } = await import('../auth/tokens.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      await revokeIngestToken({ orgId: org.id, id });
      console.log(`revoked ${id}`);
    });
  });

const importCommand = program.command('import').description('load history');

importCommand
  .command('git')
  .argument('<path>', 'a local clone')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--repo <owner/name>', 'the repository it is a clone of, as the provider names it')
  .option('--provider <provider>', 'github | gitlab | git', 'github')
  .option('--branch <branch>', 'default branch (default: the clone\'s current branch)')
  .option('--since <date>', 'only commits since this date (YYYY-MM-DD)')
  .description('import a clone\'s default-branch history: commits, line counts, AI signals, and the pull requests their subjects name')
  .action(async (repoPath: string, opts: { org: string; repo: string; provider: string; branch?: string; since?: string }) => {
    // git log starts first, and runs while the import's modules load and the database is opened
    // (read-git-log.ts takes its output in meanwhile, up to a bound).
    const { startGitLog } = await import('../ingest/git/read-git-log.ts');
    const [owner, name] = opts.repo.split('/');
    if (!owner || !name || opts.repo.split('/').length !== 2) throw new InvalidArgumentError('--repo must be owner/name');
    if (!['github', 'gitlab', 'git'].includes(opts.provider)) throw new InvalidArgumentError('--provider must be github, gitlab or git');
    const branch = opts.branch ?? execFileSync('git', ['-C', repoPath, 'symbolic-ref', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined;
    const countArgs = ['-C', repoPath, 'rev-list', '--count', branch, ...(since ? [`--since=${since.toISOString()}`] : [])];
    const gitLog = startGitLog(repoPath, branch, { since });
    try {
      // The progress bar is drawn on a terminal only (cli-progress draws nothing on a pipe or a
      // file): only there is the total counted, a second walk of the history that takes CPU from
      // git log. Elsewhere the branch is only checked (the count is then made for its error).
      const counting = process.stderr.isTTY ? gitOutput(countArgs) : null;
      counting?.catch(() => {}); // awaited below, after the database is open
      const branchFound = counting ? null : gitSucceeds(['-C', repoPath, 'rev-parse', '--verify', '--quiet', `${branch}^{commit}`]);
      const [{ importGitHistory, openCopyClient, orgIdBySlug }, progressBar] = await Promise.all([
        import('../ingest/git/import-git-history.ts'), counting ? import('cli-progress') : null,
      ]);
      await withDatabase(async (database) => {
        // On PostgreSQL the import works on pg connections (no Prisma); the embedded database goes through Prisma.
        const copyClient = database.embedded ? null : await openCopyClient(database.url);
        try {
          const orgId = copyClient ? await orgIdBySlug(copyClient, opts.org) : (await getOrgBySlug(opts.org)).id;
          const started = Date.now();
          const bar = progressBar && new progressBar.SingleBar({ format: 'importing {bar} {value}/{total} commits | {eta_formatted} left', stream: process.stderr, hideCursor: true }, progressBar.Presets.shades_classic);
          if (bar && counting) bar.start(Number((await counting).trim()), 0);
          else if (branchFound && !(await branchFound)) await gitOutput(countArgs); // throws what a terminal would show
          const result = await importGitHistory({
            orgId, path: repoPath, owner, name, branch, since, provider: opts.provider as 'github' | 'gitlab' | 'git', copyClient, gitLog,
            onProgress: (p) => bar?.update(p.commits),
          }).finally(() => bar?.stop());
          const seconds = (Date.now() - started) / 1000;
          console.log(`imported ${result.commits} commits of ${branch} (${result.pullRequests} naming a pull request) in ${seconds.toFixed(1)}s${result.warnings ? `, ${result.warnings} warnings` : ''}`);
          for (const message of result.warningMessages) console.warn(`warning: ${message}`);
          if (result.warnings > result.warningMessages.length) console.warn(`… and ${result.warnings - result.warningMessages.length} more warnings`);
        } finally {
          await copyClient?.end();
        }
      });
    } finally {
      gitLog.stop();
    }
  });

const USAGE_IMPORTS = {
  copilot: "GitHub Copilot usage: the metrics API's days (the org's, or --team's), the legacy usage API's, or the user-level report (NDJSON)",
  cursor: "Cursor's daily usage export (Admin API POST /teams/daily-usage-data)",
  anthropic: "Anthropic's Claude Code usage report (Admin API GET /v1/organizations/usage_report/claude_code)",
  openai: 'an OpenAI completions usage page (GET /v1/organization/usage/completions)',
} as const;

for (const vendor of USAGE_VENDORS) {
  const command = importCommand
    .command(vendor)
    .argument('<file>', 'the export as the API answered it (JSON; NDJSON for Copilot user reports)')
    .requiredOption('--org <slug>', 'organization')
    .description(`import ${USAGE_IMPORTS[vendor]}; the days it holds replace those stored`);
  if (vendor === 'copilot') command.option('--team <slug>', 'the GitHub team an org metrics file is for');
  command.action(async (file: string, opts: { org: string; team?: string }) => {
    const { importUsageFile } = await import('../ingest/ai-usage/import-usage-file.ts');
    const text = await readFile(file, 'utf8');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const r = await importUsageFile({ orgId: org.id, vendor, text, team: opts.team });
      if (r.status === 'failed') throw new Error(`${r.eventType} stored but not processed: ${r.error}`);
      console.log(`${r.stored ? 'imported' : 'already imported (same file)'}: ${r.eventType}, ${r.items} ${r.unit}${r.items === 1 ? '' : 's'}, ${r.status}`);
    });
  });
}

const backfillCommand = program.command('backfill').description('fetch history from a provider API');

backfillCommand
  .command('github')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--repo <owner/name>', 'repository')
  .option('--token-env <name>', 'environment variable holding a GitHub token', 'GITHUB_TOKEN')
  .option('--since <date>', 'only pull requests updated since this date (YYYY-MM-DD); default: since the last complete run')
  .option('--api-url <url>', 'GitHub API base URL (GitHub Enterprise Server: https://host/api)')
  .description('pull requests with reviews and commits through GraphQL, incremental and resumable')
  .action(async (opts: { org: string; repo: string; tokenEnv: string; since?: string; apiUrl?: string }) => {
    const [{ backfillGithub }, { Presets, SingleBar }] = await Promise.all([import('../ingest/github/backfill-github.ts'), import('cli-progress')]);
    const [owner, name] = opts.repo.split('/');
    if (!owner || !name) throw new InvalidArgumentError('--repo must be owner/name');
    const token = tokenFromEnv(opts.tokenEnv);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const started = Date.now();
      const bar = new SingleBar(
        { format: 'backfilling {bar} {value}/{total} pull requests (at most; an incremental run stops sooner) | {calls} API calls | {eta_formatted} left', stream: process.stderr, hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(1, 0, { calls: 0 });
      const result = await backfillGithub({
        orgId: org.id, owner, name, token, apiUrl: opts.apiUrl, since: opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined,
        onProgress: (r) => {
          bar.setTotal(Math.max(r.totalPullRequests ?? 0, r.pullRequests, 1));
          bar.update(r.pullRequests, { calls: r.apiCalls });
        },
      }).finally(() => bar.stop());
      const perThousand = result.pullRequests ? ((1000 * result.apiCalls) / result.pullRequests).toFixed(0) : '–';
      console.log(`backfilled ${result.pullRequests} pull requests of ${opts.repo} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.apiCalls} API calls (${perThousand} per 1,000 pull requests), ${result.pointsSpent} GraphQL points`);
    });
  });

backfillCommand
  .command('jira')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--site <url>', 'Jira Cloud site, e.g. https://acme.atlassian.net')
  .requiredOption('--jql <query>', 'which issues, e.g. "project = ABC"')
  .option('--email-env <name>', 'environment variable holding the Atlassian account email', 'JIRA_EMAIL')
  .option('--token-env <name>', 'environment variable holding its API token', 'JIRA_API_TOKEN')
  .description('issues with their changelogs through the REST search, each stored raw and processed like a webhook delivery')
  .action(async (opts: { org: string; site: string; jql: string; emailEnv: string; tokenEnv: string }) => {
    const { backfillJira } = await import('../ingest/jira/backfill-jira.ts');
    if (!URL.canParse(opts.site)) throw new InvalidArgumentError('--site must be a URL such as https://acme.atlassian.net');
    // Named by the user, so not variables lib/env.ts can declare.
    const [email, token] = [process.env[opts.emailEnv], process.env[opts.tokenEnv]];
    if (!email || !token) throw new InvalidArgumentError(`set ${opts.emailEnv} and ${opts.tokenEnv} to an Atlassian account email and its API token`);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const started = Date.now();
      const result = await backfillJira({ orgId: org.id, site: opts.site, jql: opts.jql, email, token, onProgress: (r) => process.stderr.write(`\rbackfilling: ${r.issues} issues, ${r.apiCalls} API calls`) });
      console.log(`\nbackfilled ${result.issues} issues in ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.apiCalls} API calls`);
    });
  });

backfillCommand
  .command('linear')
  .requiredOption('--org <slug>', 'organization')
  .option('--team <key>', 'only this team\'s issues, e.g. ENG (default: every team the key can see)')
  .option('--since <date>', 'only issues updated since this date (YYYY-MM-DD); default: where the last run stopped')
  .option('--token-env <name>', 'environment variable holding a Linear API key', 'LINEAR_API_KEY')
  .option('--api-url <url>', 'Linear GraphQL endpoint')
  .description('issues with their pull request attachments through the GraphQL API, incremental and resumable, each stored raw and processed like a webhook delivery')
  .action(async (opts: { org: string; team?: string; since?: string; tokenEnv: string; apiUrl?: string }) => {
    const { backfillLinear } = await import('../ingest/linear/backfill-linear.ts');
    const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new InvalidArgumentError('--since must be a date, YYYY-MM-DD');
    if (opts.apiUrl && !URL.canParse(opts.apiUrl)) throw new InvalidArgumentError('--api-url must be a URL');
    // Named by the user, so not a variable lib/env.ts can declare.
    const apiKey = process.env[opts.tokenEnv];
    if (!apiKey) throw new InvalidArgumentError(`set ${opts.tokenEnv} to a Linear personal API key (lin_api_…)`);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const started = Date.now();
      const result = await backfillLinear({
        orgId: org.id, apiKey, team: opts.team, since, apiUrl: opts.apiUrl,
        onProgress: (r) => process.stderr.write(`\rbackfilling: ${r.issues} issues, ${r.apiCalls} API calls`),
      });
      console.log(`\nbackfilled ${result.issues} issues (${result.stored} new or changed${result.resumed ? ', resuming the last unfinished run' : ''}) in ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.apiCalls} API calls`);
    });
  });

program
  .command('fetch')
  .description("pull from a provider API with the org's stored credentials")
  .command('copilot')
  .requiredOption('--org <slug>', 'organization')
  .option('--api-url <url>', 'GitHub API base URL (GitHub Enterprise Server: https://host/api/v3)')
  .description("fetch Copilot metrics now with the org's Copilot credentials (the worker does so every 6 hours)")
  .action(async (opts: { org: string; apiUrl?: string }) => {
    const [{ fetchCopilotMetrics }, { processPendingEvents }] = await Promise.all([import('../ingest/copilot/fetch-copilot-metrics.ts'), import('../ingest/worker.ts')]);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const results = await fetchCopilotMetrics({ orgId: org.id, apiUrl: opts.apiUrl });
      await processPendingEvents();
      if (!results.length) console.log(`no Copilot credentials for '${org.slug}': add a GitHub token for the org (or org/team) in its settings`);
      for (const r of results) console.log(`${r.target}\t${r.error ? `failed: ${r.error}` : `${r.days} days${r.stored ? '' : ' (the same as the last fetch)'}`}`);
      if (results.some((r) => r.error)) throw new Error('some Copilot fetches failed');
    });
  });

program
  .command('heal')
  .description('recover deliveries a provider failed to send')
  .command('github')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--repo <owner/name>', 'repository whose webhook sends to Throughline')
  .requiredOption('--hook-id <id>', "the webhook's id (in its settings URL)", integer)
  .option('--token-env <name>', 'environment variable holding a GitHub token with admin:repo_hook', 'GITHUB_TOKEN')
  .option('--api-url <url>', 'GitHub API base URL')
  .description('ask GitHub to redeliver the recent deliveries that failed and never reached the raw log (run it on a schedule)')
  .action(async (opts: { org: string; repo: string; hookId: number; tokenEnv: string; apiUrl?: string }) => {
    const { redeliverFailedGithubDeliveries } = await import('../ingest/github/redeliver-failed.ts');
    const [owner, repo] = opts.repo.split('/');
    if (!owner || !repo) throw new InvalidArgumentError('--repo must be owner/name');
    const token = tokenFromEnv(opts.tokenEnv);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const r = await redeliverFailedGithubDeliveries({ orgId: org.id, owner, repo, hookId: opts.hookId, token, apiUrl: opts.apiUrl });
      console.log(`${r.listed} recent deliveries, ${r.missing} failed and missing, ${r.redelivered} redelivered`);
    });
  });

program
  .command('reconcile')
  .description('catch what webhooks missed')
  .command('github')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--repo <owner/name>', 'repository')
  .option('--token-env <name>', 'environment variable holding a GitHub token', 'GITHUB_TOKEN')
  .option('--api-url <url>', 'GitHub API base URL')
  .description('list pull requests by last update and take in those newer than what is stored; a conditional request, free while nothing changed (run it on a schedule)')
  .action(async (opts: { org: string; repo: string; tokenEnv: string; apiUrl?: string }) => {
    const { reconcileGithubPullRequests } = await import('../ingest/github/reconcile-github.ts');
    const [owner, name] = opts.repo.split('/');
    if (!owner || !name) throw new InvalidArgumentError('--repo must be owner/name');
    const token = tokenFromEnv(opts.tokenEnv);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const r = await reconcileGithubPullRequests({ orgId: org.id, owner, name, token, apiUrl: opts.apiUrl });
      console.log(r.notModified ? `nothing changed since the last run (1 conditional request, 304)` : `${r.checked} pull requests checked, ${r.stored} newer than stored and taken in (${r.apiCalls} API calls)`);
    });
  });

const peopleCommand = program.command('people').description('engineers and their identities');

peopleCommand
  .command('list')
  .requiredOption('--org <slug>', 'organization')
  .description('list people with their identities (to find who to merge)')
  .action(async (opts: { org: string }) => {
    const { listPeople } = await import('../orgs/people.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      for (const p of await listPeople({ orgId: org.id })) {
        const ids = p.identities.map((i) => `${i.provider}:${i.login ?? i.externalId}`).join(' ');
        console.log([p.id, p.displayName, p.isBot ? 'bot' : '', ids].join('\t'));
      }
    });
  });

peopleCommand
  .command('merge')
  .argument('<into>', 'person id to keep')
  .argument('<from>', 'person id to merge into it (deleted)')
  .requiredOption('--org <slug>', 'organization')
  .description('merge two people who are the same engineer')
  .action(async (into: string, from: string, opts: { org: string }) => {
    const { mergePeople } = await import('../orgs/people.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      await mergePeople({ orgId: org.id, into, from });
      console.log(`merged ${from} into ${into}`);
    });
  });

program
  .command('replay')
  .requiredOption('--org <slug>', 'organization')
  .option('--since <date>', 'only events received since this date (YYYY-MM-DD), over the existing rows')
  .description("rebuild an org's derived rows and rollups from its raw event log (people, teams, settings and imported git history stay)")
  .action(async (opts: { org: string; since?: string }) => {
    const { replayOrg } = await import('../ingest/replay.ts');
    const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : undefined;
    if (since && Number.isNaN(since.getTime())) throw new InvalidArgumentError('--since must be a date, YYYY-MM-DD');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const { events } = await replayOrg({ orgId: org.id, since });
      console.log(`replayed ${events} events of '${org.slug}'`);
    });
  });

program
  .command('metrics')
  .requiredOption('--org <slug>', 'organization')
  .option('--team <slug>', 'team (the whole org when absent)')
  .option('--from <date>', 'first day, YYYY-MM-DD (default: 11 weeks before --to)')
  .option('--to <date>', 'last day, YYYY-MM-DD (default: today)')
  .option('--format <format>', 'json | csv', 'json')
  .description('print weekly metrics, as GET /api/orgs/{org}/metrics/weekly answers them (no server needed)')
  .action(async (opts: { org: string; team?: string; from?: string; to?: string; format: string }) => {
    const [{ weeklyQuerySchema }, { getWeeklyMetrics, weeklyMetricsCsv }] = await Promise.all([import('../metrics/schemas.ts'), import('../metrics/weekly.ts')]);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const query = weeklyQuerySchema.parse({ team: opts.team, from: opts.from, to: opts.to, format: opts.format });
      const metrics = await getWeeklyMetrics({ org, query });
      process.stdout.write(query.format === 'csv' ? weeklyMetricsCsv(metrics) : `${JSON.stringify(metrics, null, 2)}\n`);
    });
  });

program
  .command('drilldown')
  .requiredOption('--org <slug>', 'organization')
  .requiredOption('--metric <name>', 'a weekly figure, e.g. prsMerged, ticketToMergeP50Hours')
  .requiredOption('--week <date>', 'the Monday of the week, YYYY-MM-DD')
  .option('--team <slug>', 'team (the whole org when absent)')
  .option('--sort <field>', 'a row field')
  .option('--order <order>', 'asc | desc')
  .option('--format <format>', 'json | csv', 'json')
  .description('print the rows behind one weekly figure, as GET /api/orgs/{org}/metrics/drilldown answers them (no server needed)')
  .action(async (opts: { org: string; metric: string; week: string; team?: string; sort?: string; order?: string; format: string }) => {
    const [{ drilldownQuerySchema }, { getDrilldown, drilldownCsv }] = await Promise.all([import('../metrics/schemas.ts'), import('../metrics/drilldown.ts')]);
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const query = drilldownQuerySchema.parse({ metric: opts.metric, week: opts.week, team: opts.team, sort: opts.sort, order: opts.order, format: opts.format });
      const drilldown = await getDrilldown({ org, query });
      process.stdout.write(query.format === 'csv' ? drilldownCsv(drilldown) : `${JSON.stringify(drilldown, null, 2)}\n`);
    });
  });

const rollupsCommand = program.command('rollups').description('weekly rollups the dashboards read');

rollupsCommand
  .command('rebuild')
  .requiredOption('--org <slug>', 'organization')
  .description("rebuild an org's weekly rollups whole from its derived rows")
  .action(async (opts: { org: string }) => {
    const { rebuildOrgRollups } = await import('../metrics/rollups.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const built = await rebuildOrgRollups(org);
      console.log(built ? `rebuilt ${built.weeks} weeks of '${org.slug}'` : `'${org.slug}' is being refreshed by another process; try again`);
    });
  });

program
  .command('events')
  .requiredOption('--org <slug>', 'organization')
  .option('--status <status>', 'pending | processed | failed | ignored', 'failed')
  .option('--retry', 'make the listed events due again now', false)
  .description("list an org's raw events by status (failed by default), and retry them")
  .action(async (opts: { org: string; status: string; retry: boolean }) => {
    const { listRawEvents, rawEventStatusSchema, retryRawEvents } = await import('../ingest/raw-events.ts');
    await withDatabase(async () => {
      const org = await getOrgBySlug(opts.org);
      const status = rawEventStatusSchema.parse(opts.status);
      const events = await listRawEvents({ orgId: org.id, status });
      for (const e of events) console.log([e.receivedAt.toISOString(), e.source, e.eventType, e.deliveryId, `attempts ${e.attempts}`, e.error ?? ''].join('\t'));
      if (opts.retry) console.log(`made ${await retryRawEvents({ orgId: org.id, status })} events due now`);
      else if (!events.length) console.log(`no ${status} events`);
    });
  });

program
  .command('worker')
  .description('process the raw event log (for deployments that run workers apart from servers: THROUGHLINE_WORKER=0 there)')
  .action(async () => {
    const [{ openDatabase }, { applyMigrations }, { startWorker }] = await Promise.all([import('./with-database.ts'), import('../db/migrate.ts'), import('../ingest/worker.ts')]);
    const database = await openDatabase();
    await applyMigrations(database.url);
    startWorker({ listen: !database.embedded });
    console.log('worker running; Ctrl-C to stop');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void database.close().then(() => process.exit(0)));
  });

program
  .command('serve')
  .description('run the dashboard (builds when needed; embedded database and demo org when no DATABASE_URL)')
  .option('--port <port>', 'port to listen on', integer)
  .option('--host <host>', 'interface to listen on')
  .option('--no-build', 'never run next build')
  .action(async (opts: { port?: number; host?: string; build: boolean }) => {
    const { serve } = await import('./serve.ts');
    await serve({ port: opts.port ?? (await env()).PORT, host: opts.host ?? (await env()).HOST, build: opts.build });
  });

program
  .command('http-server', { hidden: true })
  .description('the production web server on a built app (started by serve, on the database serve opened)')
  .requiredOption('--port <port>', 'port to listen on', integer)
  .requiredOption('--host <host>', 'interface to listen on')
  .action(async (opts: { port: number; host: string }) => {
    const [{ startHttpServer }, { ROOT }] = await Promise.all([import('../server/http-server.ts'), import('./next-build.ts')]);
    await startHttpServer({ dir: ROOT, port: opts.port, hostname: opts.host, worker: (await env()).THROUGHLINE_WORKER === '1' });
  });

try {
  await program.parseAsync(process.argv);
  // Long-lived commands (serve) keep the process alive themselves; one-shot ones end here even
  // if a library left a timer armed (the migration engine keeps one for 10 s).
  if (!['serve', 'worker', 'http-server'].includes(program.args[0] ?? '')) process.exit(0);
} catch (error) {
  const { ZodError } = await import('zod');
  console.error(`error: ${error instanceof ZodError ? formatZodIssues(error.issues) : error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
