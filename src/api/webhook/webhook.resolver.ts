import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Info, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { pageArgs, PageArgsInput } from "../args";
import { toConnection } from "../page-loader";
import { pkOf } from "../../kernel/ids";
import { Role } from "../../kernel/viewer";
import { WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from "../../entities/webhook.entity";
import { WebhookDeliveryConnection } from "./webhook.connection";

@ObjectType("WebhookEndpointCreated", { simpleResolvers: true, description: "Returned once, when an endpoint is registered; the secret is never shown again." })
export class WebhookEndpointCreated {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: "`whsec_` and the key in base64, as Standard Webhooks' libraries take it: what the receiver verifies signatures with." })
  secret!: string;
}

/** Webhook endpoints and their delivery logs: admins only. */
@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [WebhookEndpoint], { description: "Every registered webhook endpoint, oldest first." })
  webhookEndpoints(@Ctx() ctx: Context): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(ctx);
  }

  @Authorized(Role.ADMIN)
  @Query(() => WebhookEndpoint, { nullable: true })
  webhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookEndpoint | null> {
    return ctx.loaders.webhookEndpoint.load(pkOf(id, "WebhookEndpoint"));
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpointCreated, { description: "Registers an endpoint, told of the events it names from now on." })
  createWebhookEndpoint(
    @Arg("url", () => String) url: string,
    @Arg("events", () => [WebhookEventType]) events: WebhookEventType[],
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointCreated> {
    return ctx.services.webhooks.create(ctx, url, events);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpoint, { description: "Changes what is given; the secret stays." })
  updateWebhookEndpoint(
    @Arg("id", () => ID) id: string,
    @Arg("url", () => String, { nullable: true }) url: string | null | undefined,
    @Arg("events", () => [WebhookEventType], { nullable: true }) events: WebhookEventType[] | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.update(ctx, id, { url, events });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ID, { description: "Deletes the endpoint with its delivery log; nothing more is sent to it." })
  deleteWebhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.webhooks.delete(ctx, id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpoint, { description: "Starts a disabled endpoint's deliveries again: what waited goes out now, in order." })
  enableWebhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.enable(ctx, id);
  }

  @Authorized(Role.ADMIN)
  @FieldResolver(() => WebhookDeliveryConnection, { description: "The delivery log, newest first; `status` keeps one kind." })
  deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Args(() => PageArgsInput) args: PageArgsInput,
    @Arg("status", () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const page = ctx.loaders.pages.load(`webhook.deliveries:${status ?? ""}`, endpoint.pk, pageArgs(args, info), (pks, p) => ctx.services.webhooks.deliveryPages(ctx, pks, p, status ?? null));
    return toConnection(WebhookDeliveryConnection, page, ctx.loaders.webhookDelivery);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @Authorized(Role.ADMIN)
  @FieldResolver(() => [WebhookAttempt], { description: "The latest 20 attempts, oldest of them first: status, duration and outcome, never the response's body." })
  attempts(@Root() delivery: WebhookDelivery, @Ctx() ctx: Context): Promise<WebhookAttempt[]> {
    return ctx.loaders.attemptsOfDelivery.load(delivery.pk);
  }
}
