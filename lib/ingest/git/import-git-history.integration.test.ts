import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { importGitHistory, pullRequestOf } from './import-git-history.ts';

// A real repository made with git in a temporary folder: plain, AI, squash-merged and merged
// commits, with chosen dates, so every expected figure is known.

function git(dir: string, args: string[], date?: string) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.com', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) };
  return execFileSync('git', ['-C', dir, '-c', 'commit.gpgsign=false', ...args], { env, encoding: 'utf8' });
}

function makeRepository(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-git-'));
  git(dir, ['init', '-q', '-b', 'main']);
  const commit = (file: string, lines: number, message: string, date: string) => {
    writeFileSync(path.join(dir, file), Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n') + '\n');
    git(dir, ['add', file]);
    git(dir, ['commit', '-q', '-m', message], date);
  };
  commit('a.txt', 10, 'Initial commit', '2026-03-02T09:00:00Z');
  commit('b.txt', 20, 'Add parser (#12)\n\n* parse\n* Co-authored-by: Claude <noreply@anthropic.com>', '2026-03-03T10:00:00Z');
  git(dir, ['checkout', '-q', '-b', 'feature']);
  commit('c.txt', 5, 'Feature work', '2026-03-04T11:00:00Z');
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['merge', '-q', '--no-ff', 'feature', '-m', 'Merge pull request #13 from acme/feature\n\nAdd the feature'], '2026-03-05T12:00:00Z');
  writeFileSync(path.join(dir, 'logo.png'), Buffer.from([0, 1, 2, 0, 255]));
  git(dir, ['add', 'logo.png']);
  git(dir, ['commit', '-q', '-m', 'Add logo'], '2026-03-06T13:00:00Z');
  return dir;
}

/** What an import leaves in an org, without the ids that differ between orgs. */
async function importedState(orgId: string) {
  const commits = await db().commit.findMany({ where: { orgId }, orderBy: { sha: 'asc' }, include: { author: true } });
  const prs = await db().pullRequest.findMany({ where: { orgId }, orderBy: { number: 'asc' }, include: { commits: { include: { commit: true } } } });
  const days = await db().rollupDirtyDay.findMany({ where: { orgId }, orderBy: { day: 'asc' } });
  return {
    commits: commits.map((c) => ({
      sha: c.sha, authorEmail: c.authorEmail, authorName: c.authorName, authoredAt: c.authoredAt, committedAt: c.committedAt, message: c.message,
      additions: c.additions, deletions: c.deletions, aiAdditions: c.aiAdditions, isAi: c.isAi, aiEvidence: c.aiEvidence, parentCount: c.parentCount,
      onDefaultBranch: c.onDefaultBranch, branches: [...c.branches].sort(), author: c.author && { displayName: c.author.displayName, email: c.author.email, isBot: c.author.isBot },
    })),
    pullRequests: prs.map((p) => ({
      number: p.number, title: p.title, state: p.state, isInferred: p.isInferred, mergedAt: p.mergedAt, firstCommitAt: p.firstCommitAt, aiShare: p.aiShare,
      commits: p.commits.map((pc) => pc.commit.sha).sort(),
    })),
    days: days.map((d) => d.day.toISOString().slice(0, 10)),
    people: await db().person.count({ where: { orgId } }),
  };
}

describe('importGitHistory', () => {
  test.each(['copy', 'json'] as const)('imports commits with line counts, AI signals, and the pull requests their subjects name; a re-import adds nothing (%s)', async (bulk) => {
    const dir = makeRepository();
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Imported' } });
    const result = await importGitHistory({ orgId: org.id, path: dir, owner: 'acme', name: 'app', branch: 'main', bulk });
    expect(result).toEqual({ commits: 5, pullRequests: 2, warnings: 0, warningMessages: [] });

    const commits = await db().commit.findMany({ where: { orgId: org.id }, orderBy: { committedAt: 'asc' } });
    expect(commits.map((c) => [c.message.split('\n')[0], c.additions, c.aiAdditions, c.isAi, c.parentCount, c.committedAt.toISOString()])).toEqual([
      ['Initial commit', 10, 0, false, 0, '2026-03-02T09:00:00.000Z'], // the root commit has no parent
      ['Add parser (#12)', 20, 20, true, 1, '2026-03-03T10:00:00.000Z'],
      ['Feature work', 5, 0, false, 1, '2026-03-04T11:00:00.000Z'],
      ['Merge pull request #13 from acme/feature', 0, 0, false, 2, '2026-03-05T12:00:00.000Z'],
      ['Add logo', 0, 0, false, 1, '2026-03-06T13:00:00.000Z'], // binary: no lines
    ]);
    expect(commits[1]!.aiEvidence).toEqual([expect.objectContaining({ kind: 'co_author', tool: 'Claude Code', evidence: '* Co-authored-by: Claude <noreply@anthropic.com>' })]);

    const prs = await db().pullRequest.findMany({ where: { orgId: org.id }, orderBy: { number: 'asc' }, include: { commits: { include: { commit: true } } } });
    expect(prs.map((p) => [p.number, p.title, p.state, p.isInferred, p.mergedAt?.toISOString(), p.aiShare])).toEqual([
      [12, 'Add parser', 'merged', true, '2026-03-03T10:00:00.000Z', 1],
      // The merge brought in "Feature work" (5 lines, not AI): it is the PR's, and its first commit.
      [13, 'Add the feature', 'merged', true, '2026-03-05T12:00:00.000Z', 0],
    ]);
    expect(prs[1]!.commits.map((c) => c.commit.message.split('\n')[0]).sort()).toEqual(['Feature work', 'Merge pull request #13 from acme/feature']);
    expect(prs[1]!.firstCommitAt).toEqual(new Date('2026-03-04T11:00:00Z'));
    // The batch write marks each commit's day for the rollups once (row triggers are deferred for it).
    const marked = (await db().rollupDirtyDay.findMany({ where: { orgId: org.id }, orderBy: { day: 'asc' } })).map((d) => d.day.toISOString().slice(0, 10));
    expect(marked).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);

    expect(await importGitHistory({ orgId: org.id, path: dir, owner: 'acme', name: 'app', branch: 'main', bulk })).toEqual({ commits: 5, pullRequests: 2, warnings: 0, warningMessages: [] });
    expect(await db().commit.count({ where: { orgId: org.id } })).toBe(5);
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(1);
  });

  test('a re-import after new commits adds only them; an author renamed under the same email stays one person', async () => {
    const dir = makeRepository();
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Reimported' } });
    await importGitHistory({ orgId: org.id, path: dir, owner: 'acme', name: 'app', branch: 'main' });
    writeFileSync(path.join(dir, 'd.txt'), 'one\ntwo\n');
    git(dir, ['add', 'd.txt']);
    execFileSync('git', ['-C', dir, 'commit', '-q', '-m', 'Later work'], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'Ann Married-Name', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.com', GIT_AUTHOR_DATE: '2026-03-09T09:00:00Z', GIT_COMMITTER_DATE: '2026-03-09T09:00:00Z' },
    });
    await importGitHistory({ orgId: org.id, path: dir, owner: 'acme', name: 'app', branch: 'main' });
    expect(await db().commit.count({ where: { orgId: org.id } })).toBe(6);
    expect(await db().commit.findFirstOrThrow({ where: { orgId: org.id, message: 'Later work' } })).toMatchObject({ additions: 2, authorName: 'Ann Married-Name' });
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(1);
  });

  test('a commit with a git-ai note counts the lines the note attests, with the note as evidence; other commits keep their trailers', async () => {
    const dir = makeRepository();
    // A note on "Feature work" (5 lines added): 3 of them AI, one line attested by two prompts.
    const note = [
      'c.txt',
      '  abcd1234abcd1234 1-2',
      '  0123456789abcdef 2-3',
      '---',
      JSON.stringify({
        schema_version: 'authorship/3.0.0', git_ai_version: '1.0.23', base_commit_sha: 'x',
        prompts: { abcd1234abcd1234: { agent_id: { tool: 'cursor', id: 'a', model: 'claude-4.5-opus' } }, '0123456789abcdef': { agent_id: { tool: 'cursor', id: 'b', model: 'claude-4.5-opus' } } },
      }),
    ].join('\n');
    git(dir, ['notes', '--ref=ai', 'add', '-m', note, 'feature']);
    // Another tool's note on a commit the trailers already attest: a note of this shape is not read.
    git(dir, ['notes', '--ref=ai', 'add', '-m', 'Reviewed-by: Bob', 'main~2']);
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Noted' } });
    expect(await importGitHistory({ orgId: org.id, path: dir, owner: 'acme', name: 'app', branch: 'main' })).toEqual({ commits: 5, pullRequests: 2, warnings: 0, warningMessages: [] });

    const commits = await db().commit.findMany({ where: { orgId: org.id }, orderBy: { committedAt: 'asc' } });
    expect(commits.map((c) => [c.message.split('\n')[0], c.additions, c.aiAdditions, c.isAi])).toEqual([
      ['Initial commit', 10, 0, false],
      ['Add parser (#12)', 20, 20, true],
      ['Feature work', 5, 3, true],
      ['Merge pull request #13 from acme/feature', 0, 0, false],
      ['Add logo', 0, 0, false],
    ]);
    expect(commits[2]!.aiEvidence).toEqual([
      { kind: 'git_ai_note', tool: 'Cursor', aiTool: 'cursor', strength: 'strong', evidence: 'refs/notes/ai: 3 AI lines in 1 file (cursor claude-4.5-opus)' },
    ]);
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id, number: 13 } });
    expect(pr.aiShare).toBe(3 / 5);
  });

  test('a partial clone whose promisor remote is gone: every commit is imported, unreadable files are skipped with a warning naming commit and file', async () => {
    const source = makeRepository();
    git(source, ['config', 'uploadpack.allowFilter', 'true']);
    const parent = mkdtempSync(path.join(os.tmpdir(), 'tl-git-partial-'));
    const clone = path.join(parent, 'clone');
    execFileSync('git', ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${source}`, clone]);
    // Fetch the blobs of "Add parser" only, then take the remote away: the others cannot be fetched.
    git(clone, ['cat-file', '-p', 'main~2:b.txt']);
    renameSync(source, `${source}-gone`);
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Partial' } });
    const result = await importGitHistory({ orgId: org.id, path: clone, owner: 'acme', name: 'app', branch: 'main' });

    const sha = (rev: string) => git(clone, ['rev-parse', rev]).trim().slice(0, 12);
    const blob = (rev: string) => git(clone, ['rev-parse', rev]).trim().slice(0, 12);
    expect(result).toEqual({
      commits: 5, pullRequests: 2, warnings: 3,
      warningMessages: [
        `commit ${sha('main')}: logo.png is not in the clone (blob ${blob('main:logo.png')}); its lines are not counted`,
        `commit ${sha('main~1^2')}: c.txt is not in the clone (blob ${blob('main~1^2:c.txt')}); its lines are not counted`,
        `commit ${sha('main~3')}: a.txt is not in the clone (blob ${blob('main~3:a.txt')}); its lines are not counted`,
      ],
    });
    const commits = await db().commit.findMany({ where: { orgId: org.id }, orderBy: { committedAt: 'asc' } });
    expect(commits.map((c) => [c.message.split('\n')[0], c.additions, c.aiAdditions, c.isAi])).toEqual([
      ['Initial commit', 0, 0, false],
      ['Add parser (#12)', 20, 20, true], // its blob was fetched before the remote went
      ['Feature work', 0, 0, false],
      ['Merge pull request #13 from acme/feature', 0, 0, false],
      ['Add logo', 0, 0, false],
    ]);
  });

  test("this repository's own history: every commit, and line counts equal to git's own numstat", async () => {
    const repo = path.join(import.meta.dirname, '../../..');
    const branch = execFileSync('git', ['-C', repo, 'symbolic-ref', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const expectedCommits = Number(execFileSync('git', ['-C', repo, 'rev-list', '--count', branch], { encoding: 'utf8' }).trim());
    const numstat = execFileSync('git', ['-C', repo, 'log', branch, '--numstat', '--format=', '--no-renames'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const expectedAdditions = numstat.split('\n').reduce((n, line) => n + (Number(line.split('\t')[0]) || 0), 0);
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Self' } });
    const result = await importGitHistory({ orgId: org.id, path: repo, owner: 'throughline', name: 'throughline', branch });
    expect(result.commits).toBe(expectedCommits);
    const sum = await db().commit.aggregate({ where: { orgId: org.id }, _sum: { additions: true }, _count: true });
    expect(sum).toEqual({ _sum: { additions: expectedAdditions }, _count: expectedCommits });
  });

  test("a repository's first import COPYs straight into Commit; its rows, days and pull requests equal those the staging merge writes", async () => {
    const dir = makeRepository();
    const merged = await db().organization.create({ data: { slug: randomSlug(), name: 'Merged' } });
    const copied = await db().organization.create({ data: { slug: randomSlug(), name: 'Copied' } });
    const ways = { merged: [] as string[], copied: [] as string[] };
    const viaMerge = await importGitHistory({ orgId: merged.id, path: dir, owner: 'acme', name: 'app', branch: 'main', fastPath: false, onBatchWritten: (w) => void ways.merged.push(w) });
    const viaCopy = await importGitHistory({ orgId: copied.id, path: dir, owner: 'acme', name: 'app', branch: 'main', onBatchWritten: (w) => void ways.copied.push(w) });
    expect(ways).toEqual({ merged: ['merge'], copied: ['copy'] });
    expect(viaCopy).toEqual(viaMerge);
    expect(await importedState(copied.id)).toEqual(await importedState(merged.id));
    expect((await importedState(copied.id)).commits).toHaveLength(5);
    // A re-import is no longer fresh: it merges, and changes nothing.
    const again: string[] = [];
    await importGitHistory({ orgId: copied.id, path: dir, owner: 'acme', name: 'app', branch: 'main', onBatchWritten: (w) => void again.push(w) });
    expect(again).toEqual(['merge']);
    expect(await importedState(copied.id)).toEqual(await importedState(merged.id));
  });

  test('the COPY path (two batches at a time, on two connections) and the JSON path (the embedded database) store the same rows, days and pull requests', async () => {
    const dir = makeRepository();
    // A revert, a tab and a backslash in a message, a quote in an author's name: what COPY's text format escapes.
    writeFileSync(path.join(dir, 'e.txt'), 'x\n');
    git(dir, ['add', 'e.txt']);
    execFileSync('git', ['-C', dir, 'commit', '-q', '-m', 'Revert "Add logo"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n\ttab \\ slash\n\nCo-authored-by: Claude <noreply@anthropic.com>'], {
      env: { ...process.env, GIT_AUTHOR_NAME: 'Bo "Quote" O\'Neil', GIT_AUTHOR_EMAIL: 'Bo@Example.com', GIT_COMMITTER_NAME: 'Bo', GIT_COMMITTER_EMAIL: 'bo@example.com', GIT_AUTHOR_DATE: '2026-03-08T23:30:00-05:00', GIT_COMMITTER_DATE: '2026-03-09T06:00:00+02:00' },
    });
    const copied = await db().organization.create({ data: { slug: randomSlug(), name: 'Copy path' } });
    const json = await db().organization.create({ data: { slug: randomSlug(), name: 'JSON path' } });
    const viaCopy = await importGitHistory({ orgId: copied.id, path: dir, owner: 'acme', name: 'app', branch: 'main', batchSize: 2 });
    const ways: string[] = [];
    const viaJson = await importGitHistory({ orgId: json.id, path: dir, owner: 'acme', name: 'app', branch: 'main', bulk: 'json', onBatchWritten: (w) => void ways.push(w) });
    expect(ways).toEqual(['merge']);
    expect(viaCopy).toEqual(viaJson);
    const state = await importedState(copied.id);
    expect(state).toEqual(await importedState(json.id));
    expect(state.commits.find((c) => c.message.startsWith('Revert'))).toMatchObject({
      authorName: 'Bo "Quote" O\'Neil', authorEmail: 'bo@example.com', isAi: true,
      authoredAt: new Date('2026-03-09T04:30:00Z'), committedAt: new Date('2026-03-09T04:00:00Z'),
      message: expect.stringContaining('\ttab \\ slash\n'),
    });
    expect(state.days).toContain('2026-03-09');
  });

  test('a commit stored meanwhile (a webhook push) makes its batch fall back to the merge: the rows equal an import over the stored commit', async () => {
    const dir = makeRepository();
    // Log order, newest first, 2 a batch: [Add logo, Merge], [Feature work, Add parser], [Initial commit].
    const parser = git(dir, ['rev-parse', 'main~2']).trim();
    const storeWebhookCommit = async (orgId: string) => {
      const repo = await db().repository.findFirstOrThrow({ where: { orgId, owner: 'acme', name: 'app' } });
      await db().commit.create({
        data: {
          orgId, repositoryId: repo.id, sha: parser, message: 'Add parser (#12)', authorEmail: 'ann@example.com', authorName: 'Ann', onDefaultBranch: false, branches: ['topic'],
          authoredAt: new Date('2026-03-03T10:00:00Z'), committedAt: new Date('2026-03-10T08:00:00Z'),
        },
      });
    };
    // Stored during the import, after the first batch: the second batch's COPY meets it.
    const during = await db().organization.create({ data: { slug: randomSlug(), name: 'During' } });
    const ways: string[] = [];
    const result = await importGitHistory({
      orgId: during.id, path: dir, owner: 'acme', name: 'app', branch: 'main', batchSize: 2,
      onBatchWritten: async (written) => {
        if (ways.push(written) === 1) await storeWebhookCommit(during.id);
      },
    });
    expect(ways).toEqual(['copy', 'merge', 'copy']);
    expect(result).toEqual({ commits: 5, pullRequests: 2, warnings: 0, warningMessages: [] });
    // Stored before the import: the repository is not fresh, every batch merges.
    const before = await db().organization.create({ data: { slug: randomSlug(), name: 'Before' } });
    await db().repository.create({ data: { orgId: before.id, provider: 'github', owner: 'acme', name: 'app', defaultBranch: 'main' } });
    await storeWebhookCommit(before.id);
    const beforeWays: string[] = [];
    await importGitHistory({ orgId: before.id, path: dir, owner: 'acme', name: 'app', branch: 'main', batchSize: 2, onBatchWritten: (w) => void beforeWays.push(w) });
    expect(beforeWays).toEqual(['merge', 'merge', 'merge']);

    const state = await importedState(during.id);
    expect(state).toEqual(await importedState(before.id));
    // Git's facts won over the webhook's, and the branches accumulated.
    expect(state.commits.find((c) => c.sha === parser)).toMatchObject({ additions: 20, aiAdditions: 20, isAi: true, onDefaultBranch: true, branches: ['main', 'topic'], committedAt: new Date('2026-03-03T10:00:00Z') });
    expect(state.commits).toHaveLength(5);
    expect(state.people).toBe(1);
  });

  test.each([
    [{ message: 'Fix typo (#7)', parentCount: 1 }, { number: 7, title: 'Fix typo', headBranch: null }],
    [{ message: 'Merge pull request #9 from octo/fix-bug\n\nFix the bug', parentCount: 2 }, { number: 9, title: 'Fix the bug', headBranch: 'fix-bug' }],
    [{ message: 'Merge pull request #9 from octo/fix-bug', parentCount: 1 }, null],
    [{ message: 'Mention (#7) mid-subject only', parentCount: 1 }, null],
  ])('pullRequestOf(%j)', (commit, expected) => {
    expect(pullRequestOf(commit)).toEqual(expected);
  });
});
