import type { Prisma } from '../db/generated/client.ts';

// GitHub's no-reply commit addresses carry the account id: 12345+login@users.noreply.github.com.
const GITHUB_NOREPLY = /^(\d+)\+[^@]+@users\.noreply\.github\.com$/;

/**
 * The person behind a commit email, created on first sight. A GitHub no-reply address names its
 * account, so it joins the person of that GitHub identity when one is known; other addresses stay
 * apart until an admin merges them (`throughline people merge`).
 */
export async function upsertGitEmailPerson(tx: Prisma.TransactionClient, orgId: string, actor: { name: string; email: string }) {
  const email = actor.email.toLowerCase();
  const key = { orgId_provider_externalId: { orgId, provider: 'git_email' as const, externalId: email } };
  const identity = await tx.identity.findUnique({ where: key });
  if (identity) return identity.personId;
  const githubId = email.match(GITHUB_NOREPLY)?.[1];
  const github = githubId ? await tx.identity.findUnique({ where: { orgId_provider_externalId: { orgId, provider: 'github', externalId: githubId } } }) : null;
  const personId =
    github?.personId ??
    (await tx.person.create({ data: { orgId, displayName: actor.name, email, isBot: /\[bot\]/.test(actor.name) || /\[bot\]@/.test(email) } })).id;
  await tx.identity.create({ data: { orgId, personId, provider: 'git_email', externalId: email, email } });
  return personId;
}
