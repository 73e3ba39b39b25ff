import type { Random } from './random.ts';
import type { DemoTool } from './roster.ts';

// Words for the demo: ticket and PR titles, commit messages, review remarks. Titles combine a
// verb pattern with a team's domain objects so hundreds of tickets rarely repeat.

interface Domain {
  objects: readonly string[];
  contexts: readonly string[];
  tech: readonly string[];
}

const DOMAINS: Record<string, Domain> = {
  payments: {
    objects: [
      'refund flow', 'payout batching', 'webhook signature verification', '3DS challenge flow', 'ledger reconciliation',
      'currency conversion', 'invoice PDF export', 'card tokenization', 'chargeback handling', 'idempotency middleware',
      'settlement report', 'SEPA mandate setup', 'fraud scoring', 'failed-charge retries', 'subscription proration',
      'tax calculation',
    ],
    contexts: [
      'partial captures', 'zero-decimal currencies', 'EU merchants', 'expired cards', 'multi-currency accounts', 'large payouts',
    ],
    tech: ['the ledger v2 API', 'Stripe API 2025-09', 'zod schemas'],
  },
  platform: {
    objects: [
      'deploy pipeline', 'EKS node groups', 'queue consumer', 'feature flag store', 'secrets rotation',
      'Terraform state locking', 'Grafana dashboards', 'log shipping', 'canary releases', 'Postgres connection pooling',
      'rate limiter', 'service mesh config', 'backup jobs', 'CI runners', 'API gateway routes', 'on-call alerting',
    ],
    contexts: ['staging', 'the eu-west-1 cluster', 'spot instances', 'cold starts', 'high queue depth', 'large deploys'],
    tech: ['OpenTofu', 'Karpenter', 'OpenTelemetry'],
  },
  mobile: {
    objects: [
      'checkout screen', 'deep links', 'offline sync', 'push notifications', 'robot pairing flow', 'biometric login',
      'order history', 'app startup', 'image caching', 'settings screen', 'crash reporting', 'in-app updates', 'map view',
      'dark mode', 'accessibility labels', 'firmware update screen',
    ],
    contexts: ['Android 15', 'iOS 18', 'slow networks', 'tablets', 'background mode', 'first launch'],
    tech: ['the new architecture', 'Expo Router', 'React Query'],
  },
  growth: {
    objects: [
      'pricing page', 'signup funnel', 'onboarding checklist', 'A/B test assignment', 'referral program', 'trial expiry emails',
      'analytics events', 'landing page hero', 'SEO metadata', 'upsell banner', 'waitlist form', 'plan comparison table',
      'UTM attribution', 'lifecycle emails', 'in-app tour', 'cookie consent',
    ],
    contexts: ['mobile Safari', 'logged-out visitors', 'annual plans', 'EU visitors', 'returning users', 'slow connections'],
    tech: ['server actions', 'the App Router', 'PostHog'],
  },
};

const TEMPLATES: readonly (readonly [string, string, number])[] = [
  ['Bug', 'Fix {o} for {c}', 4],
  ['Bug', '{O} fails for {c}', 3],
  ['Bug', 'Fix race condition in {o}', 1],
  ['Bug', 'Fix timeout in {o}', 1],
  ['Bug', '{O} shows stale data', 1],
  ['Story', 'Support {c} in {o}', 4],
  ['Story', 'Improve {o} for {c}', 3],
  ['Story', 'Speed up {o}', 2],
  ['Story', 'Revamp {o}', 1],
  ['Story', 'Add admin controls for {o}', 1],
  ['Task', 'Refactor {o}', 2],
  ['Task', 'Add tests for {o}', 2],
  ['Task', 'Add logging to {o}', 1],
  ['Task', 'Migrate {o} to {t}', 2],
  ['Task', 'Remove legacy {o} code', 1],
];

const CHORES: readonly string[] = [
  'chore: bump eslint config',
  'ci: cache dependencies between jobs',
  'docs: update local setup in README',
  'refactor: extract {o} helpers',
  'test: deflake {o} spec',
  'chore: remove stale feature flags',
  'build: upgrade TypeScript to 5.9',
  'chore: tidy up logging',
  'ci: split test job into shards',
  'docs: add runbook for {o}',
];

const FOLLOW_UP_COMMITS: readonly string[] = [
  'Add tests', 'Handle empty response', 'Fix lint', 'Extract helper', 'Update fixtures', 'Rename for clarity',
  'Add logging', 'Fix type errors', 'Cover edge case for {c}', 'Update snapshots', 'Simplify error handling',
  'Add migration', 'Wire up feature flag', 'Address self-review nits',
];

const REVIEW_BODIES = {
  approved: [
    'LGTM', 'Looks good 👍', 'Nice, thanks!', 'Ship it', 'LGTM once CI is green', 'Looks good, one non-blocking nit inline.', '',
  ],
  changes_requested: [
    'A few things before this goes in, see inline.',
    'Needs a test for the failure path.',
    'Can we split this up? It is hard to review in one go.',
    'I think this changes the retry semantics, see comment.',
  ],
  changes_requested_ai: [
    'This is a lot of generated code. Can we trim it down and add tests?',
    'Several helpers here duplicate existing ones. Please reuse them.',
    'Hard to review at this size. Could you split it?',
  ],
  commented: ['Left a couple of questions inline.', 'Some non-blocking nits.', 'Drive-by: should this be behind a feature flag?'],
} as const;

const REVIEW_COMMENTS: readonly string[] = [
  'Can we add a test for this branch?',
  'nit: naming',
  'This could be a constant.',
  'Is this still needed?',
  'What happens when this is null?',
  'This duplicates the helper in shared-libs. Can we reuse it?',
  'Should this be behind the feature flag?',
  'Missing error handling here.',
  'Let’s log the request id here.',
  'This block looks generated. Is all of it needed?',
];

const TEST_BEHAVIOURS: readonly string[] = [
  'retries on 503', 'handles empty input', 'rejects invalid signature', 'keeps order stable', 'times out after 30s',
  'renders loading state', 'rounds half-even', 'survives reconnect',
];

/** Commit trailers the AI tools leave behind. */
const AI_TRAILERS: Record<DemoTool, string> = {
  claude_code: 'Co-authored-by: Claude <noreply@anthropic.com>',
  cursor: 'Generated-by: Cursor',
  copilot: 'Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>',
};

export function aiTrailer(tool: DemoTool): string {
  return AI_TRAILERS[tool];
}

function domain(team: string): Domain {
  const d = DOMAINS[team];
  if (!d) throw new Error(`No demo domain for team ${team}`);
  return d;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fill(rand: Random, template: string, team: string): string {
  const d = domain(team);
  const o = rand.pick(d.objects);
  return template
    .replace('{O}', capitalize(o))
    .replace('{o}', o)
    .replace('{c}', rand.pick(d.contexts))
    .replace('{t}', rand.pick(d.tech));
}

export function ticketSubject(rand: Random, team: string): { type: string; subject: string } {
  const [type, template] = rand.weighted(TEMPLATES.map(([ty, tpl, w]) => [[ty, tpl] as const, w] as const));
  return { type, subject: fill(rand, template, team) };
}

export function choreTitle(rand: Random, team: string): string {
  return fill(rand, rand.pick(CHORES), team);
}

export function followUpCommit(rand: Random, team: string): string {
  return fill(rand, rand.pick(FOLLOW_UP_COMMITS), team);
}

export function reviewBody(rand: Random, state: 'approved' | 'changes_requested' | 'commented', bigAiPr: boolean): string | null {
  const options = state === 'changes_requested' && bigAiPr ? REVIEW_BODIES.changes_requested_ai : REVIEW_BODIES[state];
  return rand.pick(options) || null;
}

export function reviewComment(rand: Random): string {
  return rand.pick(REVIEW_COMMENTS);
}

export function testName(rand: Random, path: string): string {
  const file = path.split('/').pop()?.replace(/\.[a-z]+$/, '') ?? path;
  return `${file} › ${rand.pick(TEST_BEHAVIOURS)}`;
}

/** A git branch fragment: lower-case words joined by dashes, cut at a word boundary. */
export function slugify(text: string, max = 40): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  return cut.slice(0, cut.lastIndexOf('-') > 10 ? cut.lastIndexOf('-') : max);
}

const DEPENDENCIES: Record<string, readonly string[]> = {
  'payments-api': ['stripe', 'zod', 'pg', '@aws-sdk/client-s3', 'pino', 'undici', 'vitest'],
  'platform-infra': ['github.com/aws/aws-sdk-go-v2', 'golang.org/x/net', 'github.com/prometheus/client_golang', 'k8s.io/client-go'],
  'mobile-app': ['react-native', '@react-navigation/native', 'react-native-reanimated', '@sentry/react-native', 'expo-camera'],
  'growth-web': ['next', 'react-dom', '@tanstack/react-query', 'posthog-js', 'tailwindcss', 'eslint'],
  'shared-libs': ['typescript', 'zod', 'date-fns', '@types/node', 'tsup'],
};

/** A dependency bump: package and from/to versions. */
export function dependencyBump(rand: Random, repo: string): { pkg: string; from: string; to: string } {
  const pkg = rand.pick(DEPENDENCIES[repo] ?? ['lodash']);
  const major = rand.int(1, 9);
  const minor = rand.int(0, 30);
  const patch = rand.int(0, 9);
  const to = rand.chance(0.7) ? `${major}.${minor}.${patch + 1}` : `${major}.${minor + 1}.0`;
  return { pkg, from: `${major}.${minor}.${patch}`, to };
}
