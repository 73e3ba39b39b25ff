// The deliveries GitHub sends over one pull request's life, built from its own webhook examples
// (for scripts/bench-processing.ts and bench-metrics.ts).
import { createRequire } from 'node:module';

type Example = Record<string, unknown> & { action?: string };
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Example[] }[];
const example = (name: string, action?: string) => structuredClone(examples.find((e) => e.name === name)!.examples.find((e) => action === undefined || e.action === action)!) as Example & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The deliveries of pull request n, in the order GitHub sends them; its life starts at `base` (ms). */
export function lifeOf(n: number, base = Date.UTC(2026, 0, 5) + n * 3_600_000): { eventType: string; payload: unknown }[] {
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString().replace('.000', '');
  const branch = `feature/pr-${n}`;
  const pr = (action: string, minutes: number, extra: Record<string, unknown> = {}) => {
    const e = example('pull_request', 'opened');
    Object.assign(e.pull_request, { number: n, id: 1_000_000 + n, updated_at: at(minutes), created_at: at(10), head: { ...e.pull_request.head, ref: branch, sha: `${n}`.padStart(40, 'a') }, ...extra });
    return { eventType: 'pull_request', payload: { ...e, action, number: n } };
  };
  const push = example('push');
  const commits = [1, 2].map((i) => ({ ...push.head_commit, id: `${n}${i}`.padStart(40, 'c'), message: `Change ${i} of #${n}\n\nCo-authored-by: Claude <noreply@anthropic.com>`, timestamp: at(i) }));
  Object.assign(push, { ref: `refs/heads/${branch}`, before: '0'.repeat(40), after: commits[1]!.id, commits, head_commit: commits[1] });
  const review = example('pull_request_review', 'submitted');
  Object.assign(review.pull_request, { number: n, id: 1_000_000 + n, updated_at: at(40), created_at: at(10), head: { ...review.pull_request.head, ref: branch } });
  Object.assign(review.review, { id: 2_000_000 + n, submitted_at: at(40), state: 'approved' });
  const comment = example('issue_comment', 'created');
  Object.assign(comment.issue, { number: n, id: 3_000_000 + n, pull_request: { url: `https://api.github.com/repos/Codertocat/Hello-World/pulls/${n}` } });
  Object.assign(comment.comment, { id: 4_000_000 + n, created_at: at(45), updated_at: at(45) });
  return [
    pr('opened', 10),
    { eventType: 'push', payload: push },
    pr('synchronize', 20),
    { eventType: 'pull_request_review', payload: review },
    { eventType: 'issue_comment', payload: comment },
    pr('closed', 60, { state: 'closed', merged: true, merged_at: at(60), closed_at: at(60), merge_commit_sha: `${n}`.padStart(40, 'm') }),
  ];
}

