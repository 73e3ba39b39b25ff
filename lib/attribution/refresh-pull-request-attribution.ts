import type { Prisma } from '../db/generated/client.ts';
import { detectPullRequestSignals, type AiSignal } from './detect.ts';
import { loadAttributionPolicy } from './org-rules.ts';

/**
 * A pull request's AI share and evidence, recomputed from what is stored (so delivery order does
 * not matter): its commits' signals (each with the commit's sha), plus its own (agent account as
 * author, body markers, org rules on its branch). The share is AI-attributed lines over lines
 * added by its commits; null while no line counts are known (pushes carry none).
 */
export async function refreshPullRequestAttribution(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string): Promise<void> {
  const pr = await tx.pullRequest.findUniqueOrThrow({
    where: { orgId_id: { orgId, id: pullRequestId } },
    include: { author: { include: { identities: true } }, commits: { include: { commit: true } } },
  });
  const login = pr.author?.identities.find((i) => i.provider === 'github' || i.provider === 'gitlab')?.login ?? null;
  const own = detectPullRequestSignals({ authorLogin: login, body: pr.body, headBranch: pr.headBranch }, (await loadAttributionPolicy(tx, orgId)).rules);
  const fromCommits = pr.commits.flatMap(({ commit }) => (commit.aiEvidence as unknown as AiSignal[]).map((s) => ({ ...s, commitSha: commit.sha })));
  const additions = pr.commits.reduce((n, { commit }) => n + commit.additions, 0);
  const aiAdditions = pr.commits.reduce((n, { commit }) => n + commit.aiAdditions, 0);
  await tx.pullRequest.update({
    where: { orgId_id: { orgId, id: pullRequestId } },
    data: { aiEvidence: [...own, ...fromCommits] as unknown as Prisma.InputJsonValue, aiShare: additions > 0 ? aiAdditions / additions : null },
  });
}
