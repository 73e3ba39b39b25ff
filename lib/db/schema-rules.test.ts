import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findTenancyViolations, parseModels } from './schema-rules.ts';

const schema = readFileSync(path.join(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');

describe('tenancy rule of prisma/schema.prisma', () => {
  test('every tenant model has orgId leading its primary and unique keys', () => {
    expect(findTenancyViolations(schema)).toEqual([]);
  });

  test('the check sees the whole schema', () => {
    expect(parseModels(schema).length).toBeGreaterThanOrEqual(30);
  });

  test.each([
    ['a model without orgId', 'model Widget {\n  id String @id\n}', ['Widget: no orgId String column', 'Widget.id: field-level @id does not lead with orgId']],
    ['a key not led by orgId', 'model Widget {\n  orgId String\n  id String\n  sku String\n  @@id([orgId, id])\n  @@unique([sku, orgId])\n}', ['Widget: @@unique([sku, orgId]) does not lead with orgId']],
    ['a field-level unique', 'model Widget {\n  orgId String\n  id String\n  sku String @unique\n  @@id([orgId, id])\n}', ['Widget.sku: field-level @unique does not lead with orgId']],
  ])('flags %s', (_name, model, expected) => {
    expect(findTenancyViolations(model)).toEqual(expected);
  });
});
