// `npm run bench`: every benchmark of the repository, one after another, on the PostgreSQL named by
// DATABASE_URL (each makes and drops its own database), then one Markdown table of what each
// printed, with the machine it ran on, written to docs/benchmarks.md (BENCH_OUT to change it).
// Needs a production build for the server benchmarks (`npm run build`). The sizes are each
// benchmark's defaults; the issue-sized runs (1M pull requests for metrics) are in docs/scaling.md.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Bench {
  name: string;
  script: string;
  args: string[];
  target: string;
  /** The lines of its output that carry its figures. */
  figures: RegExp;
  /** How such a line reads in the table; as printed when absent. */
  format?: (line: string) => string;
}

/** A console.table row, `│ 'name' │ 'value' │ 'detail' │`, as `name: value (detail)`. */
const tableRow = (line: string) => {
  const [name, value, detail] = line.split('│').slice(1, -1).map((c) => c.trim().replace(/^'|'$/g, ''));
  return `${name}: ${value}${detail ? ` (${detail})` : ''}`;
};

const BENCHES: Bench[] = [
  { name: 'Webhook acknowledgement', script: 'bench-webhooks.ts', args: ['30', '200'], target: 'p99 ack <= 50 ms at 200 req/s, 0 lost, processing keeps up', figures: /^(sent|ack latency|backlog|stored)/ },
  { name: 'OTLP metrics ingest', script: 'bench-otlp.ts', args: ['30', '200'], target: '0 lost', figures: /^(sent|ack latency|stored)/ },
  { name: 'Event processing', script: 'bench-processing.ts', args: [], target: '-', figures: /events .* processed|round trips|CPU per event|derived:/ },
  { name: 'Query overhead (per read)', script: 'bench-query-overhead.ts', args: [], target: '-', figures: /per query/ },
  { name: 'Bulk writes (staging COPY + merge)', script: 'bench-bulk-import.ts', args: [], target: '>= 50% of plain COPY rows/s', figures: /^plain COPY/ },
  { name: 'Local git import (20,000 commits)', script: 'bench-git-import.ts', args: ['20000'], target: '<= 2x git log time, peak RSS <= 300 MB', figures: /^(rounds|git log|throughline import git|  of which|  peak RSS|  CPU|re-import)/ },
  { name: 'Metrics engine', script: 'bench-metrics.ts', args: [], target: 'weekly API p95 <= 100 ms from rollups, >= 20x faster than live', figures: /^│ (?!\(index\))/, format: tableRow },
  { name: 'Raw log storage per event', script: 'bench-storage.ts', args: [], target: '<= 600 bytes per normalized event incl. indexes', figures: /^(raw log|normalized)/ },
];

function run(bench: Bench): Promise<{ lines: string[]; seconds: number; code: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', bench.script), ...bench.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      out += d.toString();
    });
    child.on('close', (code) => resolve({ lines: out.split('\n').filter((l) => bench.figures.test(l)), seconds: (Date.now() - started) / 1000, code: code ?? 1 }));
  });
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  } finally {
    await client.end();
  }
}

if (!process.env.DATABASE_URL) {
  console.error('npm run bench needs DATABASE_URL (a PostgreSQL server; each benchmark makes its own database)');
  process.exit(1);
}
const only = process.env.BENCH_ONLY;
const loadBefore = os.loadavg()[0]!;
const rows: string[] = [];
let failed = 0;
for (const bench of BENCHES.filter((b) => !only || b.script.includes(only))) {
  console.log(`\n== ${bench.name} (scripts/${bench.script} ${bench.args.join(' ')})`);
  const { lines, seconds, code } = await run(bench);
  if (code !== 0) failed++;
  const figures = code === 0 ? lines.map((l) => (bench.format ?? ((x: string) => x))(l).trim().replace(/\|/g, '\\|')).join('<br>') : `**failed** (exit ${code})`;
  rows.push(`| ${bench.name} | \`scripts/${bench.script} ${bench.args.join(' ')}\` | ${figures} | ${bench.target} | ${seconds.toFixed(0)} s |`);
}
const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL ${await postgresVersion()}`;
const markdown = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` (scripts/bench-all.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  '',
  `Machine: ${machine}. Load average (1 min) ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end: other work on the machine moves wall times; CPU figures are printed where a benchmark measures them.`,
  '',
  '| Benchmark | Command | Figures | Target | Took |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  '',
].join('\n');
const out = process.env.BENCH_OUT ?? path.join(ROOT, 'docs/benchmarks.md');
writeFileSync(out, markdown);
console.log(`\nwrote ${path.relative(ROOT, out)}`);
process.exit(failed ? 1 : 0);
