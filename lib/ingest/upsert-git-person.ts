import type { Prisma } from '../db/generated/client.ts';

/** The person behind a commit email, created on first sight; an admin can merge identities later. */
export async function upsertGitEmailPerson(tx: Prisma.TransactionClient, orgId: string, actor: { name: string; email: string }) {
  const email = actor.email.toLowerCase();
  const key = { orgId_provider_externalId: { orgId, provider: 'git_email' as const, externalId: email } };
  const identity = await tx.identity.findUnique({ where: key });
  if (identity) return identity.personId;
  const person = await tx.person.create({ data: { orgId, displayName: actor.name, email, isBot: /\[bot\]/.test(actor.name) || /\[bot\]@/.test(email) } });
  await tx.identity.create({ data: { orgId, personId: person.id, provider: 'git_email', externalId: email, email } });
  return person.id;
}
