import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { randomSlug } from '../../test/factories.ts';
import { idpMetadata, makeIdpKey } from '../../test/saml-idp.ts';

// The `throughline` command as a user runs it, against this test file's database.
const BIN = path.join(import.meta.dirname, '../../bin/throughline.js');


async function cli(...args: string[]) {
  return cliWithEnv({}, ...args);
}

async function cliWithEnv(extraEnv: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, ...extraEnv } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('throughline CLI', () => {
  test('--help lists the commands', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['db', 'seed', 'org', 'webhook', 'token', 'replay', 'events', 'worker', 'serve']) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  test('db migrate on a migrated database says it is up to date', async () => {
    expect(await cli('db', 'migrate')).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
  });

  test('org create, then token create / list / revoke', async () => {
    const slug = randomSlug('cli');
    expect((await cli('org', 'create', slug, '--name', 'CLI org')).stdout).toContain(`created org '${slug}'`);

    const created = await cli('token', 'create', '--org', slug, '--name', 'GitHub Actions', '--scope', 'ingest:write,metrics:read');
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    const id = created.stdout.match(/^token (\S+)/)![1]!;

    const listed = await cli('token', 'list', '--org', slug);
    expect(listed.stdout).toContain(`${id}\t${token.slice(0, 10)}…\tGitHub Actions\tingest:write,metrics:read\tactive`);
    expect(listed.stdout).not.toContain(token);

    expect((await cli('token', 'revoke', id, '--org', slug)).stdout).toBe(`revoked ${id}\n`);
    expect((await cli('token', 'list', '--org', slug)).stdout).toContain('\trevoked\t');
  });

  test('events lists failed events (none yet), replay rebuilds an empty log', async () => {
    const slug = randomSlug('cli');
    await cli('org', 'create', slug, '--name', 'Events');
    expect(await cli('events', '--org', slug)).toMatchObject({ code: 0, stdout: 'no failed events\n' });
    expect(await cli('replay', '--org', slug)).toMatchObject({ code: 0, stdout: `replayed 0 events of '${slug}'\n` });
    expect((await cli('events', '--org', slug, '--status', 'lost')).stderr).toContain('error: Invalid option');
  });

  test('webhook secret prints the URL and a secret, the same one until rotated', async () => {
    const slug = randomSlug('cli');
    await cli('org', 'create', slug, '--name', 'Hooks');
    const env = { PUBLIC_URL: 'https://tl.example.com' };
    const first = await cliWithEnv(env, 'webhook', 'secret', '--org', slug, '--source', 'github');
    expect(first.stdout).toMatch(new RegExp(`^URL: {4}https://tl\\.example\\.com/api/orgs/${slug}/webhooks/github\nSecret: [0-9a-f]{64}\n$`));
    expect((await cliWithEnv(env, 'webhook', 'secret', '--org', slug, '--source', 'github')).stdout).toBe(first.stdout);
    expect((await cliWithEnv(env, 'webhook', 'secret', '--org', slug, '--source', 'github', '--rotate')).stdout).not.toBe(first.stdout);
  });

  test('org add-saml reads the IdP metadata file and prints the ACS URL and entity id to register', async () => {
    const slug = randomSlug('cli');
    await cli('org', 'create', slug, '--name', 'SAML');
    const dir = await mkdtemp(path.join(tmpdir(), 'tl-saml-'));
    const file = path.join(dir, 'idp.xml');
    await writeFile(file, idpMetadata((await makeIdpKey('CLI IdP')).cert));
    const env = { PUBLIC_URL: 'https://tl.example.com' };
    const { code, stdout } = await cliWithEnv(env, 'org', 'add-saml', slug, '--metadata', file, '--domains', 'acme.com,acme.io');
    const sp = `https://tl.example.com/api/orgs/${slug}/saml`;
    expect({ code, stdout }).toEqual({ code: 0, stdout: `SAML sign-in set for '${slug}'; register at the IdP:\nACS URL:   ${sp}/acs\nEntity ID: ${sp}/metadata (also the SP metadata URL)\n` });

    await writeFile(file, idpMetadata(null));
    const bad = await cliWithEnv(env, 'org', 'add-saml', slug, '--metadata', file, '--domains', 'acme.com');
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 1, stderr: 'error: metadataXml: IdP metadata has no signing certificate (KeyDescriptor use="signing" with an X509Certificate)\n' });
    await rm(dir, { recursive: true });
  });

  test.each([
    [['org', 'create', 'api', '--name', 'x'], 'error: slug: is reserved'],
    [['org', 'create', 'Bad Slug', '--name', 'x'], 'error: slug: must be 1-48 lower-case letters'],
    [['token', 'create', '--org', 'no-such-org', '--name', 'x'], "error: Organization 'no-such-org' not found"],
    [['token', 'create', '--org', 'x', '--name', 'x', '--scope', 'root'], 'unknown scope root'],
  ])('%j fails with a clear message', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });
});
