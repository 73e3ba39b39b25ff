import { z } from 'zod';
import { TOKEN_SCOPES } from '../auth/token-scopes.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { aiUsageRecordSchema } from '../ingest/ai-usage/ai-usage-schemas.ts';
import { ciRunReportSchema, junitUploadQuerySchema } from '../ingest/ci/ci-schemas.ts';
import { compareQuerySchema, compareResultSchema } from '../metrics/compare-schemas.ts';
import { drilldownQuerySchema, drilldownSchema, METRICS_VERSION, weeklyMetricsSchema, weeklyQuerySchema, weekMetricsSchema } from '../metrics/schemas.ts';
import { errorStatus } from './errors.ts';

// The OpenAPI 3.1 document of the public API (GET /api/openapi.json), generated from the zod
// schemas the routes validate with, so it cannot drift from them. OpenAPI 3.1 schemas are JSON
// Schema 2020-12, zod's default target. Request schemas describe what a client sends (zod's
// input side: defaults optional), answers what the server returns (output side).

type Json = Record<string, unknown>;
type Schema = z.ZodType;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Named component schemas from a zod registry, `$ref`s between them resolved to #/components/schemas. */
function components(schemas: Record<string, Schema>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => ref(id).$ref });
  return Object.fromEntries(Object.entries(out).map(([id, s]) => [id, withoutRoot(s as Json)]));
}

/** A standalone schema with the root keywords an embedded schema must not carry. */
function withoutRoot(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** Query parameters, one per property of a zod object (its input side). */
function queryParameters(schema: Schema): Json[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

const ORG_PARAMETER = { $ref: '#/components/parameters/org' };
const json = (schema: Json) => ({ 'application/json': { schema } });

/** The error answers of a route (the `{error:{code,message}}` body), by the codes it can give. */
function errors(...codes: (keyof typeof errorStatus)[]): Record<string, Json> {
  const descriptions: Partial<Record<keyof typeof errorStatus, string>> = {
    bad_request: 'Bad input; the message names each bad field',
    unauthorized: 'No valid session or token (or webhook signature)',
    forbidden: 'Authenticated, but the role or token scope is not enough',
    not_found: 'Unknown organization, team or resource',
    payload_too_large: 'Body over the size limit',
    unsupported_media_type: 'Content-Type not accepted',
    rate_limited: 'Too many requests',
  };
  return Object.fromEntries(codes.map((code) => [String(errorStatus[code]), { description: descriptions[code] ?? code, content: json(ref('Error')) }]));
}

/** Who may call: a session of a member of the org, or an ingest token with `scope`. */
const readers = (scope: string) => [{ ingestToken: [scope] }, { session: [] }];
const writers = (scope: string) => [{ ingestToken: [scope] }];

function metricsGet(summary: string, query: Schema, answer: string, csv: boolean): Json {
  return {
    get: {
      summary, tags: ['metrics'], security: readers('metrics:read'),
      parameters: [ORG_PARAMETER, ...queryParameters(query)],
      responses: {
        200: { description: 'The answer', content: { ...json(ref(answer)), ...(csv ? { 'text/csv': { schema: { type: 'string' } } } : {}) } },
        ...errors('bad_request', 'unauthorized', 'forbidden', 'not_found'),
      },
    },
  };
}

const ACCEPTED = {
  202: { description: 'Stored durably (processed asynchronously)', content: json(ref('Accepted')) },
  200: { description: 'Already stored: a resent delivery, nothing new', content: json(ref('Accepted')) },
};

function ingestPost(summary: string, scope: string, body: Json, extra: Json = {}): Json {
  return {
    post: {
      summary, tags: ['ingest'], security: writers(scope), parameters: [ORG_PARAMETER], requestBody: { required: true, content: body },
      responses: { ...ACCEPTED, ...errors('bad_request', 'unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_media_type') },
      ...extra,
    },
  };
}

const header = (name: string, description: string, required = true) => ({ name, in: 'header', required, description, schema: { type: 'string' } });

/** Webhook receivers: authenticated by the source's signature or token (the org's webhook secret), not by a session. */
const WEBHOOKS: Record<string, { summary: string; headers: Json[] }> = {
  github: {
    summary: 'A GitHub webhook delivery (repository or organization webhook, or GitHub App)',
    headers: [
      header('X-Hub-Signature-256', 'sha256=<hex HMAC-SHA256 of the body under the webhook secret>'),
      header('X-GitHub-Event', 'Event name: pull_request, push, pull_request_review, workflow_run…'),
      header('X-GitHub-Delivery', 'Delivery id; a redelivery repeats it and is answered 200'),
    ],
  },
  gitlab: {
    summary: 'A GitLab webhook delivery (project or group hook)',
    headers: [
      header('X-Gitlab-Token', 'The secret token set on the hook'),
      header('X-Gitlab-Event', 'Event name: Merge Request Hook, Push Hook, Pipeline Hook…'),
      header('X-Gitlab-Event-UUID', 'Delivery id', false),
      header('Idempotency-Key', 'Delivery id of retries (GitLab 17.4+)', false),
    ],
  },
  jira: {
    summary: 'A Jira Cloud webhook delivery (issue events)',
    headers: [
      header('X-Hub-Signature', 'sha256=<hex HMAC-SHA256 of the body under the webhook secret>'),
      header('X-Atlassian-Webhook-Identifier', 'Delivery id, kept across retries', false),
    ],
  },
  linear: {
    summary: 'A Linear webhook delivery (Issue, Attachment…)',
    headers: [
      header('Linear-Signature', 'Hex HMAC-SHA256 of the body under the webhook secret'),
      header('Linear-Event', 'Entity type: Issue, Attachment…', false),
      header('Linear-Delivery', 'Delivery id', false),
    ],
  },
};

/** The whole document. */
export function openApiDocument(): Json {
  const answers = components({ WeekMetrics: weekMetricsSchema, WeeklyMetrics: weeklyMetricsSchema, Drilldown: drilldownSchema, Compare: compareResultSchema }, 'output');
  const requests = components({ CiRunReport: ciRunReportSchema, AiUsageRecord: aiUsageRecordSchema }, 'input');
  const webhookPaths = Object.fromEntries(
    Object.entries(WEBHOOKS).map(([source, w]) => [
      `/api/orgs/{org}/webhooks/${source}`,
      {
        post: {
          summary: w.summary, tags: ['webhooks'], security: [],
          parameters: [ORG_PARAMETER, ...w.headers],
          requestBody: { required: true, content: json({ type: 'object', description: `The ${source} payload, as the source sends it` }) },
          responses: { ...ACCEPTED, ...errors('bad_request', 'unauthorized', 'payload_too_large', 'unsupported_media_type') },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Throughline API',
      version: `metrics-v${METRICS_VERSION}`,
      description:
        'Weekly engineering metrics and the ingest endpoints that feed them. Figures follow docs/metrics.md (the `definitionsVersion` of an answer). ' +
        'Every error answers `{"error":{"code","message"}}`. Ingest endpoints answer 202 once a delivery is stored durably, 200 when it was already stored.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'metrics' }, { name: 'ingest' }, { name: 'webhooks' }],
    paths: {
      '/api/orgs/{org}/metrics/weekly': metricsGet('Weekly figures of a team or the whole org, every week of the range', weeklyQuerySchema, 'WeeklyMetrics', true),
      '/api/orgs/{org}/metrics/drilldown': metricsGet('The rows behind one weekly figure', drilldownQuerySchema, 'Drilldown', true),
      '/api/orgs/{org}/metrics/compare': metricsGet('Medians N weeks before vs after an annotation, with bootstrap intervals', compareQuerySchema, 'Compare', false),
      '/api/orgs/{org}/ingest/ci': ingestPost('A CI run report', 'ingest:write', json(ref('CiRunReport'))),
      '/api/orgs/{org}/ingest/ci/{runId}/junit': {
        post: {
          summary: 'A JUnit XML report of a reported CI run', tags: ['ingest'], security: writers('ingest:write'),
          parameters: [ORG_PARAMETER, { name: 'runId', in: 'path', required: true, description: 'The run id of the CI report', schema: { type: 'string' } }, ...queryParameters(junitUploadQuerySchema)],
          requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } }, 'text/xml': { schema: { type: 'string' } } } },
          responses: { ...ACCEPTED, ...errors('bad_request', 'unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_media_type') },
        },
      },
      '/api/orgs/{org}/ingest/ai-usage': ingestPost('An AI usage report: records per person, day, tool and model', 'ingest:write', {
        'application/json': { schema: { oneOf: [{ type: 'object', properties: { records: { type: 'array', items: ref('AiUsageRecord'), minItems: 1, maxItems: 100_000 } }, required: ['records'] }, { type: 'array', items: ref('AiUsageRecord'), minItems: 1 }] } },
        'text/csv': { schema: { type: 'string', description: 'A header line of record field names, then one record a line' } },
      }),
      '/api/orgs/{org}/otlp/v1/metrics': {
        post: {
          summary: 'An OTLP/HTTP metrics export (Claude Code telemetry)', tags: ['ingest'], security: writers('otlp:write'), parameters: [ORG_PARAMETER],
          requestBody: {
            required: true,
            content: {
              'application/x-protobuf': { schema: { type: 'string', contentEncoding: 'binary', description: 'ExportMetricsServiceRequest (gzip with Content-Encoding: gzip)' } },
              'application/json': { schema: { type: 'object', description: 'ExportMetricsServiceRequest in OTLP/JSON' } },
            },
          },
          responses: {
            200: { description: 'Stored durably: an ExportMetricsServiceResponse', content: { 'application/x-protobuf': { schema: { type: 'string', contentEncoding: 'binary' } }, 'application/json': { schema: { type: 'object' } } } },
            ...errors('bad_request', 'unauthorized', 'forbidden', 'not_found', 'payload_too_large', 'unsupported_media_type'),
          },
        },
      },
      ...webhookPaths,
      '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } } },
    },
    components: {
      schemas: {
        Error: {
          type: 'object', required: ['error'], additionalProperties: false,
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: Object.keys(errorStatus) }, message: { type: 'string', description: 'Names the bad field(s)' } } } },
        },
        Accepted: {
          type: 'object', required: ['deliveryId', 'stored'],
          properties: { deliveryId: { type: 'string', description: 'The id the delivery is stored under' }, stored: { type: 'boolean', description: 'false: already stored' }, records: { type: 'integer', description: 'AI usage reports: records read' } },
        },
        ...answers,
        ...requests,
      },
      parameters: { org: { name: 'org', in: 'path', required: true, description: 'Organization slug', schema: { type: 'string' } } },
      securitySchemes: {
        ingestToken: {
          type: 'http', scheme: 'bearer',
          description: `An ingest token (Settings → Tokens, or \`throughline token create\`) with the scope the operation lists: ${TOKEN_SCOPES.join(', ')}.`,
        },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'A signed-in session of a member of the organization (the web app)' },
      },
    },
  };
}
