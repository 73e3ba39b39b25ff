import { receiveGithubWebhook } from './github/receive-github-webhook.ts';
import { receiveGitlabWebhook } from './gitlab/receive-gitlab-webhook.ts';
import { receiveJiraWebhook } from './jira/receive-jira-webhook.ts';
import { receiveLinearWebhook } from './linear/receive-linear-webhook.ts';
import { webhookRoute } from './webhook-route.ts';

/**
 * Every webhook source's route handler, by the last segment of `/api/orgs/{org}/webhooks/{source}`.
 * The App Router's route files and the production server's fast path (lib/server) both answer
 * from here, so a delivery is handled the same way whichever of them receives it.
 */
export const webhookRoutes = {
  github: webhookRoute(receiveGithubWebhook),
  gitlab: webhookRoute(receiveGitlabWebhook),
  jira: webhookRoute(receiveJiraWebhook),
  linear: webhookRoute(receiveLinearWebhook),
} as const;

export type WebhookRouteSource = keyof typeof webhookRoutes;

export function webhookRouteFor(source: string): (typeof webhookRoutes)[WebhookRouteSource] | undefined {
  return Object.hasOwn(webhookRoutes, source) ? webhookRoutes[source as WebhookRouteSource] : undefined;
}
