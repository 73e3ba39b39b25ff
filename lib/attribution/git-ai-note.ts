import type { AiTool } from '../db/generated/enums.ts';
import { AI_TOOLS } from './catalogue.ts';

// Reads a git-ai authorship log (Git AI Standard v3, one git note per commit under refs/notes/ai):
// an attestation section (a file path, then "  <prompt hash> <ranges>" lines naming the lines AI
// wrote), a line "---", then JSON metadata whose `prompts` name each prompt's agent and model.

export interface GitAiAgent {
  /** Catalogue name ("Cursor"), or the note's own tool string when the catalogue lacks it. */
  name: string;
  aiTool: AiTool;
  /** As the note spells them, e.g. "cursor", "claude-4.5-opus". */
  tool: string;
  model: string | null;
  aiLines: number;
}

export interface GitAiNote {
  /** Distinct AI-attributed lines over all files: overlapping ranges of two prompts count once. */
  aiLines: number;
  files: { path: string; aiLines: number }[];
  /** Agents with the lines their prompts attest, most lines first. */
  agents: GitAiAgent[];
}

type Range = [first: number, last: number];

const ENTRY = /^ {2}([0-9A-Za-z]{16}|[0-9A-Za-z]{7}) (\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$/;

function parsePath(line: string): string {
  if (!line.startsWith('"') || !line.endsWith('"') || line.length < 2) return line;
  return line.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

function parseRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const part of text.split(',')) {
    const [a, b = a] = part.split('-').map(Number) as [number, number?];
    if (a >= 1 && b! >= a) ranges.push([a, b!]); // 1-indexed and ascending, else not a range
  }
  return ranges;
}

/** Lines covered by the union of `ranges`. */
function countDistinct(ranges: Range[]): number {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  let count = 0;
  let end = 0; // last line counted so far
  for (const [first, last] of sorted) {
    if (last <= end) continue;
    count += last - Math.max(first, end + 1) + 1;
    end = last;
  }
  return count;
}

function parseMetadata(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function catalogueTool(tool: string): Pick<GitAiAgent, 'name' | 'aiTool'> {
  const lower = tool.toLowerCase();
  const known = AI_TOOLS.find((t) => t.keywords.some((k) => lower.includes(k)));
  return known ? { name: known.name, aiTool: known.tool } : { name: tool, aiTool: 'other' };
}

function promptAgents(metadata: unknown): Map<string, { tool: string; model: string | null }> {
  const agents = new Map<string, { tool: string; model: string | null }>();
  const prompts = (metadata as { prompts?: unknown } | undefined)?.prompts;
  if (!prompts || typeof prompts !== 'object') return agents;
  for (const [hash, prompt] of Object.entries(prompts)) {
    const agent = (prompt as { agent_id?: { tool?: unknown; model?: unknown } } | null)?.agent_id;
    if (typeof agent?.tool === 'string' && agent.tool) agents.set(hash, { tool: agent.tool, model: typeof agent.model === 'string' && agent.model ? agent.model : null });
  }
  return agents;
}

/**
 * The AI-attributed lines a git-ai note attests, per file and per agent; null when the note is not
 * a git-ai log (other tools write notes too). Metadata that is not JSON still leaves the attested
 * lines (without agents); attestation lines that do not parse are skipped.
 */
export function parseGitAiNote(text: string): GitAiNote | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const divider = lines.indexOf('---');
  if (divider === -1) return null;
  const metadata = parseMetadata(lines.slice(divider + 1).join('\n'));
  const schema = (metadata as { schema_version?: unknown } | undefined)?.schema_version;
  const isAuthorshipLog = typeof schema === 'string' && schema.startsWith('authorship/');
  if (metadata !== undefined && !isAuthorshipLog) return null;

  const prompts = promptAgents(metadata);
  const byFile = new Map<string, Range[]>();
  const byAgent = new Map<string, { agent: { tool: string; model: string | null }; ranges: Map<string, Range[]> }>();
  let file: string | null = null;
  let entries = 0;
  for (const line of lines.slice(0, divider)) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      file = parsePath(line);
      continue;
    }
    const entry = line.match(ENTRY);
    if (!entry || file === null) continue;
    const ranges = parseRanges(entry[2]!);
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file)!.push(...ranges);
    entries++;
    const agent = prompts.get(entry[1]!);
    if (!agent) continue;
    const id = `${agent.tool}\n${agent.model ?? ''}`;
    if (!byAgent.has(id)) byAgent.set(id, { agent, ranges: new Map() });
    const agentFiles = byAgent.get(id)!.ranges;
    agentFiles.set(file, [...(agentFiles.get(file) ?? []), ...ranges]);
  }
  // Without readable metadata, only attestation lines show this is a git-ai log.
  if (!isAuthorshipLog && entries === 0) return null;

  const files = [...byFile].map(([path, ranges]) => ({ path, aiLines: countDistinct(ranges) })).filter((f) => f.aiLines > 0);
  const agents = [...byAgent.values()].map(({ agent, ranges }): GitAiAgent => ({
    ...catalogueTool(agent.tool), ...agent, aiLines: [...ranges.values()].reduce((n, r) => n + countDistinct(r), 0),
  }));
  return {
    aiLines: files.reduce((n, f) => n + f.aiLines, 0),
    files,
    agents: agents.sort((a, b) => b.aiLines - a.aiLines),
  };
}
