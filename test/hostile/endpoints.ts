import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { applyJsonPlan, applyTextPlan, type HostileBody, type Json, type Plan } from './mutate.ts';

// Every ingest endpoint, with real payloads (GitHub's own webhook examples, the fixtures in
// test/fixtures with their provenance) as the bases the mutations start from, and how a request
// is authenticated: signed with the org's secret (some of the time: a sender we trust can still
// send nonsense), or with an ingest token.

const FIXTURES = path.join(import.meta.dirname, '../fixtures');
const fixture = (...p: string[]) => readFileSync(path.join(FIXTURES, ...p), 'utf8');
const json = (...p: string[]) => JSON.parse(fixture(...p)) as unknown;

type Example = { name: string; examples: Record<string, unknown>[] };
const githubExamples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as Example[];
const GITHUB_EVENTS = ['pull_request', 'push', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'issues', 'workflow_run', 'check_suite', 'deployment_status', 'release', 'ping'];
const github = GITHUB_EVENTS.flatMap((event) => githubExamples.find((e) => e.name === event)!.examples.slice(0, 4).map((payload) => ({ event, payload })));

export interface Secrets {
  github: string;
  gitlab: string;
  jira: string;
  linear: string;
  token: string;
}

export interface Endpoint {
  name: string;
  path: string;
  /** Webhooks: the raw log's source and the header naming the delivery, to find each acknowledged one. */
  delivery?: { source: 'github' | 'gitlab' | 'jira' | 'linear'; header: string };
  bases: number;
  /** Largest body the endpoint takes. */
  limit: number;
  /** The request for plan `plan`, built when it is sent (Linear's signed timestamp must be fresh). */
  request(plan: Plan, secrets: Secrets): { body: HostileBody; headers: Record<string, string> };
}

const hmacHex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');
/** Four in ten requests are signed correctly; the others carry a wrong signature or none. */
const signs = (plan: Plan) => plan.seed % 10 < 4;
const wrong = (plan: Plan, good: string) => (plan.seed % 10 < 7 ? good.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0')) : '');
const bearer = (plan: Plan, token: string) => ({ authorization: plan.seed % 10 === 9 ? 'Bearer tl_not-a-real-token' : `Bearer ${token}` });
const MB = 1024 * 1024;

const DELIVERY_HEADER = { github: 'x-github-delivery', gitlab: 'x-gitlab-event-uuid', jira: 'x-atlassian-webhook-identifier', linear: 'linear-delivery' } as const;

function webhook(name: keyof typeof DELIVERY_HEADER, bases: unknown[], headers: (body: Buffer, plan: Plan, secret: string, base: number) => Record<string, string>, finish?: (v: Json) => Json): Endpoint {
  return {
    name: `webhook ${name}`,
    path: `webhooks/${name}`,
    delivery: { source: name, header: DELIVERY_HEADER[name] },
    bases: bases.length,
    limit: 25 * MB,
    request(plan, secrets) {
      const body = applyJsonPlan(bases[plan.base], plan, 'application/json', finish);
      return { body, headers: headers(body.bytes, plan, secrets[name], plan.base) };
    },
  };
}

export function endpoints(): Endpoint[] {
  const gitlab = readdirSync(path.join(FIXTURES, 'gitlab')).filter((f) => f.endsWith('.json')).map((f) => json('gitlab', f));
  const jira = readdirSync(path.join(FIXTURES, 'jira')).filter((f) => f.startsWith('webhook_')).map((f) => json('jira', f));
  const linear = ['issue_create.json', 'issue_update.json', 'attachment_create.json'].map((f) => json('linear', f));
  const junit = readdirSync(path.join(FIXTURES, 'junit')).filter((f) => f.endsWith('.xml')).map((f) => fixture('junit', f));
  const ciReport = { repository: 'acme/app', commitSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', pullRequestNumber: 12, runId: '9001', attempt: 1, workflow: 'test', status: 'completed', conclusion: 'success', startedAt: '2026-03-03T10:00:00Z', completedAt: '2026-03-03T10:04:00Z' };
  const otlp = [json('otlp', 'otlp_metrics_export_request.json'), json('otlp', 'otlp_spec_example_metrics.json')];
  return [
    webhook('github', github.map((g) => g.payload), (body, plan, secret, base) => {
      const good = `sha256=${hmacHex(secret, body)}`;
      return { 'x-github-event': github[base]!.event, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signs(plan) ? good : wrong(plan, good) };
    }),
    webhook('gitlab', gitlab, (_body, plan, secret) => {
      const kind = ['Merge Request Hook', 'Push Hook', 'Note Hook', 'Pipeline Hook'][plan.seed % 4]!;
      return { 'x-gitlab-event': kind, 'x-gitlab-event-uuid': randomUUID(), 'x-gitlab-token': signs(plan) ? secret : wrong(plan, secret) };
    }),
    webhook('jira', jira, (body, plan, secret) => {
      const good = `sha256=${hmacHex(secret, body)}`;
      return { 'x-atlassian-webhook-identifier': randomUUID(), 'x-hub-signature': signs(plan) ? good : wrong(plan, good) };
    }),
    // Linear signs a timestamp inside the body: a fresh one, unless a mutation replaced it.
    webhook('linear', linear, (body, plan, secret) => {
      const good = hmacHex(secret, body);
      return { 'linear-delivery': randomUUID(), 'linear-event': 'Issue', 'linear-signature': signs(plan) ? good : wrong(plan, good) };
    }, (v) => (v && typeof v === 'object' && !Array.isArray(v) && typeof v.webhookTimestamp === 'number' ? { ...v, webhookTimestamp: Date.now() } : v)),
    {
      name: 'ingest ci',
      path: 'ingest/ci',
      bases: 1,
      limit: 25 * MB,
      request: (plan, secrets) => ({ body: applyJsonPlan({ ...ciReport, runId: `run-${plan.seed}` }, plan, 'application/json'), headers: bearer(plan, secrets.token) }),
    },
    {
      name: 'ingest ci junit',
      path: 'ingest/ci/9001/junit',
      bases: junit.length,
      limit: 25 * MB,
      request: (plan, secrets) => ({ body: applyTextPlan(junit[plan.base]!, plan, 'application/xml'), headers: bearer(plan, secrets.token) }),
    },
    {
      name: 'ingest ai-usage',
      path: 'ingest/ai-usage',
      bases: 1,
      limit: 25 * MB,
      request: (plan, secrets) => ({ body: applyJsonPlan(json('ai-usage', 'report.json'), plan, 'application/json'), headers: bearer(plan, secrets.token) }),
    },
    {
      name: 'otlp metrics',
      path: 'otlp/v1/metrics',
      bases: otlp.length,
      limit: 8 * MB,
      request: (plan, secrets) => ({ body: applyJsonPlan(otlp[plan.base], plan, 'application/json'), headers: bearer(plan, secrets.token) }),
    },
  ];
}
