import type { z } from 'zod';
import type { Prisma, Repository } from '../../db/generated/client.ts';
import { holdsAll } from '../same-row.ts';
import type { githubRepositorySchema, githubUserSchema } from './payload-schemas.ts';

type Tx = Prisma.TransactionClient;

/**
 * The org's repository for a GitHub repository payload, created on first sight. Almost every event
 * names a repository already stored as it is: then it is only read, since writing the row would
 * lock it and make every concurrent event of that repository wait for the others to commit.
 */
export async function upsertGithubRepository(tx: Tx, orgId: string, repo: z.infer<typeof githubRepositorySchema>) {
  const key = { orgId_provider_owner_name: { orgId, provider: 'github' as const, owner: repo.owner.login, name: repo.name } };
  const data = { externalId: String(repo.id), url: repo.html_url, ...(repo.default_branch ? { defaultBranch: repo.default_branch } : {}) };
  // Read with raw SQL: it runs for nearly every event, and the ORM's read costs twice the CPU.
  const [stored] = await tx.$queryRaw<Repository[]>`
    SELECT * FROM "Repository" WHERE "orgId" = ${orgId}::uuid AND provider = 'github' AND owner = ${repo.owner.login} AND name = ${repo.name}`;
  if (stored && holdsAll(stored, data)) return stored;
  return tx.repository.upsert({ where: key, create: { orgId, provider: 'github', owner: repo.owner.login, name: repo.name, ...data }, update: data });
}

/** GitHub accounts that are bots: Bot-type accounts and `…[bot]` logins. */
export function isGithubBot(user: z.infer<typeof githubUserSchema>): boolean {
  return user.type === 'Bot' || user.login.endsWith('[bot]');
}

/** The person behind a GitHub account (by its stable numeric id), created on first sight. */
export async function upsertGithubPerson(tx: Tx, orgId: string, user: z.infer<typeof githubUserSchema>) {
  const key = { orgId_provider_externalId: { orgId, provider: 'github' as const, externalId: String(user.id) } };
  const [identity] = await tx.$queryRaw<{ personId: string; login: string | null }[]>`
    SELECT "personId", login FROM "Identity" WHERE "orgId" = ${orgId}::uuid AND provider = 'github' AND "externalId" = ${String(user.id)}`;
  if (identity) {
    if (identity.login !== user.login) await tx.identity.update({ where: key, data: { login: user.login } });
    return identity.personId;
  }
  // Commits may have come first under this account's no-reply address: same person.
  const noreply = await tx.identity.findFirst({ where: { orgId, provider: 'git_email', externalId: { startsWith: `${user.id}+`, endsWith: '@users.noreply.github.com' } } });
  const personId = noreply?.personId ?? (await tx.person.create({ data: { orgId, displayName: user.login, isBot: isGithubBot(user) } })).id;
  await tx.identity.create({ data: { orgId, personId, provider: 'github', externalId: String(user.id), login: user.login } });
  return personId;
}

