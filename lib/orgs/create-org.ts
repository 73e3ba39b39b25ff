import { z } from 'zod';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import { isValidTimeZone } from '../metrics/weeks.ts';

// Org slugs are the first segment of every dashboard URL (/{org}/…), so names the app itself
// uses at the top level are reserved.
const RESERVED_SLUGS = new Set(['api', 'sign-in', 'sign-out', 'settings', 'admin', 'demo-sign-in', 'static', 'public', 'icon.svg', 'robots.txt', 'favicon.ico']);

export const createOrgSchema = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'must be 1-48 lower-case letters, digits or dashes, not starting or ending with a dash')
    .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved'),
  name: z.string().trim().min(1).max(120),
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
});

export async function createOrg(input: z.input<typeof createOrgSchema>) {
  const data = createOrgSchema.parse(input);
  const existing = await db().organization.findUnique({ where: { slug: data.slug } });
  if (existing) throw new AppError('conflict', `Organization '${data.slug}' already exists`);
  return db().organization.create({ data });
}
