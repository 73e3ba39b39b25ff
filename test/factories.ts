import { randomBytes } from 'node:crypto';
import { db } from '../lib/db/client.ts';

// Test fixtures: every call makes fresh rows under a random slug, so test files can share a
// database and run in parallel without cleanup.

export function randomSlug(prefix = 'org'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function seedOrg(overrides: { slug?: string; timeZone?: string; cycleTimeStart?: 'created' | 'in_progress' } = {}) {
  return db().organization.create({
    data: { slug: overrides.slug ?? randomSlug(), name: 'Test org', timeZone: overrides.timeZone ?? 'UTC', cycleTimeStart: overrides.cycleTimeStart },
  });
}
