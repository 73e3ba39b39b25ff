import { z } from 'zod';
import { ISO_DATE } from '../metrics/weeks.ts';

const isoDate = z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD');
const teamSlug = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug');

export const createAnnotationSchema = z
  .object({
    teamSlug: teamSlug.optional().describe('Team the annotation is about; the whole org when absent'),
    date: isoDate.describe('Calendar date of the change, in the org time zone'),
    label: z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters'),
    description: z.string().max(2000, 'at most 2000 characters').optional(),
  })
  .strict();

export const listAnnotationsQuerySchema = z
  .object({
    team: teamSlug.optional().describe("A team's annotations and the org-wide ones; all when absent"),
    from: isoDate.optional().describe('Annotations dated on or after this day'),
    to: isoDate.optional().describe('Annotations dated on or before this day'),
  })
  .strict();

export type CreateAnnotation = z.infer<typeof createAnnotationSchema>;
export type ListAnnotationsQuery = z.infer<typeof listAnnotationsQuerySchema>;
