import type { ReactNode } from 'react';
import type { z } from 'zod';
import { AI_TOOL_LABELS } from '@/lib/attribution/rule-schemas.ts';
import type {
  aiUsageRowSchema, commitRowSchema, deployedPullRequestRowSchema, deploymentRowSchema, Drilldown, DrilldownMetricName, engineerRowSchema, headCommitRowSchema, incidentRowSchema,
  pullRequestRowSchema, reviewRowSchema, ticketRowSchema,
} from '@/lib/metrics/drilldown-schemas.ts';
import { formatCount, formatHours } from '../charts/format.ts';
import styles from './Drilldown.module.css';

export type PullRequestRow = z.infer<typeof pullRequestRowSchema>;
export type TicketRow = z.infer<typeof ticketRowSchema>;
export type CommitRow = z.infer<typeof commitRowSchema>;
export type AiUsageRow = z.infer<typeof aiUsageRowSchema>;
export type HeadCommitRow = z.infer<typeof headCommitRowSchema>;
export type EngineerRow = z.infer<typeof engineerRowSchema>;
export type ReviewRow = z.infer<typeof reviewRowSchema>;
export type DeploymentRow = z.infer<typeof deploymentRowSchema>;
export type DeployedPullRequestRow = z.infer<typeof deployedPullRequestRowSchema>;
export type IncidentRow = z.infer<typeof incidentRowSchema>;
type Evidence = PullRequestRow['aiEvidence'];

/** One column of the rows table: its header, the row field it sorts by (the API's `sort`), its cell. */
export interface Column<R> {
  id: string;
  label: string;
  /** Spoken/hover explanation of the header. */
  title?: string;
  sort?: string;
  numeric?: boolean;
  cell: (row: R, ctx: CellContext) => ReactNode;
}

export interface CellContext {
  timeZone: string;
}

/** "Mar 3, 14:05" in the org's time zone. */
export function formatInstant(iso: string | null, timeZone: string): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
}

function ExternalLink({ href, children, label }: { href: string | null; children: ReactNode; label?: string }) {
  if (!href) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" aria-label={label}>
      {children}
    </a>
  );
}

const shortSha = (sha: string | null) => (sha ? <code className={styles.sha} title={sha}>{sha.slice(0, 7)}</code> : <span className={styles.none}>–</span>);
const aiCell = (isAi: boolean) => (isAi ? <span className="badge">AI</span> : <span className={styles.none}>no</span>);
const instantCell = (iso: string | null, c: CellContext) => <span className={styles.nowrap}>{formatInstant(iso, c.timeZone)}</span>;

/** A pull request as a linked title over `owner/repo#number`. */
function PullRequestCell({ title, url, repository, number, note }: { title: string; url: string | null; repository: string; number: number; note?: string }) {
  return (
    <div className={styles.titleCell}>
      <ExternalLink href={url}>{title || '(no title)'}</ExternalLink>
      <span className={styles.sub}>{repository}#{number}{note ? ` · ${note}` : ''}</span>
    </div>
  );
}

const hoursCell = (v: number | null) => <span title={v === null ? 'Not known' : `${v.toFixed(2)} hours`}>{formatHours(v)}</span>;
const dash = (v: string | null) => v ?? <span className={styles.none}>–</span>;

/** The AI signals of a change as they were found: tool, strength and the evidence itself (the same signal of several commits once). */
function EvidenceCell({ evidence, isAi }: { evidence: Evidence; isAi: boolean }) {
  if (evidence.length === 0) return <span className={styles.none}>{isAi ? 'AI (no signal text)' : 'none'}</span>;
  const groups = new Map<string, { signal: Evidence[number]; commits: number }>();
  for (const s of evidence) {
    const key = `${s.kind}|${s.tool}|${s.strength}|${s.evidence}`;
    const g = groups.get(key);
    if (g) g.commits += 1;
    else groups.set(key, { signal: s, commits: 1 });
  }
  return (
    <ul className={styles.evidence}>
      {[...groups.values()].map(({ signal: s, commits }, i) => (
        <li key={i}>
          <span>
            <span className={`badge ${s.strength === 'strong' ? 'ok' : 'warn'}`} title={`${s.kind.replaceAll('_', ' ')} signal${s.strength ? `, ${s.strength}` : ''}`}>
              {[s.tool || s.kind.replaceAll('_', ' '), s.strength].filter(Boolean).join(' · ')}
            </span>
            {commits > 1 && <span className={styles.notCounted}> in {commits} commits</span>}
          </span>
          {!isAi && i === 0 && <span className={styles.notCounted}>weak: not counted by this org</span>}
          {s.evidence && <code className={styles.evidenceText} title={s.evidence}>{s.evidence}</code>}
        </li>
      ))}
    </ul>
  );
}

const phaseColumns = <R extends { codingHours: number | null; pickupHours: number | null; reviewHours: number | null; mergeHours: number | null; cycleHours: number | null }>(
  cycleTitle: string,
): Column<R>[] => [
  { id: 'coding', label: 'Coding', title: 'First commit → PR opened', sort: 'codingHours', numeric: true, cell: (r) => hoursCell(r.codingHours) },
  { id: 'pickup', label: 'Pickup', title: 'PR ready → first human review', sort: 'pickupHours', numeric: true, cell: (r) => hoursCell(r.pickupHours) },
  { id: 'review', label: 'Review', title: 'First human review → approval', sort: 'reviewHours', numeric: true, cell: (r) => hoursCell(r.reviewHours) },
  { id: 'merge', label: 'Merge', title: 'Approval → merge', sort: 'mergeHours', numeric: true, cell: (r) => hoursCell(r.mergeHours) },
  { id: 'cycle', label: 'Cycle', title: cycleTitle, sort: 'cycleHours', numeric: true, cell: (r) => <strong>{formatHours(r.cycleHours)}</strong> },
];

function prColumns(d: Drilldown): Column<PullRequestRow>[] {
  const rows = d.rows as PullRequestRow[];
  const cols: Column<PullRequestRow>[] = [
    {
      id: 'pr', label: 'Pull request', sort: 'title',
      cell: (r) => <PullRequestCell title={r.title} url={r.url} repository={r.repository} number={r.number} note={r.isInferred ? 'from git history' : undefined} />,
    },
    { id: 'author', label: 'Author', sort: 'author', cell: (r) => dash(r.author) },
    { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
    { id: 'merged', label: 'Merged', sort: 'mergedAt', cell: (r, c) => <span className={styles.nowrap}>{formatInstant(r.mergedAt, c.timeZone)}</span> },
    ...phaseColumns<PullRequestRow>('First commit (or opening, if earlier) → merge'),
  ];
  if (d.value === 'reviews') cols.push({ id: 'reviews', label: 'Reviews', title: 'Human reviews before the merge', sort: 'reviews', numeric: true, cell: (r) => formatCount(r.reviews) });
  if (d.value === 'firstReviewToMergeHours') {
    cols.push({ id: 'firstReviewToMerge', label: 'Review → merge', title: 'First human review → merge', sort: 'firstReviewToMergeHours', numeric: true, cell: (r) => hoursCell(r.firstReviewToMergeHours) });
  }
  cols.push({
    id: 'size', label: 'Size', title: 'Lines added + deleted', sort: 'size', numeric: true,
    cell: (r) => (r.size === null ? <span className={styles.none}>–</span> : <span title={`+${r.additions} / −${r.deletions}`}>{formatCount(r.size)}</span>),
  });
  if (d.metric.startsWith('rework')) {
    cols.push({
      id: 'rework', label: 'Rework commits', title: 'Commits authored after the first human review, up to the merge', sort: 'reworkCommits', numeric: true,
      cell: (r) => (r.reworkCommits === null || r.reworkCommits === undefined ? <span className={styles.none}>no review</span> : formatCount(r.reworkCommits)),
    });
  }
  if (d.metric.startsWith('revert')) {
    cols.push({
      id: 'reverted', label: 'Reverted', title: 'Reverted within 14 days of the merge', sort: 'revertedAt',
      cell: (r, c) =>
        r.reverted ? (
          <div className={styles.titleCell}>
            <span className="badge error">reverted</span>
            <span className={styles.sub}>{formatInstant(r.revertedAt ?? null, c.timeZone)} by {r.revertedBy?.startsWith('#') ? `PR ${r.revertedBy}` : (r.revertedBy ?? '').slice(0, 7)}</span>
          </div>
        ) : (
          <span className={styles.none}>no</span>
        ),
    });
  }
  if (rows.length === 0 || rows.some((r) => r.firstRunPassed !== undefined)) {
    cols.push({
      id: 'ci', label: 'CI first run', title: 'First attempt of every workflow on the final head commit', sort: 'firstRunPassed',
      cell: (r) => (r.firstRunPassed === true ? <span className="badge ok">passed</span> : r.firstRunPassed === false ? <span className="badge error">failed</span> : <span className={styles.none}>no CI</span>),
    });
  }
  cols.push({ id: 'ai', label: 'AI evidence', title: 'AI pull request, and the signals found', sort: 'isAi', cell: (r) => <EvidenceCell evidence={r.aiEvidence} isAi={r.isAi} /> });
  return cols;
}

const ticketColumns: Column<TicketRow>[] = [
  { id: 'key', label: 'Ticket', sort: 'key', cell: (r) => <span className={styles.nowrap}><ExternalLink href={r.url}>{r.key}</ExternalLink></span> },
  { id: 'title', label: 'Title', sort: 'title', cell: (r) => <span className={styles.clamp}>{r.title}</span> },
  { id: 'status', label: 'Status', sort: 'status', cell: (r) => <span className={`badge${r.status === 'done' ? ' ok' : ''}`}>{r.status.replaceAll('_', ' ')}</span> },
  { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'waiting', label: 'Waiting', title: 'Ticket start → first commit of its last PR', sort: 'waitingHours', numeric: true, cell: (r) => hoursCell(r.waitingHours) },
  ...phaseColumns<TicketRow>('Ticket start → merge of its last pull request'),
  {
    id: 'lastPr', label: 'Last PR', sort: 'lastPrMergedAt',
    cell: (r, c) => (
      <div className={styles.titleCell}>
        <span className={styles.nowrap}><ExternalLink href={r.lastPrUrl}>{r.lastPrRepository}#{r.lastPrNumber}</ExternalLink></span>
        <span className={styles.sub}>merged {formatInstant(r.lastPrMergedAt, c.timeZone)}</span>
      </div>
    ),
  },
];

const commitColumns: Column<CommitRow>[] = [
  {
    id: 'sha', label: 'Commit', sort: 'sha',
    cell: (r) => <code className={styles.sha}><ExternalLink href={r.url ?? null} label={`Commit ${r.sha.slice(0, 7)}`}>{r.sha.slice(0, 7)}</ExternalLink></code>,
  },
  {
    id: 'message', label: 'Message', sort: 'message',
    cell: (r) => (
      <div className={styles.titleCell}>
        <span className={styles.clamp}>{r.message || '(no message)'}</span>
        <span className={styles.sub}>{r.repository}</span>
      </div>
    ),
  },
  { id: 'author', label: 'Author', sort: 'author', cell: (r) => dash(r.author) },
  { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'committed', label: 'Committed', sort: 'committedAt', cell: (r, c) => <span className={styles.nowrap}>{formatInstant(r.committedAt, c.timeZone)}</span> },
  { id: 'additions', label: 'Lines added', sort: 'additions', numeric: true, cell: (r) => formatCount(r.additions) },
  { id: 'aiAdditions', label: 'AI lines', title: 'Of the lines added, AI-attributed', sort: 'aiAdditions', numeric: true, cell: (r) => formatCount(r.aiAdditions) },
  { id: 'ai', label: 'AI evidence', sort: 'isAi', cell: (r) => <EvidenceCell evidence={r.aiEvidence} isAi={r.isAi} /> },
];

const headCommitColumns: Column<HeadCommitRow>[] = [
  { id: 'pr', label: 'Pull request', sort: 'title', cell: (r) => <PullRequestCell title={r.title} url={r.url} repository={r.repository} number={r.number} /> },
  { id: 'sha', label: 'Head commit', sort: 'sha', cell: (r) => shortSha(r.sha) },
  { id: 'author', label: 'Author', sort: 'author', cell: (r) => dash(r.author) },
  { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'firstRun', label: 'First run', title: 'Start of the earliest first attempt', sort: 'firstRunAt', cell: (r, c) => instantCell(r.firstRunAt, c) },
  {
    id: 'passed', label: 'Result', title: 'Whether the first attempt of every workflow passed', sort: 'passed',
    cell: (r) =>
      r.passed ? (
        <span className="badge ok">passed</span>
      ) : (
        <span className={styles.nowrap}>
          <ExternalLink href={r.runUrl} label="A failed run">
            <span className="badge error">failed</span>
          </ExternalLink>{' '}
          {r.failedWorkflows.join(', ')}
        </span>
      ),
  },
  { id: 'ai', label: 'AI PR', title: 'Its pull request is an AI pull request', sort: 'isAi', cell: (r) => aiCell(r.isAi) },
];

const engineerColumns: Column<EngineerRow>[] = [
  { id: 'person', label: 'Person', sort: 'person', cell: (r) => r.person },
  { id: 'team', label: 'Team', title: 'Team at the activity: someone active in two teams has a row for each', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'commits', label: 'Commits', sort: 'commits', numeric: true, cell: (r) => formatCount(r.commits) },
  { id: 'prsOpened', label: 'PRs opened', sort: 'prsOpened', numeric: true, cell: (r) => formatCount(r.prsOpened) },
  { id: 'prsMerged', label: 'PRs merged', sort: 'prsMerged', numeric: true, cell: (r) => formatCount(r.prsMerged) },
  { id: 'reviews', label: 'Reviews', sort: 'reviews', numeric: true, cell: (r) => formatCount(r.reviews) },
  { id: 'first', label: 'First active', sort: 'firstActiveAt', cell: (r, c) => instantCell(r.firstActiveAt, c) },
  { id: 'last', label: 'Last active', sort: 'lastActiveAt', cell: (r, c) => instantCell(r.lastActiveAt, c) },
];

const reviewColumns: Column<ReviewRow>[] = [
  { id: 'submitted', label: 'Submitted', sort: 'submittedAt', cell: (r, c) => instantCell(r.submittedAt, c) },
  { id: 'reviewer', label: 'Reviewer', sort: 'reviewer', cell: (r) => r.reviewer },
  { id: 'team', label: 'Team', title: "The reviewer's team at submission", sort: 'team', cell: (r) => dash(r.team) },
  { id: 'state', label: 'State', sort: 'state', cell: (r) => <span className={`badge${r.state === 'approved' ? ' ok' : ''}`}>{r.state.replaceAll('_', ' ')}</span> },
  {
    id: 'pr', label: 'Pull request', sort: 'title',
    cell: (r) => <PullRequestCell title={r.title} url={r.url} repository={r.repository} number={r.number} note={r.author ? `by ${r.author}` : undefined} />,
  },
  { id: 'ai', label: 'AI PR', title: 'The reviewed pull request is an AI pull request', sort: 'isAi', cell: (r) => aiCell(r.isAi) },
];

const deploymentColumns: Column<DeploymentRow>[] = [
  { id: 'deployed', label: 'Deployed', sort: 'deployedAt', cell: (r, c) => instantCell(r.deployedAt, c) },
  { id: 'repository', label: 'Repository', sort: 'repository', cell: (r) => r.repository },
  { id: 'environment', label: 'Environment', sort: 'environment', cell: (r) => (r.isRelease ? <span className="badge">release</span> : r.environment) },
  { id: 'sha', label: 'Commit', sort: 'sha', cell: (r) => shortSha(r.sha) },
  { id: 'team', label: 'Team', title: "The repository's default team", sort: 'team', cell: (r) => dash(r.team) },
  {
    id: 'failed', label: 'Incident after', title: 'Incidents that followed this deployment', sort: 'failed',
    cell: (r) => (r.failed ? <span><span className="badge error">failed</span> {r.incidents.join(', ')}</span> : <span className={styles.none}>none</span>),
  },
];

const deployedPrColumns: Column<DeployedPullRequestRow>[] = [
  { id: 'pr', label: 'Pull request', sort: 'title', cell: (r) => <PullRequestCell title={r.title} url={r.url} repository={r.repository} number={r.number} /> },
  { id: 'author', label: 'Author', sort: 'author', cell: (r) => dash(r.author) },
  { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'started', label: 'Started', title: 'First commit, or opening if earlier', sort: 'startedAt', cell: (r, c) => instantCell(r.startedAt, c) },
  { id: 'merged', label: 'Merged', sort: 'mergedAt', cell: (r, c) => instantCell(r.mergedAt, c) },
  {
    id: 'deployed', label: 'Deployed', title: 'The first production deployment including it', sort: 'deployedAt',
    cell: (r, c) => <span className={styles.nowrap}>{formatInstant(r.deployedAt, c.timeZone)} {shortSha(r.deploymentSha)}</span>,
  },
  { id: 'leadTime', label: 'Lead time', sort: 'leadTimeHours', numeric: true, cell: (r) => <strong>{hoursCell(r.leadTimeHours)}</strong> },
];

const incidentColumns: Column<IncidentRow>[] = [
  { id: 'key', label: 'Incident', sort: 'key', cell: (r) => <span className={styles.nowrap}><ExternalLink href={r.url}>{r.key}</ExternalLink></span> },
  { id: 'title', label: 'Title', sort: 'title', cell: (r) => <span className={styles.clamp}>{r.title}</span> },
  { id: 'team', label: 'Team', title: 'Team of the deployment it followed', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'created', label: 'Created', sort: 'createdAt', cell: (r, c) => instantCell(r.createdAt, c) },
  { id: 'done', label: 'Done', sort: 'doneAt', cell: (r, c) => instantCell(r.doneAt, c) },
  { id: 'restore', label: 'Restore', title: 'Created → done', sort: 'restoreHours', numeric: true, cell: (r) => <strong>{hoursCell(r.restoreHours)}</strong> },
  {
    id: 'deployment', label: 'Follows deployment', sort: 'deploymentAt',
    cell: (r, c) =>
      r.deploymentRepository ? (
        <div className={styles.titleCell}>
          <span>{r.deploymentRepository} {shortSha(r.deploymentSha)}</span>
          <span className={styles.sub}>{formatInstant(r.deploymentAt, c.timeZone)}</span>
        </div>
      ) : (
        <span className={styles.none}>none (org-wide only)</span>
      ),
  },
];

const usd = (v: number) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const aiUsageColumns: Column<AiUsageRow>[] = [
  { id: 'day', label: 'Day', sort: 'day', cell: (r) => <span className={styles.nowrap}>{new Date(`${r.day}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' })}</span> },
  { id: 'tool', label: 'Tool', sort: 'tool', cell: (r) => AI_TOOL_LABELS[r.tool as keyof typeof AI_TOOL_LABELS] ?? r.tool.replaceAll('_', ' ') },
  { id: 'model', label: 'Model', sort: 'model', cell: (r) => (r.model ? <code>{r.model}</code> : <span className={styles.none}>–</span>) },
  {
    id: 'person', label: 'Person', sort: 'person',
    cell: (r) => (
      <div className={styles.titleCell}>
        <span>{r.person ?? r.identityKey}</span>
        {r.personId === null && <span className={styles.sub}>{r.person ? 'bot: org-wide only' : 'not matched to a person'}</span>}
      </div>
    ),
  },
  { id: 'team', label: 'Team', sort: 'team', cell: (r) => dash(r.team) },
  { id: 'tokens', label: 'Tokens', title: 'Input + output + cache read + cache write', sort: 'tokens', numeric: true, cell: (r) => <span title={`in ${formatCount(r.tokensIn)}, out ${formatCount(r.tokensOut)}, cache read ${formatCount(r.tokensCacheRead)}, cache write ${formatCount(r.tokensCacheWrite)}`}>{formatCount(r.tokens)}</span> },
  { id: 'cost', label: 'Cost', sort: 'costUsd', numeric: true, cell: (r) => usd(r.costUsd) },
  { id: 'suggested', label: 'Lines suggested', sort: 'linesSuggested', numeric: true, cell: (r) => formatCount(r.linesSuggested) },
  { id: 'accepted', label: 'Lines accepted', sort: 'linesAccepted', numeric: true, cell: (r) => formatCount(r.linesAccepted) },
];

const TOKEN_COLUMNS: Record<string, Column<AiUsageRow>> = {
  tokensIn: { id: 'tokensIn', label: 'Input tokens', sort: 'tokensIn', numeric: true, cell: (r) => formatCount(r.tokensIn) },
  tokensOut: { id: 'tokensOut', label: 'Output tokens', sort: 'tokensOut', numeric: true, cell: (r) => formatCount(r.tokensOut) },
  tokensCacheRead: { id: 'tokensCacheRead', label: 'Cache-read tokens', sort: 'tokensCacheRead', numeric: true, cell: (r) => formatCount(r.tokensCacheRead) },
  tokensCacheWrite: { id: 'tokensCacheWrite', label: 'Cache-write tokens', sort: 'tokensCacheWrite', numeric: true, cell: (r) => formatCount(r.tokensCacheWrite) },
};

/**
 * The columns for an answer's kind of rows (the figure's own value always among them); no Team
 * column for one team's rows, which are all of that team.
 */
export function columnsFor(d: Drilldown): Column<never>[] {
  const columns = kindColumns(d);
  return d.team === null ? columns : columns.filter((c) => c.id !== 'team');
}

function kindColumns(d: Drilldown): Column<never>[] {
  switch (d.kind) {
    case 'pull_requests': return prColumns(d) as Column<never>[];
    case 'tickets': return ticketColumns as Column<never>[];
    case 'commits': return commitColumns as Column<never>[];
    case 'head_commits': return headCommitColumns as Column<never>[];
    case 'engineers': return engineerColumns as Column<never>[];
    case 'reviews': return reviewColumns as Column<never>[];
    case 'deployments': return deploymentColumns as Column<never>[];
    case 'deployed_pull_requests': return deployedPrColumns as Column<never>[];
    case 'incidents': return incidentColumns as Column<never>[];
    case 'ai_usage': {
      const extra = d.value ? TOKEN_COLUMNS[d.value] : undefined;
      if (!extra) return aiUsageColumns as Column<never>[];
      const at = aiUsageColumns.findIndex((c) => c.id === 'tokens') + 1;
      return [...aiUsageColumns.slice(0, at), extra, ...aiUsageColumns.slice(at)] as Column<never>[];
    }
  }
}

/** Header labels only, for the loading skeleton of a kind (same columns, so no shift when rows arrive). */
export function skeletonColumns(kind: Drilldown['kind'], metric: DrilldownMetricName, team: string | null): string[] {
  const stub = { kind, metric, team, rows: [], value: null } as unknown as Drilldown;
  return columnsFor(stub).map((c) => c.label);
}
