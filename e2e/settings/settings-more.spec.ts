import type { APIRequestContext, Page } from '@playwright/test';
import { expectAccessible } from '../axe.ts';
import { signInAs } from '../dashboard/fresh-org.ts';
import { expect, test } from '../fixtures.ts';
import { screenshot } from '../screenshot.ts';

// An admin sets up teams (a new team, an engineer moved into it from a date), a repository's
// default team and the metric options, each checked against the settings API and after a
// reload; every settings page passes axe. A member finds no way into settings.

const DAY_MS = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
/** The Monday three weeks before this week's (the demo org is in UTC). */
function mondayWeeksAgo(weeks: number): string {
  const now = new Date();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ((now.getUTCDay() + 6) % 7) * DAY_MS);
  return iso(new Date(monday.getTime() - weeks * 7 * DAY_MS));
}
const dayBefore = (day: string) => iso(new Date(new Date(`${day}T00:00:00Z`).getTime() - DAY_MS));
const formatDay = (day: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

interface Membership { id: string; teamName: string; teamId: string; from: string; to: string | null; current: boolean }
const api = async <T,>(request: APIRequestContext, path: string): Promise<T> => {
  const res = await request.get(`/api/orgs/demo/settings/${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
};

async function openTab(page: Page, name: string, heading: string) {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name }).click();
  // A page waits for the database while the worker rebuilds rollups (the embedded one has one connection).
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
}

test('a member has no Settings link and finds every settings page not found', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  await signInAs(page.context(), baseURL!, 'demo', 'member');
  await page.goto('/demo');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const header = page.getByRole('banner');
  await expect(header.getByRole('link', { name: 'Platform' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await expect(header.getByRole('link', { name: 'Data sources' })).toHaveCount(0);

  for (const path of ['', '/teams', '/teams/platform', '/repositories', '/metrics', '/bots', '/people', '/sources']) {
    const res = await page.goto(`/demo/settings${path}`);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found', level: 1 })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Settings' })).toHaveCount(0);
  }
  await expectAccessible(page);
  await screenshot(page, 'settings-more-member-not-found');
  // The API says why: signed in, but not an admin.
  const res = await page.request.get('/api/orgs/demo/settings/teams');
  expect(res.status()).toBe(403);
});


test('an admin creates a team, moves a person into it from a date, sets a repository team and the metric options', async ({ page }) => {
  // On the embedded database (one connection) pages wait while the worker rebuilds rollups.
  test.setTimeout(540_000);
  const request = page.request;
  await page.goto('/');
  await page.getByRole('button', { name: 'Open the demo organization' }).click();
  // Opened by URL after checking the header's link: reached by a client navigation right after the
  // member test above, the page's <title> stayed empty in two runs (not yet explained; see the notes).
  await expect(page.getByRole('banner').getByRole('link', { name: 'Settings', exact: true })).toHaveAttribute('href', '/demo/settings');
  await page.goto('/demo/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'On this page' }).getByRole('link')).toHaveText(['Single sign-on', 'Members and roles', 'Ingest tokens', 'Webhooks', 'Delivery log', 'Audit log']);
  await expectAccessible(page);
  await screenshot(page, 'settings-more-general');

  // ── Teams: create one; a duplicate name is refused with the field named.
  await openTab(page, 'Teams', 'Teams');
  const teamsTable = page.getByRole('region', { name: 'All teams' }).getByRole('table');
  await expect(teamsTable.getByRole('row')).toHaveCount(5); // header + the demo's 4 teams
  await page.getByLabel('New team name').fill('Developer Experience');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created Developer Experience.' })).toBeVisible();
  await expect(teamsTable.getByRole('link', { name: 'Developer Experience', exact: true })).toBeVisible();
  const { teams } = await api<{ teams: { id: string; slug: string; name: string; currentMembers: number }[] }>(request, 'teams');
  const devex = teams.find((t) => t.name === 'Developer Experience')!;
  expect(devex).toMatchObject({ slug: 'developer-experience', currentMembers: 0 });
  await expectAccessible(page);
  await screenshot(page, 'settings-more-teams');

  await page.getByLabel('New team name').fill('platform');
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByRole('region', { name: 'All teams' }).getByRole('alert')).toHaveText("name: a team named 'Platform' already exists");
  await expectAccessible(page);
  await screenshot(page, 'settings-more-teams-error');

  // ── Members: the new team is empty; an engineer moves in from a Monday three weeks ago.
  // The list refreshes itself after the create; a click landing during that refresh can be lost.
  await expect(async () => {
    await teamsTable.getByRole('link', { name: 'Members of Developer Experience' }).click();
    await expect(page).toHaveURL(/\/demo\/settings\/teams\/developer-experience$/, { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Developer Experience: members', level: 1 })).toBeVisible();
  await expect(page.getByText('No one in Developer Experience yet.')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'settings-more-team-empty');

  // Kenji Watanabe (no other spec touches him) moves in from a Monday three weeks ago.
  const from = mondayWeeksAgo(3);
  const kenji = (await api<{ people: { id: string }[] }>(request, 'people?q=Kenji%20Watanabe')).people[0]!;
  const before = await api<{ memberships: Membership[] }>(request, `people/${kenji.id}/memberships`);
  const running = before.memberships.filter((m) => m.current);
  expect(running.length).toBeGreaterThan(0);
  await page.getByLabel('Person', { exact: true }).fill('kenji');
  await page.getByRole('button', { name: 'Choose Kenji Watanabe' }).click();
  await page.getByLabel('First day').fill(from);
  const warning = page.getByRole('status').filter({ hasText: `that membership will end on ${formatDay(dayBefore(from))}` });
  for (const m of running) await expect(warning).toContainText(`${m.teamName} (since ${formatDay(m.from)})`);
  await page.getByRole('button', { name: 'Add to Developer Experience' }).click();
  const added = page.getByRole('status').filter({ hasText: 'Added Kenji Watanabe' });
  await expect(added).toContainText(`Added Kenji Watanabe from ${formatDay(from)}. Their membership of `);
  for (const m of running) await expect(added).toContainText(m.teamName);
  await expect(added).toContainText(` now ends on ${formatDay(dayBefore(from))}.`);
  const memberships = page.getByRole('region', { name: 'Memberships' });
  const row = memberships.getByRole('row').filter({ hasText: 'Kenji Watanabe' });
  await expect(row).toContainText(formatDay(from));
  await expect(row).toContainText('still a member');
  await expect(row).toContainText('current');

  // His history, as the API has it: the new team first, the old ones ending the day before.
  const after = await api<{ memberships: Membership[] }>(request, `people/${kenji.id}/memberships`);
  expect(after.memberships[0]).toMatchObject({ teamName: 'Developer Experience', from, to: null, current: true });
  for (const m of running) expect(after.memberships.find((x) => x.id === m.id)).toMatchObject({ to: dayBefore(from), current: false });
  await row.getByRole('button', { name: 'Team history of Kenji Watanabe' }).click();
  const history = page.getByRole('region', { name: 'Team history of Kenji Watanabe' }).getByRole('listitem');
  await expect(history).toHaveCount(after.memberships.length);
  await expect(history).toContainText(after.memberships.map((m) => `${m.teamName} ${formatDay(m.from)} – ${m.to ? formatDay(m.to) : 'now'}`));
  await expectAccessible(page);
  await screenshot(page, 'settings-more-team-members');

  await page.reload({ timeout: 120_000 });
  await expect(memberships.getByRole('row').filter({ hasText: 'Kenji Watanabe' })).toContainText(formatDay(from));
  expect((await api<{ teams: { id: string; currentMembers: number }[] }>(request, 'teams')).teams.find((t) => t.id === devex.id)!.currentMembers).toBe(1);

  // ── The other settings pages: bots (as the API lists them), people, data sources.
  await openTab(page, 'Bots', 'Bots');
  const bots = await api<{ people: { displayName: string }[]; total: number }>(request, 'people?kind=bots&limit=200');
  expect(bots.people.length).toBeGreaterThan(0);
  const botRows = page.getByRole('region', { name: 'Bots', exact: true }).getByRole('row');
  await expect(botRows).toHaveCount(bots.people.length + 1);
  for (const b of bots.people) await expect(botRows.filter({ hasText: b.displayName })).toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, 'settings-more-bots');

  await openTab(page, 'People and AI attribution', 'People and AI attribution');
  await expect(page.getByTestId('people-count')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'settings-more-people');

  await openTab(page, 'Data sources', 'Data sources');
  await expectAccessible(page);
  await screenshot(page, 'settings-more-sources');
  await page.getByRole('link', { name: 'GitHub', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'GitHub', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Data sources' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);

  // ── Repositories: shared-libs now defaults to the new team.
  await openTab(page, 'Repositories', 'Repositories');
  const select = page.getByLabel('Default team of acme/shared-libs');
  const repoBefore = (await api<{ repositories: { id: string; fullName: string; defaultTeamId: string | null }[] }>(request, 'repositories')).repositories.find((r) => r.fullName === 'acme/shared-libs')!;
  await expect(select).toHaveValue(repoBefore.defaultTeamId ?? '');
  await select.selectOption({ label: 'Developer Experience' });
  // Saves wait for the database while the worker rebuilds rollups (the embedded one has one connection).
  await expect(page.getByRole('status').filter({ hasText: 'Saved:' })).toHaveText('Saved: acme/shared-libs now counts for Developer Experience.', { timeout: 120_000 });
  await expectAccessible(page);
  await screenshot(page, 'settings-more-repositories');
  await page.reload({ timeout: 120_000 });
  await expect(page.getByLabel('Default team of acme/shared-libs')).toHaveValue(devex.id);
  expect((await api<{ repositories: { fullName: string; defaultTeamId: string | null }[] }>(request, 'repositories')).repositories.find((r) => r.fullName === 'acme/shared-libs')!.defaultTeamId).toBe(devex.id);

  // ── Metric options: cycle time from creation, Berlin weeks, warn at +75%.
  await openTab(page, 'Metric options', 'Metric options');
  await expect(page.getByRole('radio', { name: /When work starts/ })).toBeChecked();
  await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('UTC');
  await page.getByRole('radio', { name: /When the ticket is created/ }).check();
  await page.getByLabel('Search time zones').fill('berlin');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Berlin');
  await page.getByLabel(/Warn when AI generation grows by/).fill('1.75');
  await expect(page.locator('#threshold-hint')).toContainText('1.75 = +75%');
  await page.getByRole('button', { name: 'Save metric options' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('The weekly rollups are being rebuilt', { timeout: 120_000 });
  await expectAccessible(page);
  await screenshot(page, 'settings-more-metrics');
  await page.reload({ timeout: 120_000 });
  await expect(page.getByRole('radio', { name: /When the ticket is created/ })).toBeChecked();
  await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('Europe/Berlin');
  await expect(page.getByLabel(/Warn when AI generation grows by/)).toHaveValue('1.75');
  expect((await api<{ options: unknown }>(request, 'metric-options')).options).toEqual({ cycleTimeStart: 'created', timeZone: 'Europe/Berlin', distortionThreshold: 1.75 });


  // Every change is in the audit log.
  await openTab(page, 'General', 'Settings');
  for (const action of ['team.create', 'team.membership_add', 'repository.team_set', 'org.metric_options_set']) await expect(page.getByRole('cell', { name: action, exact: true })).toBeVisible();

  // Put the demo org back as it was for whatever runs next on this server.
  const put = (path: string, data: unknown) => request.fetch(`/api/orgs/demo/settings/${path}`, { method: path === 'metric-options' ? 'PUT' : 'PATCH', data });
  expect((await put('metric-options', { cycleTimeStart: 'in_progress', timeZone: 'UTC', distortionThreshold: 1.5 })).status()).toBe(200);
  expect((await put(`repositories/${repoBefore.id}`, { defaultTeamId: repoBefore.defaultTeamId })).status()).toBe(200);
  for (const m of running) expect((await put(`teams/${m.teamId}/memberships/${m.id}`, { to: null })).status()).toBe(200);
  expect((await request.delete(`/api/orgs/demo/settings/teams/${devex.id}`)).status()).toBe(200);
});