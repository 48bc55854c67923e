import type { WebhooksConfig } from "../../config";
import type { Logger } from "../../kernel/logger";
import type { Database } from "../../db/database";
import type { EventBus } from "../../events/bus";
import { AddressPolicy, systemResolver } from "./address-policy";
import type { HostResolver } from "./address-policy";
import { WebhookDispatcher } from "./webhook.dispatcher";
import type { SendResult } from "./webhook.sender";
import { WebhookSender } from "./webhook.sender";

/** Builds and starts the dispatcher of a server's webhooks from its settings. */
export function startWebhooks(db: Database, bus: EventBus, config: WebhooksConfig, logger: Logger, onAttempt?: (result: SendResult) => void, resolve: HostResolver = systemResolver): WebhookDispatcher {
  const sender = new WebhookSender({ policy: new AddressPolicy(config.allowHosts), resolve, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes, extraCaCertificates: config.extraCaCertificates });
  const dispatcher = new WebhookDispatcher(db, bus, { ...config, sender, logger, onAttempt });
  dispatcher.start();
  return dispatcher;
}
