/** A pull request (GitHub) or merge request (GitLab) as its web URL names it. */
export interface PullRequestRef {
  provider: 'github' | 'gitlab';
  /** Lower case, without `www.`: GitHub Enterprise and self-managed GitLab hosts count too. */
  host: string;
  /** GitHub owner; GitLab group path (`group/subgroup`). */
  owner: string;
  name: string;
  number: number;
}

// Owner, group, project and repository names: no `/`, no spaces; `-` alone is GitLab's route separator.
const SEGMENT = /^(?!-$)[A-Za-z0-9_.-]+$/;
const NUMBER = /^[1-9][0-9]*$/;

const DEFAULT_HOST = { github: 'github.com', gitlab: 'gitlab.com' } as const;

export function hostOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
}

/**
 * The pull request a URL points at, or null for anything else (issues, commits, branches, other
 * sites). The path decides the provider, so GitHub Enterprise and self-managed GitLab work too.
 */
export function parsePullRequestUrl(url: string): PullRequestRef | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const host = hostOf(url)!;
  const segments = parsed.pathname.split('/').filter(Boolean);
  // `/owner/repo/pull/12`, then anything (`/files`, `/commits/…`).
  const [owner, name, pull, number] = segments;
  if (pull === 'pull' && owner && name && SEGMENT.test(owner) && SEGMENT.test(name) && NUMBER.test(number ?? '')) {
    return { provider: 'github', host, owner, name, number: Number(number) };
  }
  // `/group/sub/project/-/merge_requests/3`; GitLab before 12.x wrote it without `/-`.
  const at = segments.indexOf('merge_requests');
  const project = segments.slice(0, at).filter((s, i, all) => !(s === '-' && i === all.length - 1));
  if (at > 0 && NUMBER.test(segments[at + 1] ?? '') && project.length >= 2 && project.every((s) => SEGMENT.test(s))) {
    return { provider: 'gitlab', host, owner: project.slice(0, -1).join('/'), name: project.at(-1)!, number: Number(segments[at + 1]) };
  }
  return null;
}

/**
 * One spelling per pull request, whichever side names it: `github:github.com/acme/app#12`,
 * `gitlab:gitlab.com/group/proj!3`, in lower case (both providers ignore case in these paths).
 */
export function pullRequestKey(ref: PullRequestRef): string {
  return `${ref.provider}:${ref.host}/${ref.owner}/${ref.name}${ref.provider === 'github' ? '#' : '!'}${ref.number}`.toLowerCase();
}

/** The key of a stored pull request, from its repository (`url` gives the host; else the public one). */
export function storedPullRequestKey(repository: { provider: string; url: string | null; owner: string; name: string }, number: number): string | null {
  if (repository.provider !== 'github' && repository.provider !== 'gitlab') return null;
  const host = (repository.url && hostOf(repository.url)) || DEFAULT_HOST[repository.provider];
  return pullRequestKey({ provider: repository.provider, host, owner: repository.owner, name: repository.name, number });
}
