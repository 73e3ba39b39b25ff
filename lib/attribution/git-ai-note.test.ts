import { describe, expect, test } from 'vitest';
import { parseGitAiNote } from './git-ai-note.ts';

const metadata = (prompts: Record<string, { tool: string; model?: string }>) =>
  JSON.stringify({
    schema_version: 'authorship/3.0.0', git_ai_version: '1.0.23', base_commit_sha: '7734793b',
    prompts: Object.fromEntries(Object.entries(prompts).map(([hash, agent]) => [hash, { agent_id: { id: 'session', ...agent }, human_author: 'Dev <dev@example.com>', messages: [] }])),
  });

describe('parseGitAiNote', () => {
  test('counts the lines of each file and names the agents, most lines first', () => {
    const note = [
      'src/main.rs',
      '  abcd1234abcd1234 1-10,15-20',
      '  efgh5678efgh5678 25,30-35',
      'src/lib.rs',
      '  abcd1234abcd1234 1-50',
      '---',
      metadata({ abcd1234abcd1234: { tool: 'cursor', model: 'claude-4.5-opus' }, efgh5678efgh5678: { tool: 'claude-code', model: 'claude-sonnet-4' } }),
    ].join('\n');
    expect(parseGitAiNote(note)).toEqual({
      aiLines: 73,
      files: [{ path: 'src/main.rs', aiLines: 23 }, { path: 'src/lib.rs', aiLines: 50 }],
      agents: [
        { name: 'Cursor', aiTool: 'cursor', tool: 'cursor', model: 'claude-4.5-opus', aiLines: 66 },
        { name: 'Claude Code', aiTool: 'claude_code', tool: 'claude-code', model: 'claude-sonnet-4', aiLines: 7 },
      ],
    });
  });

  test('a line two prompts attest counts once', () => {
    const note = ['a.ts', '  1111111111111111 1-10', '  2222222222222222 5-12,12', '---', metadata({ '1111111111111111': { tool: 'copilot' }, '2222222222222222': { tool: 'copilot' } })].join('\n');
    expect(parseGitAiNote(note)).toMatchObject({ aiLines: 12, files: [{ path: 'a.ts', aiLines: 12 }], agents: [{ name: 'GitHub Copilot', aiTool: 'copilot', model: null, aiLines: 12 }] });
  });

  test('a quoted path keeps its spaces; a legacy 7-character hash is read', () => {
    const note = ['"docs/read me.md"', '  abc1234 3-4', '---', metadata({ abc1234: { tool: 'codex', model: 'gpt-5' } })].join('\n');
    expect(parseGitAiNote(note)).toMatchObject({ aiLines: 2, files: [{ path: 'docs/read me.md', aiLines: 2 }], agents: [{ name: 'OpenAI Codex', aiTool: 'openai' }] });
  });

  test.each([
    ['github-copilot', 'GitHub Copilot', 'copilot'],
    ['claude', 'Claude Code', 'claude_code'],
    ['gemini', 'Gemini / Jules', 'other'],
    ['opencode', 'opencode', 'other'],
    ['windsurf', 'windsurf', 'other'],
    ['amp', 'amp', 'other'],
  ])('tool %s is %s (%s)', (tool, name, aiTool) => {
    const note = ['a.ts', '  1111111111111111 1', '---', metadata({ '1111111111111111': { tool } })].join('\n');
    expect(parseGitAiNote(note)?.agents).toEqual([{ name, aiTool, tool, model: null, aiLines: 1 }]);
  });

  test('a note with no AI lines is a git-ai log of 0 lines', () => {
    expect(parseGitAiNote(`---\n${metadata({})}`)).toEqual({ aiLines: 0, files: [], agents: [] });
  });

  test.each([
    ['free text', 'Reviewed-by: Ann\nLooks good'],
    ['another schema', 'a.ts\n  1111111111111111 1-3\n---\n{"schema_version":"review/1.0"}'],
    ['no attestation and no JSON', 'some text\n---\nmore text'],
    ['empty', ''],
  ])('a note that is not a git-ai log (%s) is null', (_, note) => {
    expect(parseGitAiNote(note)).toBeNull();
  });

  test('malformed JSON still counts the attested lines, without agents', () => {
    expect(parseGitAiNote('a.ts\n  1111111111111111 1-3,7\n---\n{"schema_version":"authorship/3.0.0", "prompts": {')).toEqual({
      aiLines: 4, files: [{ path: 'a.ts', aiLines: 4 }], agents: [],
    });
  });

  test('malformed attestation lines are skipped; CRLF line ends are read', () => {
    const note = [
      'a.ts',
      '  1111111111111111 1-3',
      '  1111111111111111 x-4', // not ranges
      '   1111111111111111 9', // three spaces
      '  1111111111111111 5-2', // descending
      '  1111111111111111 0', // lines count from 1
      '  not-a-hash 8',
      '---',
      metadata({ '1111111111111111': { tool: 'cursor' } }),
    ].join('\r\n');
    expect(parseGitAiNote(note)).toMatchObject({ aiLines: 3, files: [{ path: 'a.ts', aiLines: 3 }] });
  });

  test('entry lines before any file path are skipped', () => {
    expect(parseGitAiNote(`  1111111111111111 1-3\nb.ts\n  1111111111111111 2\n---\n${metadata({})}`)).toMatchObject({ aiLines: 1, files: [{ path: 'b.ts', aiLines: 1 }] });
  });
});
