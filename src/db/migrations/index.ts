import { Init1764201600000 } from "./1764201600000-Init";
import { SlugAliases1764288000000 } from "./1764288000000-SlugAliases";
import { EventsAndPostgresSearch1764374400000 } from "./1764374400000-EventsAndPostgresSearch";
import { FactSources1764460800000 } from "./1764460800000-FactSources";
import { FactSourcesBackfill1764547200000 } from "./1764547200000-FactSourcesBackfill";
import { BylinesAndImages1764633600000 } from "./1764633600000-BylinesAndImages";
import { RevisionsAndPreviewLinks1764720000000 } from "./1764720000000-RevisionsAndPreviewLinks";
import { AuditTrail1764806400000 } from "./1764806400000-AuditTrail";
import { Webhooks1764892800000 } from "./1764892800000-Webhooks";

/** Every migration, in order. A new one is generated with `npm run migration:generate` and listed here. */
export const migrations: Function[] = [
  Init1764201600000,
  SlugAliases1764288000000,
  EventsAndPostgresSearch1764374400000,
  FactSources1764460800000,
  FactSourcesBackfill1764547200000,
  BylinesAndImages1764633600000,
  RevisionsAndPreviewLinks1764720000000,
  AuditTrail1764806400000,
  Webhooks1764892800000,
];
