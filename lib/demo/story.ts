// The story the demo data tells, as per-team per-week parameters: AI generation grows several-fold
// everywhere, but only the team that also changed how it reviews and tests (the "harness" team)
// gets faster; elsewhere bigger AI PRs queue up for review and fail CI more often.

export const HARNESS_TEAM = 'platform';

export interface TeamWeek {
  /** Mean PRs an engineer opens in the week. */
  prsPerEngineer: number;
  /** Chance a PR is AI-assisted, for engineers who already use AI. */
  aiPrChance: number;
  /** Median lines added by a PR. */
  humanLines: number;
  aiLines: number;
  /** Median working hours between consecutive commits. */
  commitGapHours: number;
  /** Median working hours from ready for review to the first review (for a 100-line PR). */
  pickupHours: number;
  changesRequested: { human: number; ai: number };
  /** Median working hours from the first review to approval after changes were requested. */
  iterationHours: number;
  /** Chance the first CI run of the PR's head passes. */
  ciPass: { human: number; ai: number };
  /** Median working hours from approval (and green CI) to merge. */
  mergeHours: number;
}

/** Week indexes of the story's events, scaled to the window (5 and 10 of 26). */
export function storyWeeks(weeks: number): { rollout: number; harness: number } {
  return { rollout: Math.round((weeks * 5) / 26), harness: Math.round((weeks * 10) / 26) };
}

export function teamWeek(team: string, week: number, weeks: number): TeamWeek {
  const progress = weeks > 1 ? week / (weeks - 1) : 1;
  // The harness works from its first week, and keeps improving for a few more.
  const sinceHarness = week - storyWeeks(weeks).harness;
  const harness = team === HARNESS_TEAM && sinceHarness >= 0 ? Math.min(1, 0.7 + 0.1 * sinceHarness) : 0;
  const towards = (from: number, to: number) => from + (to - from) * harness;
  return {
    prsPerEngineer: 1.9 * (1 + 0.45 * progress) * towards(1, 1.4),
    aiPrChance: 0.45 + 0.4 * progress,
    humanLines: 60,
    aiLines: 60 * (1.8 + 0.9 * progress),
    commitGapHours: towards(2.5, 1.5),
    pickupHours: towards(4 * (1 + 0.9 * progress), 0.8),
    changesRequested: { human: towards(0.25, 0.1), ai: towards(0.35 + 0.15 * progress, 0.12) },
    iterationHours: towards(6 * (1 + 0.5 * progress), 2),
    ciPass: { human: towards(0.86, 0.95), ai: towards(0.74 - 0.06 * progress, 0.93) },
    mergeHours: towards(1, 0.3),
  };
}

/** How heavily an engineer uses AI tools in a week: ramps up after they start, and grows org-wide. */
export function aiIntensity(aiFrom: number | null, week: number, weeks: number): number {
  if (aiFrom === null || week < aiFrom) return 0;
  const progress = weeks > 1 ? week / (weeks - 1) : 1;
  return Math.min(1, 0.35 + (0.65 * (week - aiFrom)) / 6) * (1 + 0.8 * progress);
}

/** Size of a repository's test suite relative to the start: grows slowly, jumps with the harness. */
export function testSuiteGrowth(team: string, week: number, weeks: number): number {
  const progress = weeks > 1 ? week / (weeks - 1) : 1;
  const harness = team === HARNESS_TEAM && week >= storyWeeks(weeks).harness ? 1.4 : 1;
  return (1 + 0.2 * progress) * harness;
}
