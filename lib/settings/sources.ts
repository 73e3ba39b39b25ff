import { z } from 'zod';
import type { TokenScope } from '../auth/tokens.ts';
import type { EventSource } from '../db/generated/enums.ts';
import type { RawEventStatus } from '../ingest/raw-events.ts';

// The one list of data sources the settings pages show, shared by the sources API and the
// browser (so it imports nothing that needs the server). Each is a raw-event source: its
// deliveries are the RawEvent rows with that `source`.

export const SOURCE_IDS = ['github', 'gitlab', 'jira', 'linear', 'ci', 'otlp', 'ai_usage', 'copilot', 'cursor', 'anthropic', 'openai'] as const satisfies readonly EventSource[];
export type SourceId = (typeof SOURCE_IDS)[number];
export const sourceIdSchema = z.enum(SOURCE_IDS);

/**
 * How a source reaches Throughline: it signs webhooks with a secret made here; it sends with an
 * ingest token; Throughline fetches from it with a stored API token; or an admin imports it with
 * the command line.
 */
export type SourceKind = 'webhook' | 'token' | 'credential' | 'cli';

export interface SourceDefinition {
  id: SourceId;
  label: string;
  /** What Throughline gets from it. */
  sends: string;
  kind: SourceKind;
  /** Where it sends to, below the public URL; null when nothing is sent to Throughline. */
  path: ((orgSlug: string) => string) | null;
  /** The ingest-token scope its requests need (kind `token`). */
  scope?: TokenScope;
  /** `throughline import <cliImport> <cliFile>` loads an export of it from the command line. */
  cliImport?: string;
  /** An example name for the file that command takes (the vendor API's answer, saved). */
  cliFile?: string;
  /** Where the URL and secret go, or what the stored token must be able to read. */
  howTo: string;
}

const orgPath = (org: string) => `/api/orgs/${encodeURIComponent(org)}`;

export const SOURCES: readonly SourceDefinition[] = [
  {
    id: 'github',
    label: 'GitHub',
    sends: 'Pull requests, reviews, pushes, issues and workflow runs',
    kind: 'webhook',
    path: (org) => `${orgPath(org)}/webhooks/github`,
    howTo:
      'In the repository or organization on GitHub: Settings → Webhooks → Add webhook. Payload URL = the URL, Content type application/json, Secret = the secret. Events: Pull requests, Pull request reviews, Pull request review comments, Pushes, Issues, Workflow runs, Check suites and Check runs (or Send me everything).',
  },
  {
    id: 'gitlab',
    label: 'GitLab',
    sends: 'Merge requests, comments, pushes and pipelines',
    kind: 'webhook',
    path: (org) => `${orgPath(org)}/webhooks/gitlab`,
    howTo: 'In the project or group on GitLab: Settings → Webhooks. URL = the URL, Secret token = the secret. Triggers: Push events, Comments, Merge request events and Pipeline events.',
  },
  {
    id: 'jira',
    label: 'Jira',
    sends: 'Issues created, updated and deleted',
    kind: 'webhook',
    path: (org) => `${orgPath(org)}/webhooks/jira`,
    howTo: 'In Jira: Settings → System → WebHooks → Create a WebHook. URL = the URL, Secret = the secret. Events: Issue created, updated and deleted.',
  },
  {
    id: 'linear',
    label: 'Linear',
    sends: 'Issues and their attachments (pull requests linked in Linear)',
    kind: 'webhook',
    path: (org) => `${orgPath(org)}/webhooks/linear`,
    howTo: 'In Linear: Settings → API → Webhooks → New webhook. URL = the URL, signing secret = the secret. Data change events: Issues.',
  },
  {
    id: 'ci',
    label: 'CI runs and JUnit',
    sends: 'Runs and test results from any CI',
    kind: 'token',
    path: (org) => `${orgPath(org)}/ingest/ci`,
    scope: 'ingest:write',
    howTo: 'Add a step at the end of each CI job that sends the run, with its JUnit report, using an ingest token kept as a CI secret.',
  },
  {
    id: 'otlp',
    label: 'Claude Code (OpenTelemetry)',
    sends: "Claude Code's usage metrics: tokens, cost, lines of code, sessions",
    kind: 'token',
    path: (org) => `${orgPath(org)}/otlp/v1/metrics`,
    // Its own scope: the token sits in every engineer's settings, so it can send nothing else.
    scope: 'otlp:write',
    howTo: "Set these variables where Claude Code runs (each engineer's shell, or the env block of a managed settings.json); it then exports its metrics here. The token can only send telemetry (scope otlp:write).",
  },
  {
    id: 'ai_usage',
    label: 'AI usage (any tool)',
    sends: 'Daily usage reports from any AI tool',
    kind: 'token',
    path: (org) => `${orgPath(org)}/ingest/ai-usage`,
    scope: 'ingest:write',
    howTo: 'POST usage records (JSON or CSV) with an ingest token, from a script or a scheduled job; the fields are in docs/ai-usage.md. A day sent again replaces the one stored.',
  },
  {
    id: 'copilot',
    label: 'GitHub Copilot',
    sends: 'Copilot metrics per day: suggestions, acceptances, active users',
    kind: 'credential',
    path: null,
    cliImport: 'copilot',
    cliFile: 'copilot-metrics.json',
    howTo:
      "Throughline fetches the Copilot metrics API every 6 hours with a GitHub token that can read the organization's Copilot metrics: an org owner's classic token with manage_billing:copilot or read:org, or a fine-grained one with read access to the organization's Copilot metrics. Or import saved API answers from the command line.",
  },
  {
    id: 'cursor',
    label: 'Cursor',
    sends: 'Cursor usage per engineer and day',
    kind: 'cli',
    path: null,
    cliImport: 'cursor',
    cliFile: 'daily-usage.json',
    howTo: "Save the answer of Cursor's Admin API daily usage export (POST /teams/daily-usage-data), a page at a time, and import each file. A day imported again replaces the one stored.",
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    sends: 'Claude Code usage per person and day, from the Anthropic Admin API',
    kind: 'cli',
    path: null,
    cliImport: 'anthropic',
    cliFile: 'claude-code-usage.json',
    howTo: "Save the answer of Anthropic's Claude Code usage report (Admin API, GET /v1/organizations/usage_report/claude_code), a page at a time, and import each file. A day imported again replaces the one stored.",
  },
  {
    id: 'openai',
    label: 'OpenAI API',
    sends: 'OpenAI API usage per day',
    kind: 'cli',
    path: null,
    cliImport: 'openai',
    cliFile: 'completions-usage.json',
    howTo: "Save a page of OpenAI's completions usage (GET /v1/organization/usage/completions, with an admin key) and import each file. A day imported again replaces the one stored.",
  },
];

export function getSourceDefinition(id: SourceId): SourceDefinition {
  return SOURCES.find((s) => s.id === id)!;
}

/** The absolute URL a source sends to, or null if it sends nothing. */
export function sourceUrl(publicUrl: string, orgSlug: string, source: SourceDefinition): string | null {
  return source.path ? `${publicUrl.replace(/\/+$/, '')}${source.path(orgSlug)}` : null;
}

export const DELIVERY_STATUSES = ['pending', 'processed', 'failed', 'ignored'] as const satisfies readonly RawEventStatus[];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Days of deliveries the status counts cover. */
export const RECENT_DAYS = 7;

/**
 * receiving: something arrived in the last RECENT_DAYS days; idle: something arrived, earlier;
 * awaiting_first_delivery: a secret or token is in place and nothing has arrived; not_connected:
 * neither.
 */
export type SourceState = 'receiving' | 'idle' | 'awaiting_first_delivery' | 'not_connected';

export function computeSourceState({ hasCredential, lastReceivedAt, now }: { hasCredential: boolean; lastReceivedAt: Date | null; now: Date }): SourceState {
  if (lastReceivedAt) return now.getTime() - lastReceivedAt.getTime() <= RECENT_DAYS * 86_400_000 ? 'receiving' : 'idle';
  return hasCredential ? 'awaiting_first_delivery' : 'not_connected';
}

/** What lets a source send (never the secret itself); null for command-line imports. */
export type SourceCredentialState =
  | { kind: 'webhook_secret'; setAt: string | null }
  | { kind: 'ingest_token'; scope: TokenScope; liveTokens: number }
  | { kind: 'api_token'; stored: number; lastFetchAt: string | null; lastError: string | null }
  | null;

export interface SourceSummary {
  id: SourceId;
  label: string;
  sends: string;
  kind: SourceKind;
  url: string | null;
  credential: SourceCredentialState;
  /** ISO time of the latest delivery ever; null if none. */
  lastReceivedAt: string | null;
  /** Deliveries received in the last RECENT_DAYS days, by their status now. */
  recent: Record<DeliveryStatus, number>;
  state: SourceState;
}

export interface SourcesAnswer {
  sources: SourceSummary[];
}

export const deliveriesQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional().describe('Only deliveries with this status'),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(100).default(50).describe('At most this many, newest first'),
  })
  .strict();
export type DeliveriesQuery = z.infer<typeof deliveriesQuerySchema>;

export interface SourceDelivery {
  id: string;
  eventType: string;
  deliveryId: string;
  status: DeliveryStatus;
  receivedAt: string;
  processedAt: string | null;
  attempts: number;
  /** Why processing failed; null unless failed. */
  error: string | null;
}

export interface DeliveriesPage {
  deliveries: SourceDelivery[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/** Body of POST settings/events/retry: without it every failed delivery is retried. */
export const retryEventsSchema = z
  .object({
    source: sourceIdSchema.optional().describe('Only failed deliveries of this source'),
    eventId: z.string().min(1).max(64).optional().describe('Only this failed delivery'),
  })
  .strict()
  .optional();

export const CREDENTIAL_SOURCE_IDS = ['copilot'] as const satisfies readonly SourceId[];

export const sourceCredentialInputSchema = z.object({
  source: z.enum(CREDENTIAL_SOURCE_IDS).describe('The source fetched with this token'),
  target: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$/, 'must be a GitHub organization ("acme") or organization/team slug ("acme/platform")')
    .describe('What to fetch: "org" or "org/team-slug"'),
  token: z.string().trim().min(1).max(2000).regex(/^\S+$/, 'must be one token, without spaces').describe('The API token; stored encrypted, never answered'),
});
export type SourceCredentialInput = z.infer<typeof sourceCredentialInputSchema>;

export const sourceCredentialsQuerySchema = z.object({ source: z.enum(CREDENTIAL_SOURCE_IDS).optional() }).strict();

/** A stored API token as the API shows it: never the token. */
export interface SourceCredentialSummary {
  id: string;
  source: SourceId;
  target: string;
  createdAt: string;
  lastFetchAt: string | null;
  lastError: string | null;
}
