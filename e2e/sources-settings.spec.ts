import { sign } from '@octokit/webhooks-methods';
import { expect, test } from './fixtures.ts';
import { screenshot } from './screenshot.ts';

// An admin opens the data sources, connects GitHub (URL, a new secret shown once), and sees a
// delivery GitHub sent that could not be processed, with its error, and retries it.
const LABELS = ['GitHub', 'GitLab', 'Jira', 'Linear', 'CI runs and JUnit', 'Claude Code (OpenTelemetry)', 'AI usage (any tool)', 'GitHub Copilot', 'Cursor', 'Anthropic', 'OpenAI API'];

test('an admin rotates the GitHub secret, sees a failed delivery with its error, and retries it', async ({ page, request, baseURL }) => {
  // Runs after the settings specs change metric options: the rollups rebuild and pages wait meanwhile.
  test.slow();
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Robotics (demo)', level: 1 })).toBeVisible({ timeout: 30_000 });
  // The header links to the page; it is opened by URL, since a client navigation can sit behind the
  // rollup rebuild the settings specs set off (the page itself then still has to answer).
  await expect(page.getByRole('link', { name: 'Data sources' })).toHaveAttribute('href', '/demo/settings/sources');
  await page.goto('/demo/settings/sources');
  await expect(page.getByRole('heading', { name: 'Data sources', level: 1 })).toBeVisible();
  for (const label of LABELS) await expect(page.getByRole('link', { name: label, exact: true })).toBeVisible();
  await expect(page.getByTestId('source-cursor')).toContainText('Not imported yet');
  // The e2e server sets no retention: payloads are kept, and none were dropped.
  await expect(page.getByRole('region', { name: 'Raw log' })).toContainText('Raw payloads are kept forever');
  await expect(page.getByTestId('raw-pruned-before')).toHaveCount(0);
  await screenshot(page, 'sources');

  // A secret is in place already (as after an earlier setup), so the page asks before replacing it.
  expect((await page.request.post('/api/orgs/demo/settings/webhook-secrets/github')).status()).toBe(200);
  await page.getByRole('link', { name: 'GitHub', exact: true }).click();
  await expect(page).toHaveURL(/\/demo\/settings\/sources\/github$/);
  await expect(page.getByTestId('source-url')).toHaveText(`${baseURL}/api/orgs/demo/webhooks/github`);
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByText('The current secret stops working at once')).toBeVisible();
  await page.getByRole('button', { name: 'Rotate now' }).click();
  const newSecret = page.getByTestId('new-secret');
  await expect(newSecret).toHaveText(/^[0-9a-f]{64}$/);
  const secret = (await newSecret.textContent())!;
  await screenshot(page, 'source-github-secret');

  // GitHub delivers, signed with the new secret, a pull_request payload the worker cannot read.
  const deliveryId = `e2e-unreadable-${Date.now()}`;
  const body = JSON.stringify({ action: 'opened', number: 7, pull_request: { number: 'seven' }, repository: { id: 1, name: 'app', full_name: 'acme/app', owner: { login: 'acme' } } });
  const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': deliveryId, 'x-hub-signature-256': await sign(secret, body) };
  // Receivers keep a secret for up to 5 s: the first tries may still check against the old one.
  await expect.poll(async () => (await request.post('/api/orgs/demo/webhooks/github', { headers, data: body })).status(), { timeout: 20_000 }).toBe(202);

  const row = page.getByTestId(`delivery-${deliveryId}`);
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row).toContainText('failed', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(row).toContainText('pull_request');
  await expect(row).toContainText('payload not understood: pull_request.');
  await page.getByLabel('Status').selectOption('failed');
  await expect(row).toBeVisible();
  await screenshot(page, 'source-github-failed');

  await row.getByRole('button', { name: `Retry delivery ${deliveryId}` }).click();
  // Under the full suite the retry can wait behind the rollup rebuild the settings specs set off.
  await expect(page.getByRole('status').filter({ hasText: '1 delivery queued again' })).toBeVisible({ timeout: 15_000 });
  // The worker runs it again at once; the payload is still unreadable, so it ends failed again.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row).toContainText('failed', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await screenshot(page, 'source-github-retried');

  await page.getByRole('link', { name: '← Data sources' }).click();
  const github = page.getByTestId('source-github');
  await expect(github).toContainText('Receiving');
  await expect(github).toContainText('1 failed');
  await screenshot(page, 'sources-after');
});

test('an admin makes a token for Claude Code with its variables ready to paste, and stores then deletes a Copilot token', async ({ page, baseURL }) => {
  // Runs after the settings specs change metric options: the rollups rebuild and pages wait meanwhile.
  test.slow();
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('link', { name: 'Open data sources' }).click();
  await page.getByRole('link', { name: 'Claude Code (OpenTelemetry)' }).click();
  await expect(page).toHaveURL(/\/demo\/settings\/sources\/otlp$/);
  await expect(page.getByRole('heading', { name: 'Claude Code (OpenTelemetry)', level: 1 })).toBeVisible();
  const url = `${baseURL}/api/orgs/demo/otlp/v1/metrics`;
  await expect(page.getByTestId('source-url')).toHaveText(url);
  await page.getByRole('button', { name: 'Create a token for Claude Code (OpenTelemetry)' }).click();
  const token = page.getByTestId('new-token');
  await expect(token).toHaveText(/^tl_[A-Za-z0-9_-]{43}$/);
  const shell = page.getByRole('figure', { name: 'Shell profile' });
  await expect(shell.locator('pre')).toHaveText(
    [
      'export CLAUDE_CODE_ENABLE_TELEMETRY="1"',
      'export OTEL_METRICS_EXPORTER="otlp"',
      'export OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf"',
      `export OTEL_EXPORTER_OTLP_METRICS_ENDPOINT="${url}"`,
      `export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${await token.textContent()}"`,
    ].join('\n'),
  );
  await expect(page.getByText('No deliveries yet. Make a token above')).toBeVisible();
  await screenshot(page, 'source-claude-code');

  await page.goto('/demo/settings/sources/copilot');
  await expect(page.getByText('No token stored: fill in the organization')).toBeVisible();
  await page.getByLabel('GitHub organization, or organization/team').fill('acme robotics');
  await page.getByLabel('GitHub token').fill('ghp_e2eNotARealToken000000000000000000');
  await page.getByRole('button', { name: 'Store token' }).click();
  const setup = page.getByRole('region', { name: 'Connect GitHub Copilot' });
  await expect(setup.getByRole('alert')).toContainText('target: must be a GitHub organization');
  await page.getByLabel('GitHub organization, or organization/team').fill('acme-robotics/platform');
  await page.getByRole('button', { name: 'Store token' }).click();
  await expect(setup.getByRole('status')).toHaveText('Token stored for acme-robotics/platform; the next scheduled fetch uses it.');
  await expect(setup.getByRole('alert')).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: 'acme-robotics/platform' });
  await expect(row).toContainText('not yet');
  expect(await page.content()).not.toContain('ghp_e2eNotARealToken');
  await expect(page.getByText('npx throughline import copilot copilot-metrics.json --org demo')).toBeVisible();
  await screenshot(page, 'source-copilot');
  await row.getByRole('button', { name: 'Delete the token for acme-robotics/platform' }).click();
  await expect(page.getByText('No token stored: fill in the organization')).toBeVisible();
});
