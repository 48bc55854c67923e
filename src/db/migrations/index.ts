import { Init1764201600000 } from "./1764201600000-Init";

/** Every migration, in order. A new one is generated with `npm run migration:generate` and listed here. */
export const migrations: Function[] = [Init1764201600000];
