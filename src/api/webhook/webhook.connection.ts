import { connectionType } from "../connection";
import { WebhookDelivery } from "../../entities/webhook.entity";

export const WebhookDeliveryConnection = connectionType("WebhookDelivery", () => WebhookDelivery);
