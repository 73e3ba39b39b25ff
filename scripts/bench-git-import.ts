// Benchmark: `throughline import git` throughput on a generated history.
// Usage: DATABASE_URL=postgresql://…/postgres npm run bench:git-import [-- commits=20000]
// Makes a repository with git fast-import (each commit rewrites one of 100 files with 3 lines, every 10th carries a
// Claude co-author trailer), imports it into a fresh database, prints commits/s, then drops it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBenchDatabase } from './bench-database.ts';

const count = Number(process.argv[2] ?? 20000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-bench-git-'));
execFileSync('git', ['init', '-q', '-b', 'main', dir]);
let stream = '';
for (let i = 1; i <= count; i++) {
  const message = i % 10 === 0 ? `Change ${i}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n` : `Change ${i}\n`;
  const when = 1767225600 + i * 600;
  const content = `a ${i}\nb ${i}\nc ${i}\n`;
  stream += `commit refs/heads/main\nmark :${i}\nauthor Dev ${i % 40} <dev${i % 40}@example.com> ${when} +0000\ncommitter Dev ${i % 40} <dev${i % 40}@example.com> ${when} +0000\n`;
  stream += `data ${Buffer.byteLength(message)}\n${message}${i > 1 ? `from :${i - 1}\n` : ''}M 644 inline f${i % 100}.txt\ndata ${content.length}\n${content}\n`;
}
let t = Date.now();
execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: stream });
execFileSync('git', ['-C', dir, 'checkout', '-q', 'main']);
console.log(`generated ${count} commits in ${((Date.now() - t) / 1000).toFixed(1)}s`);

await withBenchDatabase('git', async () => {
  const { db } = await import('../lib/db/client.ts');
  const { importGitHistory } = await import('../lib/ingest/git/import-git-history.ts');
  const { gitLogArgs, hasAiNotes } = await import('../lib/ingest/git/read-git-log.ts');
  const org = await db().organization.create({ data: { slug: 'bench', name: 'Bench' } });
  // The very command the import streams (same format, numstat and notes flags), read to the end.
  t = Date.now();
  execFileSync('git', gitLogArgs(dir, 'main', { notes: hasAiNotes(dir) }), { maxBuffer: 1024 * 1024 * 1024 });
  const gitSeconds = (Date.now() - t) / 1000;
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  t = Date.now();
  const result = await importGitHistory({ orgId: org.id, path: dir, owner: 'bench', name: 'repo', branch: 'main' });
  const seconds = (Date.now() - t) / 1000;
  clearInterval(sampler);
  console.log(`the import's git log alone: ${gitSeconds.toFixed(2)}s`);
  console.log(`imported ${result.commits} commits in ${seconds.toFixed(2)}s: ${Math.round(result.commits / seconds)} commits/s, ${(seconds / gitSeconds).toFixed(1)}x git's own time, peak RSS ${Math.round(peakRss / 1e6)} MB (process before the import: ${Math.round(baseRss / 1e6)} MB)`);
  t = Date.now();
  await importGitHistory({ orgId: org.id, path: dir, owner: 'bench', name: 'repo', branch: 'main' });
  console.log(`re-import (nothing new) in ${((Date.now() - t) / 1000).toFixed(1)}s; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
});
process.exit(0);
