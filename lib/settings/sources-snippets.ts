import type { SourceDefinition } from './sources.ts';

// Ready-to-paste setup for token-based sources and command-line imports. A token made on the page
// is filled in where the text stays on the admin's machine (an env file); CI files always read
// it from a CI secret, never from the file itself.

export interface Snippet {
  title: string;
  /** What it is and where it goes. */
  note: string;
  text: string;
}

/** Stands for the token until one is made on the page. */
export const TOKEN_PLACEHOLDER = '<ingest token>';

function ciSnippets(url: string): Snippet[] {
  const junitUrl = `${url}/$RUN_ID/junit?attempt=1`;
  return [
    {
      title: 'GitHub Actions step',
      note: 'At the end of a job that writes junit.xml, with the token kept as the repository secret THROUGHLINE_TOKEN. provider github_actions joins the run the GitHub webhook reports.',
      text: `- name: Send test results to Throughline
  if: always()
  env:
    THROUGHLINE_URL: ${url}
    THROUGHLINE_TOKEN: \${{ secrets.THROUGHLINE_TOKEN }}
  run: |
    jq -n --rawfile junit junit.xml \\
      --arg repo "$GITHUB_REPOSITORY" --arg sha "\${{ github.event.pull_request.head.sha || github.sha }}" \\
      --arg run "$GITHUB_RUN_ID" --argjson attempt "$GITHUB_RUN_ATTEMPT" --arg workflow "$GITHUB_WORKFLOW" \\
      --arg conclusion "\${{ job.status }}" \\
      --arg pr "\${{ github.event.pull_request.number }}" \\
      '{provider: "github_actions", repository: $repo, commitSha: $sha, runId: $run, attempt: $attempt,
        workflow: $workflow, status: "completed", conclusion: $conclusion, junit: $junit}
       + (if $pr == "" then {} else {pullRequestNumber: ($pr | tonumber)} end)' |
    curl -fsS -X POST "$THROUGHLINE_URL" -H "Authorization: Bearer $THROUGHLINE_TOKEN" \\
      -H 'Content-Type: application/json' --data-binary @-`,
    },
    {
      title: 'Any CI: a run report',
      note: 'From any CI job, with the token in the variable THROUGHLINE_TOKEN. Put in your repository, the commit tested, the run id and its outcome.',
      text: `curl -fsS -X POST "${url}" \\
  -H "Authorization: Bearer $THROUGHLINE_TOKEN" -H 'Content-Type: application/json' \\
  --data '{"repository": "acme/app", "commitSha": "4f2a9c1", "runId": "1234", "workflow": "ci", "status": "completed", "conclusion": "success"}'`,
    },
    {
      title: 'Any CI: a JUnit report for that run',
      note: 'The same run id and attempt as the run report.',
      text: `curl -fsS -X POST "${junitUrl}" \\
  -H "Authorization: Bearer $THROUGHLINE_TOKEN" -H 'Content-Type: application/xml' --data-binary @junit.xml`,
    },
  ];
}

function otlpSnippets(url: string, token: string): Snippet[] {
  const env: [string, string][] = [
    ['CLAUDE_CODE_ENABLE_TELEMETRY', '1'],
    ['OTEL_METRICS_EXPORTER', 'otlp'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'],
    ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', url],
    ['OTEL_EXPORTER_OTLP_HEADERS', `Authorization=Bearer ${token}`],
  ];
  return [
    {
      title: 'Shell profile',
      note: "In each engineer's shell profile (~/.zshrc, ~/.bashrc), then start a new Claude Code session.",
      text: env.map(([k, v]) => `export ${k}="${v}"`).join('\n'),
    },
    {
      title: 'Claude Code settings.json',
      note: 'Or the env block of ~/.claude/settings.json, or of the managed settings file you roll out to everyone.',
      text: JSON.stringify({ env: Object.fromEntries(env) }, null, 2),
    },
  ];
}

function aiUsageSnippets(url: string): Snippet[] {
  return [
    {
      title: 'A usage report',
      note: 'From a script or a scheduled job, with the token in the variable THROUGHLINE_TOKEN: a record per person, day and tool (all fields in docs/ai-usage.md). CSV works too, as text/csv.',
      text: `curl -fsS -X POST "${url}" \\
  -H "Authorization: Bearer $THROUGHLINE_TOKEN" -H 'Content-Type: application/json' \\
  --data '{"records": [{"email": "ada@example.com", "day": "2026-03-02", "tool": "claude_code", "tokensIn": 12000, "tokensOut": 3400, "costUsd": 1.25, "sessions": 3}]}'`,
    },
  ];
}

/** The snippets of a token-based source sending to `url`; `token` when one was just made. */
export function tokenSourceSnippets(source: SourceDefinition, url: string, token: string | null): Snippet[] {
  switch (source.id) {
    case 'ci':
      return ciSnippets(url);
    case 'otlp':
      return otlpSnippets(url, token ?? TOKEN_PLACEHOLDER);
    case 'ai_usage':
      return aiUsageSnippets(url);
    default:
      return [];
  }
}

/** `throughline import <source> <file>` for the org, run where Throughline's database is reachable. */
export function cliImportSnippet(source: SourceDefinition, orgSlug: string): Snippet | null {
  if (!source.cliImport) return null;
  return {
    title: 'Import command',
    note: `Where Throughline runs (it needs the database), with the file as the API answered it.${source.id === 'copilot' ? ' --team <slug> marks a team’s metrics file.' : ''}`,
    text: `npx throughline import ${source.cliImport} ${source.cliFile ?? 'export.json'} --org ${orgSlug}`,
  };
}
