import { detectPullRequestSignals, type AiSignal, type OrgRule } from './detect.ts';

export interface AttributedCommit {
  sha: string;
  additions: number;
  aiAdditions: number;
  aiEvidence: AiSignal[];
}

/**
 * A pull request's AI share and evidence, from what is stored (so delivery order does not
 * matter): its commits' signals (each with the commit's sha), plus its own (agent account as
 * author, body markers, org rules on its branch). The share is AI-attributed lines over lines
 * added by its commits; null while no line counts are known (pushes carry none).
 */
export function pullRequestAttribution(
  pr: { authorLogin: string | null; body: string | null; headBranch: string | null; commits: AttributedCommit[] },
  rules: OrgRule[],
): { aiEvidence: AiSignal[]; aiShare: number | null } {
  const own = detectPullRequestSignals({ authorLogin: pr.authorLogin, body: pr.body, headBranch: pr.headBranch }, rules);
  const fromCommits = pr.commits.flatMap((c) => c.aiEvidence.map((s) => ({ ...s, commitSha: c.sha })));
  const additions = pr.commits.reduce((n, c) => n + c.additions, 0);
  const aiAdditions = pr.commits.reduce((n, c) => n + c.aiAdditions, 0);
  return { aiEvidence: [...own, ...fromCommits], aiShare: additions > 0 ? aiAdditions / additions : null };
}
