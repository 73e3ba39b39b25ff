import { z } from 'zod';

// The one reader of process.env. Empty strings count as unset, so `FOO= npm start` means default.
const emptyAsUnset = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUnset, z.string().url().optional()).describe(
    'PostgreSQL connection string; unset = embedded PGlite database in THROUGHLINE_DATA_DIR',
  ),
  DATABASE_POOL_MAX: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(200).default(10)),
  DATABASE_READ_URL: z.preprocess(emptyAsUnset, z.string().url().optional()).describe(
    'Connection string of a streaming replica of DATABASE_URL for dashboard metric reads; unset = they read the primary',
  ),
  DATABASE_READ_MAX_LAG_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(3600).default(10)).describe(
    'How far behind the primary the read replica may be: a read it could not serve that fresh goes to the primary',
  ),
  THROUGHLINE_DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('.throughline')),
  THROUGHLINE_EMBEDDED_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65535).default(0)).describe(
    'Loopback port of the embedded database; 0 = any free port',
  ),
  PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUnset, z.string().default('127.0.0.1')),
  PUBLIC_URL: z.preprocess(emptyAsUnset, z.string().url().optional()).describe(
    'The URL users reach Throughline at (sign-in redirects); default http://HOST:PORT',
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  THROUGHLINE_SECRET_KEY: z.preprocess(emptyAsUnset, z.string().optional()).describe(
    '32-byte key (base64 or hex) encrypting stored secrets; the embedded database keeps its own',
  ),
  THROUGHLINE_DEMO: z.preprocess(emptyAsUnset, z.enum(['0', '1', 'true', 'false']).optional())
    .transform((v) => v === '1' || v === 'true')
    .describe('1 = offer the one-click demo sign-in (on by default on the embedded database)'),
  THROUGHLINE_WORKER: z.preprocess(emptyAsUnset, z.enum(['0', '1']).default('1')).describe(
    '0 = this server does not process the raw event log (run `throughline worker` instead)',
  ),
  THROUGHLINE_DB_SESSION_NICE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(19).default(0)).describe(
    'CPU niceness given to this process\'s PostgreSQL sessions when the database runs on this machine (serve sets 10 for its worker, so processing yields to acknowledgements); 0 = leave them',
  ),
  THROUGHLINE_ROLLUP_INTERVAL_MS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(100).max(3_600_000).default(10_000)).describe(
    'How often the worker brings weekly rollups up to date after writes (reads are never stale: marked weeks are computed live)',
  ),
  THROUGHLINE_WORKER_CONCURRENCY: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(32).default(4)).describe(
    'Most events a worker process handles at once (capped by DATABASE_POOL_MAX - 2; 1 on the embedded database); it uses one while it keeps up, all once events have waited over 2 s',
  ),
  THROUGHLINE_WORKER_LEASE_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(5).max(86_400).default(300)).describe(
    'How long a claimed event stays leased to the worker that claimed it: one killed mid-batch leaves its events this long before another takes them (keep it above the 60 s handler timeout)',
  ),
  THROUGHLINE_TOKEN_RATE_PER_MINUTE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).default(3000)).describe(
    'Requests one API or ingest token may make per minute (per server process); past it: 429 with Retry-After',
  ),
  THROUGHLINE_SIGN_IN_RATE_PER_MINUTE: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).default(30)).describe(
    'Sign-in attempts per minute from one client address to one org (per server process); past it: 429 with Retry-After',
  ),
  THROUGHLINE_SPOOL_DIR: z.preprocess(emptyAsUnset, z.string().optional()).describe(
    'Local folder where webhook receivers spool acknowledged deliveries while PostgreSQL is unreachable; default THROUGHLINE_DATA_DIR/spool',
  ),
  THROUGHLINE_SPOOL_MAX_BYTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1024).default(1024 ** 3)).describe(
    'Bound on the spool folder: past it a delivery that cannot reach the database is answered 503 (the sender retries)',
  ),
  RAW_EVENT_RETENTION_MONTHS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(1200).optional()).describe(
    'Keep raw payloads this many whole months before the current one, then drop their month partitions (derived rows are kept; a month with unprocessed events is kept). Unset: keep forever',
  ),
  THROUGHLINE_NEXT: z.preprocess(emptyAsUnset, z.enum(['0', '1']).default('1')).describe(
    '0 = the server answers webhook and OTLP deliveries and /api/health only, without the Next.js app (an ingest-only node; needs no build)',
  ),
  DEMO_SEED: z.preprocess(emptyAsUnset, z.coerce.number().int().default(42)),
  NODE_ENV: z.preprocess(emptyAsUnset, z.enum(['development', 'production', 'test']).default('development')),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parsed environment; throws a readable error naming the bad variable. */
export function env(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid environment: ${issues}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For tests and the CLI, which set variables after start-up. */
export function resetEnvCache(): void {
  cached = undefined;
}
