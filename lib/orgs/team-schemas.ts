import { z } from 'zod';
import { parseIsoDate } from '../metrics/weeks.ts';

// Inputs and answers of the teams, memberships and repositories settings API, shared by its
// routes and the settings pages. Dates are calendar days in the org's time zone.

const isoDate = z
  .string()
  .refine((v) => parseIsoDate(v) !== null, 'must be a date as YYYY-MM-DD')
  .describe('A calendar day (YYYY-MM-DD) in the organization time zone');

const teamName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

export const TEAM_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const createTeamSchema = z
  .object({
    name: teamName.describe('Shown in the header and on dashboards'),
    slug: z
      .string()
      .trim()
      .max(60, 'must be at most 60 characters')
      .regex(TEAM_SLUG, 'must be lowercase letters, digits and single dashes, e.g. "mobile-apps"')
      .optional()
      .describe('The team in URLs (/org/teams/<slug>); made from the name when absent'),
  })
  .strict();

export const renameTeamSchema = z.object({ name: teamName.describe('The new name; the slug (and so every link) stays') }).strict();

export const addMembershipSchema = z
  .object({
    personId: id.describe('The person who joins'),
    from: isoDate.describe('First day in the team (org time zone)'),
    endCurrent: z.boolean().default(true).describe("End the person's other memberships running on that day, the day before it"),
  })
  .strict();

export const updateMembershipSchema = z
  .object({
    from: isoDate.optional().describe('First day in the team'),
    to: isoDate.nullable().optional().describe('Last day in the team; null: still a member'),
  })
  .strict()
  .refine((b) => b.from !== undefined || b.to !== undefined, 'give from, to or both');

export const setRepositoryTeamSchema = z
  .object({ defaultTeamId: id.nullable().describe("The team a change counts for when its author has no team membership then; null: none (org only)") })
  .strict();

export interface MembershipRow {
  id: string;
  teamId: string;
  teamName: string;
  teamSlug: string;
  personId: string;
  personName: string;
  isBot: boolean;
  /** First day, YYYY-MM-DD in the org time zone. */
  from: string;
  /** Last day, YYYY-MM-DD in the org time zone; null: still a member. */
  to: string | null;
  /** Whether the membership runs today. */
  current: boolean;
}

export interface TeamSummary {
  id: string;
  slug: string;
  name: string;
  currentMembers: number;
  repositories: number;
  /** What deleting the team would lose; a team with any of these cannot be deleted. */
  weeklyReviews: number;
  annotations: number;
}

export interface RepositoryRow {
  id: string;
  provider: string;
  fullName: string;
  url: string | null;
  defaultTeamId: string | null;
}
