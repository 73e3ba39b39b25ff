import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/openapi.json/route.ts';
import { EMPTY_WEEK } from '../metrics/compute-weeks.ts';
import { DRILLDOWN_KINDS, DRILLDOWN_METRIC_NAMES } from '../metrics/drilldown-schemas.ts';
import { openApiDocument } from './openapi.ts';

// The document must be structurally valid OpenAPI 3.1 and follow the zod schemas: every figure a
// week holds is in the weekly answer's schema, so a new figure cannot be left out of it.

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refs(v, `${at}/${k}`)));
}

/** The value at a local JSON pointer ("#/components/schemas/X"), or undefined. */
function resolve(doc: Json, pointer: string): unknown {
  return pointer
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

describe('OpenAPI document', () => {
  const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Json>>; components: Json & { schemas: Record<string, Json>; securitySchemes: Json } };

  test('is structurally OpenAPI 3.1: info, paths with operations and answers, path parameters declared', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      const operations = Object.entries(item).filter(([m]) => METHODS.includes(m));
      expect(operations.length).toBeGreaterThan(0);
      for (const [, op] of operations) {
        expect(Object.keys(op.responses as Json).length).toBeGreaterThan(0);
        const params = ((op.parameters ?? []) as Json[]).map((p) => (p.$ref ? resolve(doc, p.$ref as string) : p) as Json);
        for (const p of params) expect(['query', 'header', 'path', 'cookie']).toContain(p.in);
        // Every {name} of the path is a required path parameter, and no other is.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(params.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual([...inPath].sort());
        for (const p of params.filter((x) => x.in === 'path')) expect(p.required).toBe(true);
        // Security names only declared schemes.
        for (const requirement of (op.security ?? []) as Json[]) for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(name);
      }
    }
  });

  test('every $ref resolves, and no schema keeps a root $schema or $id', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const { ref, at } of all) {
      expect(ref.startsWith('#/'), `${at}: ${ref}`).toBe(true);
      expect(resolve(doc, ref), `${at}: ${ref}`).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toMatch(/"\$schema"|"\$id"/);
  });

  test('covers the metrics, ingest and webhook endpoints, with both ways to authenticate', () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/orgs/{org}/metrics/weekly', '/api/orgs/{org}/metrics/drilldown', '/api/orgs/{org}/metrics/compare',
        '/api/orgs/{org}/ingest/ci', '/api/orgs/{org}/ingest/ci/{runId}/junit', '/api/orgs/{org}/ingest/ai-usage', '/api/orgs/{org}/otlp/v1/metrics',
        '/api/orgs/{org}/webhooks/github', '/api/orgs/{org}/webhooks/gitlab', '/api/orgs/{org}/webhooks/jira', '/api/orgs/{org}/webhooks/linear',
      ]),
    );
    expect(doc.components.securitySchemes).toMatchObject({ ingestToken: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie' } });
    expect(doc.paths['/api/orgs/{org}/metrics/weekly']!.get!.security).toEqual([{ ingestToken: ['metrics:read'] }, { session: [] }]);
    expect(doc.paths['/api/orgs/{org}/otlp/v1/metrics']!.post!.security).toEqual([{ ingestToken: ['otlp:write'] }]);
    const github = doc.paths['/api/orgs/{org}/webhooks/github']!.post!;
    expect((github.parameters as Json[]).map((p) => p.name)).toEqual(expect.arrayContaining(['X-Hub-Signature-256', 'X-GitHub-Event', 'X-GitHub-Delivery']));
    // The weekly query, from its zod schema: team, from, to, format.
    const weekly = doc.paths['/api/orgs/{org}/metrics/weekly']!.get!;
    expect((weekly.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['team', 'from', 'to', 'format']);
    expect(weekly.responses).toMatchObject({ 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/WeeklyMetrics' } } } }, 400: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'] } } });
    // Request bodies are what a client sends: attempt and provider have defaults, so they are optional.
    expect(doc.components.schemas.CiRunReport!.required).toEqual(expect.arrayContaining(['repository', 'commitSha', 'runId', 'workflow', 'status']));
    expect(doc.components.schemas.CiRunReport!.required).not.toContain('attempt');
  });

  test('the weekly answer lists every figure of a week, as required, nullable where the figure can be null', () => {
    const week = doc.components.schemas.WeekMetrics as { properties: Record<string, Json>; required: string[] };
    expect((resolve(doc, '#/components/schemas/WeeklyMetrics/properties/weeks/items') as Json).$ref).toBe('#/components/schemas/WeekMetrics');
    for (const [figure, empty] of Object.entries(EMPTY_WEEK)) {
      expect(week.properties, figure).toHaveProperty(figure);
      expect(week.required, figure).toContain(figure);
      // A figure empty as null must allow null.
      if (empty === null) expect(JSON.stringify(week.properties[figure]), figure).toContain('null');
    }
    expect(Object.keys(week.properties).sort()).toEqual(['weekStart', ...Object.keys(EMPTY_WEEK)].sort());
  });

  test('the drill-down takes every weekly figure but those made of other figures or of several weeks, and answers every kind of row', () => {
    const drilldown = doc.paths['/api/orgs/{org}/metrics/drilldown']!.get!;
    const metric = (drilldown.parameters as Json[]).find((p) => p.name === 'metric')!;
    expect((metric.schema as { enum: string[] }).enum).toEqual([...DRILLDOWN_METRIC_NAMES]);
    // A new figure gets a drill-down, or a reason here (docs/metrics.md#drill-down).
    const without = ['prsMergedPerEngineer', 'ticketsDonePerEngineer'];
    expect(Object.keys(EMPTY_WEEK).filter((f) => !(DRILLDOWN_METRIC_NAMES as readonly string[]).includes(f)).sort()).toEqual(without.sort());
    const answer = doc.components.schemas.Drilldown as { properties: Record<string, Json> };
    expect((answer.properties.kind as { enum: string[] }).enum).toEqual([...DRILLDOWN_KINDS]);
    expect(((answer.properties.rows as { items: { anyOf: Json[] } }).items.anyOf)).toHaveLength(DRILLDOWN_KINDS.length);
  });

  test('GET /api/openapi.json serves it without sign-in', async () => {
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
