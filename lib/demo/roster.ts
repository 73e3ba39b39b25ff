import type { Random } from './random.ts';
import { storyWeeks } from './story.ts';

// Who works at Acme Robotics: teams, engineers, bots and repositories. Ids are assigned when rows
// are built; here everything is referred to by slug or index.

export interface TeamDef {
  slug: string;
  name: string;
  /** Jira project key. */
  project: string;
  /** Where the team's tickets start numbering, so keys look like a project with history. */
  firstTicket: number;
}

export interface RepoDef {
  name: string;
  team: string;
  /** First PR number in the demo window (the repository existed before it). */
  firstNumber: number;
  githubId: number;
  hasLint: boolean;
  /** Suites reported as test results, with their size at the start of the window. */
  tests: number;
  paths: readonly string[];
}

/** The AI tools demo engineers use; each is also an identity provider. */
export type DemoTool = 'claude_code' | 'cursor' | 'copilot';

export interface EngineerDef {
  displayName: string;
  email: string;
  login: string;
  githubId: number;
  jiraAccountId: string;
  /** Relative PR rate (seniority, meetings). */
  pace: number;
  /** Week index from which this engineer uses AI tools; null = never. */
  aiFrom: number | null;
  tool: DemoTool | null;
  /** Model reported by the tool ('' where the tool reports none). */
  model: string;
  vacationWeeks: ReadonlySet<number>;
  /** Team per period: [{ team, fromWeek }], first fromWeek 0. */
  stints: readonly { team: string; fromWeek: number }[];
}

export interface BotDef {
  login: string;
  githubId: number;
  email: string;
}

export const TEAMS: readonly TeamDef[] = [
  { slug: 'payments', name: 'Payments', project: 'PAY', firstTicket: 1184 },
  { slug: 'platform', name: 'Platform', project: 'PLT', firstTicket: 642 },
  { slug: 'mobile', name: 'Mobile', project: 'MOB', firstTicket: 905 },
  { slug: 'growth', name: 'Growth', project: 'GRW', firstTicket: 377 },
];

export const REPOS: readonly RepoDef[] = [
  {
    name: 'payments-api', team: 'payments', firstNumber: 2311, githubId: 512880417, hasLint: true, tests: 1840,
    paths: [
      'src/refunds/service.ts', 'src/payouts/batch.ts', 'src/webhooks/verify.ts', 'src/ledger/reconcile.ts',
      'src/api/charges.ts', 'src/fx/convert.ts',
    ],
  },
  {
    name: 'platform-infra', team: 'platform', firstNumber: 1478, githubId: 498113206, hasLint: false, tests: 620,
    paths: [
      'modules/eks/main.tf', 'cmd/deployer/main.go', 'internal/queue/consumer.go', 'charts/api/values.yaml',
      'internal/flags/store.go', '.github/workflows/deploy.yml',
    ],
  },
  {
    name: 'mobile-app', team: 'mobile', firstNumber: 3056, githubId: 530274981, hasLint: true, tests: 1210,
    paths: [
      'src/screens/Checkout.tsx', 'src/navigation/linking.ts', 'src/offline/sync.ts', 'ios/AcmeApp/AppDelegate.swift',
      'src/components/RobotCard.tsx', 'android/app/build.gradle',
    ],
  },
  {
    name: 'growth-web', team: 'growth', firstNumber: 1893, githubId: 517402236, hasLint: true, tests: 960,
    paths: [
      'app/pricing/page.tsx', 'app/signup/actions.ts', 'lib/experiments/assign.ts', 'components/Onboarding/Checklist.tsx',
      'lib/analytics/track.ts', 'app/(marketing)/layout.tsx',
    ],
  },
  {
    name: 'shared-libs', team: 'platform', firstNumber: 784, githubId: 476900385, hasLint: true, tests: 2150,
    paths: [
      'packages/http/src/retry.ts', 'packages/auth/src/jwt.ts', 'packages/logger/src/index.ts', 'packages/config/src/schema.ts',
      'packages/ui/src/Button.tsx', 'packages/money/src/format.ts',
    ],
  },
];

export const BOTS: readonly BotDef[] = [
  { login: 'dependabot[bot]', githubId: 49699333, email: '49699333+dependabot[bot]@users.noreply.github.com' },
  { login: 'renovate[bot]', githubId: 29139614, email: '29139614+renovate[bot]@users.noreply.github.com' },
  { login: 'github-actions[bot]', githubId: 41898282, email: '41898282+github-actions[bot]@users.noreply.github.com' },
];

const NAMES: Record<string, readonly string[]> = {
  payments: [
    'Priya Raman', 'Marcus Okafor', 'Elena Petrova', 'Tomás Herrera', 'Hannah Kim', 'Daniel Fischer', 'Aisha Bello',
    'Kenji Watanabe', 'Sofia Lindqvist', 'Ben Carter',
  ],
  platform: [
    'Rahul Mehta', 'Chloé Dubois', 'Ivan Kowalski', 'Grace Liu', 'Samuel Adeyemi', 'Nora Jensen', 'Lucas Moreau',
    'Fatima Haddad', 'Owen Gallagher', 'Mei Tanaka',
  ],
  mobile: [
    'Jordan Reyes', 'Anika Sharma', 'Felix Wagner', 'Zoe Papadopoulos', 'Mateo Rossi', 'Lina Nguyen', 'Ethan Brooks',
    'Yara Saleh', 'Oskar Nilsson', 'Amara Osei',
  ],
  growth: [
    'Leah Goldberg', 'Diego Álvarez', 'Ingrid Berg', 'Kwame Mensah', 'Julia Novák', 'Arjun Patel', 'Camille Laurent',
    'Noah Schmidt', 'Sara Costa', 'Tyler Brennan',
  ],
};

/** Mid-period team changes, at a fraction of the window so they scale with its length. */
const MOVES: readonly { name: string; to: string; at: number }[] = [
  { name: 'Ingrid Berg', to: 'payments', at: 8 / 26 },
  { name: 'Felix Wagner', to: 'growth', at: 15 / 26 },
  { name: 'Ben Carter', to: 'mobile', at: 19 / 26 },
];

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function chooseLogin(rand: Random, first: string, last: string): string {
  return rand.weighted<string>([
    [`${first}${last}`, 3],
    [`${first}-${last}`, 3],
    [`${first[0]}${last}`, 3],
    [`${first}${last[0]}`, 1],
    [`${first}-${rand.pick(['dev', 'codes', 'io', 'hq'])}`, 1],
    [`${last}${first[0]}${rand.int(1, 99)}`, 1],
  ]);
}

/** When an engineer starts using AI: a few early adopters, most after the rollout, some late or never. */
function chooseAiStart(rand: Random, weeks: number): number | null {
  const { rollout } = storyWeeks(weeks);
  const kind = rand.weighted([['early', 25], ['wave', 50], ['late', 15], ['never', 10]] as const);
  if (kind === 'early') return 0;
  if (kind === 'wave') return Math.min(weeks - 1, rollout + rand.int(0, Math.round(weeks / 5)));
  if (kind === 'late') return Math.min(weeks - 1, Math.round(weeks * (0.45 + 0.3 * rand.next())));
  return null;
}

const TOOL_MODELS: Record<DemoTool, readonly string[]> = {
  claude_code: ['claude-sonnet-4-5'],
  cursor: ['gpt-5', 'claude-sonnet-4-5'],
  copilot: [''],
};

export function buildRoster(rand: Random, weeks: number): EngineerDef[] {
  const engineers: EngineerDef[] = [];
  for (const team of TEAMS) {
    for (const displayName of NAMES[team.slug] ?? []) {
      const [first = '', last = ''] = ascii(displayName).split(' ');
      const aiFrom = chooseAiStart(rand, weeks);
      const tool = aiFrom === null ? null : rand.weighted<DemoTool>([['claude_code', 5], ['cursor', 3], ['copilot', 2]]);
      const vacation = new Set<number>();
      for (let i = rand.int(1, 2); i > 0; i--) vacation.add(rand.int(0, weeks - 1));
      const move = MOVES.find((m) => m.name === displayName);
      engineers.push({
        displayName,
        email: `${first}.${last}@acme-robotics.dev`,
        login: chooseLogin(rand, first, last),
        githubId: rand.int(1_200_000, 98_000_000),
        jiraAccountId: `712020:${rand.hex(8)}-${rand.hex(4)}-${rand.hex(4)}-${rand.hex(4)}-${rand.hex(12)}`,
        pace: Math.max(0.6, rand.normal(1, 0.18)),
        aiFrom,
        tool,
        model: tool ? rand.pick(TOOL_MODELS[tool]) : '',
        vacationWeeks: vacation,
        stints: move
          ? [{ team: team.slug, fromWeek: 0 }, { team: move.to, fromWeek: Math.round(weeks * move.at) }]
          : [{ team: team.slug, fromWeek: 0 }],
      });
    }
  }
  return engineers;
}

/** The engineer's team in a given week. */
export function teamInWeek(engineer: EngineerDef, week: number): string {
  let team = engineer.stints[0]?.team ?? '';
  for (const stint of engineer.stints) if (week >= stint.fromWeek) team = stint.team;
  return team;
}
