import type { PersonSummary } from '@/lib/orgs/people-schemas.ts';

const PROVIDER_LABELS: Record<PersonSummary['identities'][number]['provider'], string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  jira: 'Jira',
  linear: 'Linear',
  git_email: 'commit email',
  claude_code: 'Claude Code',
  cursor: 'Cursor',
  copilot: 'Copilot',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
};

/** A person's tool accounts, each as "GitHub ann" / "commit email ann@acme.com". */
export function IdentityList({ identities }: { identities: PersonSummary['identities'] }) {
  if (identities.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="identities">
      {identities.map((i) => (
        <li key={i.id}>
          <span className="muted">{PROVIDER_LABELS[i.provider]}</span> <code>{i.login ?? i.email ?? i.externalId}</code>
        </li>
      ))}
    </ul>
  );
}
