import { z } from 'zod';
import { distortionFlagSchema } from '../metrics/distortion-schema.ts';
import { pullRequestRowSchema, ticketRowSchema } from '../metrics/drilldown-schemas.ts';
import { weekMetricsSchema } from '../metrics/schemas.ts';
import { ISO_DATE, parseIsoDate } from '../metrics/weeks.ts';

const isMonday = (value: string) => parseIsoDate(value)?.getUTCDay() === 1;

/** A week start in a review URL: a Monday as YYYY-MM-DD. */
export const reviewWeekSchema = z.string().regex(ISO_DATE, 'must be a date as YYYY-MM-DD').refine(isMonday, 'must be a Monday, the start of an ISO week');

export const saveNotesSchema = z.object({ notes: z.string().max(20_000, 'at most 20000 characters') }).strict();
export const createActionItemSchema = z.object({ text: z.string().trim().min(1, 'must not be empty').max(300, 'at most 300 characters') }).strict();
export const updateActionItemSchema = z.object({ done: z.boolean().describe('Ticked (done) or not') }).strict();

export type SaveNotes = z.infer<typeof saveNotesSchema>;
export type CreateActionItem = z.infer<typeof createActionItemSchema>;

/** A head commit whose first CI attempt failed (docs/metrics.md#first-run-pass-rate), with its pull request. */
export const failedFirstRunSchema = z.object({
  repository: z.string(),
  sha: z.string(),
  firstRunAt: z.string().describe('ISO instant of its first run'),
  failedWorkflows: z.array(z.string()).describe('Workflows whose first attempt failed or timed out'),
  runUrl: z.string().nullable().describe('Link to a failing run'),
  pullRequestId: z.string(),
  number: z.number().int(),
  title: z.string(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  isAi: z.boolean(),
});
export type FailedFirstRun = z.infer<typeof failedFirstRunSchema>;

export const SNAPSHOT_VERSION = 1;
export const SLOWEST_LIMIT = 5;

/** What a review freezes: the week's and the previous week's figures, the lists, the distortion check. */
export const reviewSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  week: z.string(),
  previousWeek: z.string(),
  current: weekMetricsSchema,
  previous: weekMetricsSchema,
  slowestTickets: z.array(ticketRowSchema),
  slowestPrs: z.array(pullRequestRowSchema),
  failedFirstRuns: z.array(failedFirstRunSchema),
  flags: z.array(distortionFlagSchema).describe("The team's distortion warnings for the week (empty: the check is clear)"),
});
export type ReviewSnapshot = z.infer<typeof reviewSnapshotSchema>;

/** One way the live figures differ from the snapshot. */
export interface SnapshotChange {
  /** A figure key (REVIEW_FIGURE_KEYS) or a list: slowestTickets, slowestPrs, failedFirstRuns, flags. */
  key: string;
  label: string;
  /** Figures: which week's value; lists: null. */
  week: 'current' | 'previous' | null;
  before: number | null;
  after: number | null;
}

export interface ActionItemView {
  id: string;
  week: string;
  text: string;
  done: boolean;
  doneAt: string | null;
  createdById: string | null;
  createdAt: string;
}

export interface ReviewView {
  org: string;
  team: string;
  week: string;
  previousWeek: string;
  /** The following week, or null when it has not started yet. */
  nextWeek: string | null;
  /** Whether the week is still running (it is the current week). */
  inProgress: boolean;
  timeZone: string;
  snapshotAt: string;
  snapshot: ReviewSnapshot;
  /** Live figures that differ from the snapshot (empty: the snapshot is current). */
  changes: SnapshotChange[];
  notes: string;
  notesUpdatedAt: string;
  actionItems: ActionItemView[];
  /** The previous week's items still open at this week's start, or ticked since. */
  previousActionItems: ActionItemView[];
}
