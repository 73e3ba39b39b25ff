import type { CiConclusion } from '../db/generated/client.ts';

export const CI_CONCLUSIONS = ['success', 'failure', 'cancelled', 'timed_out', 'skipped', 'neutral', 'action_required', 'stale'] as const satisfies readonly CiConclusion[];

// GitHub's conclusions are the enum's, plus startup_failure (the workflow file could not start): a failure.
const GITHUB: Record<string, CiConclusion> = { ...Object.fromEntries(CI_CONCLUSIONS.map((c) => [c, c])), startup_failure: 'failure' };

// GitLab pipeline statuses; the others (created, pending, running, manual, scheduled…) are not finished.
const GITLAB: Record<string, CiConclusion> = { success: 'success', failed: 'failure', canceled: 'cancelled', canceling: 'cancelled', skipped: 'skipped' };

/** A GitHub conclusion as stored; null while the run has none. An unknown value is kept out rather than guessed. */
export function githubConclusion(conclusion: string | null): CiConclusion | null {
  return conclusion === null ? null : (GITHUB[conclusion] ?? null);
}

export function gitlabPipelineConclusion(status: string): CiConclusion | null {
  return GITLAB[status] ?? null;
}
