import { z } from 'zod';
import type { IdentityProvider } from '../db/generated/enums.ts';

// Inputs and answers of the people API, shared by its routes and the settings page.

export const PEOPLE_PAGE_SIZE = 50;

export const peopleQuerySchema = z
  .object({
    q: z.string().trim().max(100, 'must be at most 100 characters').optional().describe('Part of a name, email or tool login; case-insensitive'),
    kind: z.enum(['all', 'engineers', 'bots']).default('all').describe('Everyone, only people not marked as bots, or only bots'),
    limit: z.coerce.number().int().min(1).max(200).default(PEOPLE_PAGE_SIZE).describe('At most this many people, by name'),
  })
  .strict();

export type PeopleQuery = z.infer<typeof peopleQuerySchema>;

const personId = z.string().min(1).max(64);

export const mergePeopleSchema = z.object({
  into: personId.describe('The person kept'),
  from: personId.describe('The person merged into `into`, then deleted'),
});

export const setPersonBotSchema = z.object({ isBot: z.boolean().describe('Bots are left out of every people metric') });

export interface PersonSummary {
  id: string;
  displayName: string;
  email: string | null;
  isBot: boolean;
  identities: { id: string; provider: IdentityProvider; externalId: string; login: string | null; email: string | null }[];
  /** What a merge would move, to tell a stray identity from an engineer's main one. */
  activity: { pullRequests: number; commits: number; reviews: number };
}

export interface PeoplePage {
  people: PersonSummary[];
  /** Everyone matching, of whom `people` holds the first `limit`. */
  total: number;
}
