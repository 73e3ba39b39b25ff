import { randomBytes, randomUUID } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import pg from 'pg';
import { serverDatabaseUrl, throughline } from '../server-database.ts';

// A new, empty org made as an operator would (`throughline org create`), with a signed-in user:
// the session row is written straight to the running server's database (the org has no
// SSO to sign in through) and its cookie given to the browser.

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export function createOrg(slug: string, name: string): void {
  throughline(['org', 'create', slug, '--name', name]);
}

/** Signs the browser context in to `slug` as a new user with `role`. */
export async function signInAs(context: BrowserContext, baseURL: string, slug: string, role: 'owner' | 'admin' | 'member' = 'admin'): Promise<{ userId: string }> {
  const [org] = await sql<{ id: string }>(`SELECT id FROM "Organization" WHERE slug = $1`, [slug]);
  const userId = randomUUID();
  const token = randomBytes(32).toString('hex');
  await sql(`INSERT INTO "User" (id, email, name) VALUES ($1, $2, $3)`, [userId, `${role}-${userId.slice(0, 8)}@${slug}.test`, `E2E ${role}`]);
  await sql(`INSERT INTO "Membership" ("orgId", "userId", role) VALUES ($1, $2, $3)`, [org!.id, userId, role]);
  await sql(`INSERT INTO "Session" (id, "sessionToken", "userId", "orgId", expires, "createdAt", "lastSeenAt") VALUES ($1, $2, $3, $4, now() + interval '8 hours', now(), now())`, [
    randomUUID(), token, userId, org!.id,
  ]);
  await context.addCookies([{ name: 'next-auth.session-token', value: token, url: baseURL, httpOnly: true, sameSite: 'Lax' }]);
  return { userId };
}

export async function addTeam(slug: string, team: { slug: string; name: string }): Promise<void> {
  await sql(`INSERT INTO "Team" ("orgId", id, slug, name) SELECT id, $2, $3, $4 FROM "Organization" WHERE slug = $1`, [slug, randomUUID(), team.slug, team.name]);
}
