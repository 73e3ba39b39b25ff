import { z } from 'zod';

// One GraphQL page: 50 pull requests with their reviews and commits (line counts included) for a
// few points of the API budget, where REST would take a request per pull request and per list.
export const PULL_REQUESTS_QUERY = /* GraphQL */ `
  query ($owner: String!, $name: String!, $cursor: String) {
    rateLimit { cost remaining resetAt }
    repository(owner: $owner, name: $name) {
      databaseId
      nameWithOwner
      url
      defaultBranchRef { name }
      pullRequests(first: 50, after: $cursor, orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId number title body url state isDraft createdAt updatedAt mergedAt closedAt
          additions deletions changedFiles headRefName baseRefName headRefOid
          mergeCommit { oid }
          author { login __typename ... on User { databaseId } ... on Bot { databaseId } }
          reviews(first: 50) { nodes { databaseId state submittedAt body author { login __typename ... on User { databaseId } ... on Bot { databaseId } } } }
          commits(first: 100) { nodes { commit { oid message authoredDate committedDate additions deletions parents { totalCount } author { name email } } } }
        }
      }
    }
  }
`;

const actor = z.object({ login: z.string(), __typename: z.string().optional(), databaseId: z.number().nullable().optional() }).nullable();

export const backfilledPullRequestSchema = z.object({
  repository: z.object({ databaseId: z.number(), nameWithOwner: z.string(), url: z.string().optional(), defaultBranch: z.string().nullable() }),
  pullRequest: z.object({
    databaseId: z.number(),
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullable().optional(),
    url: z.string().optional(),
    state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
    isDraft: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    mergedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    additions: z.number().int(),
    deletions: z.number().int(),
    changedFiles: z.number().int(),
    headRefName: z.string(),
    baseRefName: z.string(),
    headRefOid: z.string(),
    mergeCommit: z.object({ oid: z.string() }).nullable().optional(),
    author: actor,
    reviews: z.object({ nodes: z.array(z.object({ databaseId: z.number(), state: z.string(), submittedAt: z.string().nullable(), body: z.string().nullable().optional(), author: actor })) }),
    commits: z.object({
      nodes: z.array(
        z.object({
          commit: z.object({
            oid: z.string(),
            message: z.string(),
            authoredDate: z.string(),
            committedDate: z.string(),
            additions: z.number().int(),
            deletions: z.number().int(),
            parents: z.object({ totalCount: z.number().int() }),
            author: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
          }),
        }),
      ),
    }),
  }),
});

export type BackfilledPullRequest = z.infer<typeof backfilledPullRequestSchema>;
