import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "../../entities/webhook.entity";

/** Per-request batching of webhook reads (admins' endpoint lists and delivery logs). */
export const webhookLoaders = {
  webhookEndpoint: ({ webhooks }: Services, ctx: RequestContext) => new DataLoader<number, WebhookEndpoint | null>((pks) => webhooks.endpointsByPks(ctx, pks)),
  webhookDelivery: ({ webhooks }: Services, ctx: RequestContext) => new DataLoader<number, WebhookDelivery | null>((pks) => webhooks.deliveriesByPks(ctx, pks)),
  attemptsOfDelivery: ({ webhooks }: Services, ctx: RequestContext) => new DataLoader<number, WebhookAttempt[]>((pks) => webhooks.attemptsOf(ctx, pks)),
};
