'use client';

import { useState } from 'react';
import { AI_TOOL_LABELS, MAX_PATTERN_LENGTH, RULE_KIND_LABELS, type AttributionRuleSummary, type CreateRule } from '@/lib/attribution/rule-schemas.ts';
import { useSettingsMutation } from './useSettingsMutation.ts';

const KINDS = Object.keys(RULE_KIND_LABELS) as CreateRule['kind'][];
const TOOLS = Object.keys(AI_TOOL_LABELS) as CreateRule['tool'][];

export function AttributionRulesPanel({ org, rules, countWeak }: { org: string; rules: AttributionRuleSummary[]; countWeak: boolean }) {
  const setWeak = useSettingsMutation(org);
  // Shown at once; put back if the server refuses.
  const [weakChecked, setWeakChecked] = useState(countWeak);
  const create = useSettingsMutation<{ rule: AttributionRuleSummary }>(org);
  const remove = useSettingsMutation(org);
  const toggle = useSettingsMutation(org);
  const [kind, setKind] = useState<CreateRule['kind']>('commit_trailer');
  const [pattern, setPattern] = useState('');
  const [tool, setTool] = useState<CreateRule['tool']>('other');
  return (
    <section className="card" aria-labelledby="attribution-rules">
      <h2 id="attribution-rules">AI attribution rules</h2>
      <p className="muted">
        Besides the AI tools Throughline recognises by itself (co-author trailers, agent accounts, markers), a commit or pull request a rule matches is
        counted as AI-written, attributed to the rule&apos;s tool. Patterns are case-insensitive regular expressions (JavaScript syntax), matched line by
        line. Rules apply to what is ingested after they are saved; <code>throughline replay --org {org}</code> applies them to earlier history.
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={weakChecked}
          disabled={setWeak.isPending}
          onChange={(e) => {
            const next = e.target.checked;
            setWeakChecked(next);
            setWeak.mutate({ path: 'attribution-rules', method: 'PATCH', body: { countWeakAiSignals: next } }, { onError: () => setWeakChecked(!next) });
          }}
        />
        <span>
          Count free-text mentions (&ldquo;written with Copilot&rdquo;, &ldquo;claude code helped here&rdquo;) as AI. They are always shown as weak evidence;
          by default they are not counted. Applies to what is ingested from now on; <code>throughline replay</code> applies it to earlier history.
        </span>
      </label>
      {setWeak.error && <p className="banner error" role="alert">{setWeak.error.message}</p>}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ path: 'attribution-rules', method: 'POST', body: { kind, pattern, tool } }, { onSuccess: () => setPattern('') });
        }}
      >
        <select aria-label="Rule matches" value={kind} onChange={(e) => setKind(e.target.value as CreateRule['kind'])}>
          {KINDS.map((k) => <option key={k} value={k}>{RULE_KIND_LABELS[k].label}</option>)}
        </select>
        <input aria-label="Pattern" placeholder="Pattern, e.g. ^AI-Agent:" value={pattern} maxLength={MAX_PATTERN_LENGTH * 2} onChange={(e) => setPattern(e.target.value)} required />
        <select aria-label="AI tool" value={tool} onChange={(e) => setTool(e.target.value as CreateRule['tool'])}>
          {TOOLS.map((t) => <option key={t} value={t}>{AI_TOOL_LABELS[t]}</option>)}
        </select>
        <button className="button" type="submit" disabled={create.isPending}>Add rule</button>
      </form>
      <p className="muted">Matched against {RULE_KIND_LABELS[kind].matches}.</p>
      {create.error && <p className="banner error" role="alert">{create.error.message}</p>}
      {remove.error && <p className="banner error" role="alert">{remove.error.message}</p>}
      {toggle.error && <p className="banner error" role="alert">{toggle.error.message}</p>}
      <table className="list">
        <thead><tr><th>Matches</th><th>Pattern</th><th>AI tool</th><th>Added</th><th /></tr></thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <td>{RULE_KIND_LABELS[r.kind].label}{!r.enabled && <span className="tag">disabled</span>}</td>
              <td><code className="pattern">{r.pattern}</code></td>
              <td>{AI_TOOL_LABELS[r.tool]}</td>
              <td className="nowrap">{r.createdAt.slice(0, 10)}</td>
              <td>
                <button type="button" className="small" disabled={toggle.isPending} onClick={() => toggle.mutate({ path: `attribution-rules/${encodeURIComponent(r.id)}`, method: 'PATCH', body: { enabled: !r.enabled } })} aria-label={`${r.enabled ? 'Disable' : 'Enable'} rule ${r.pattern}`}>{r.enabled ? 'Disable' : 'Enable'}</button>{' '}
                <button type="button" className="small" disabled={remove.isPending} onClick={() => remove.mutate({ path: `attribution-rules/${encodeURIComponent(r.id)}`, method: 'DELETE' })} aria-label={`Delete rule ${r.pattern}`}>Delete</button>
              </td>
            </tr>
          ))}
          {rules.length === 0 && <tr><td colSpan={5} className="muted">No rules yet: only the built-in signals count.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
