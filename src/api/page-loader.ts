import DataLoader from "dataloader";
import type { Page } from "../db/pagination";
import type { PageArgs } from "../kernel/page-args";
import type { Located } from "../services/slugs";

type PageBatch = (parentPks: readonly number[], args: PageArgs) => Promise<Map<number, Page>>;

/**
 * Per-request loaders for nested connections (an institution's articles, a person's quotes…).
 * Parents asking for the same list with the same page arguments share one batch, so a list of
 * 20 institutions with their articles costs the same statements as one.
 */
export class PageLoaders {
  private readonly loaders = new Map<string, DataLoader<number, Page>>();

  load(list: string, parentPk: number, args: PageArgs, batch: PageBatch): Promise<Page> {
    const key = `${list}\u0000${args.backward ? "last" : "first"}\u0000${args.count}\u0000${args.after ?? ""}\u0000${args.before ?? ""}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<number, Page>(async (pks) => {
        const pages = await batch(pks, args);
        return pks.map((pk) => pages.get(pk)!);
      });
      this.loaders.set(key, loader);
    }
    return loader.load(parentPk);
  }
}

/** Loads the nodes of a page through an entity loader, dropping any that vanished since the page was read. */
export async function nodesOf<T>(page: Page, loader: DataLoader<number, T | null>): Promise<{ page: Page; nodes: T[] }> {
  if (page.rows) {
    // The page query read the rows already: hand them out, and let later lookups of them hit the cache.
    page.pks.forEach((pk, i) => loader.prime(pk, page.rows![i] as T));
    return { page, nodes: page.rows as T[] };
  }
  const loaded = await loader.loadMany(page.pks);
  const keep = loaded.map((n) => n !== null && !(n instanceof Error));
  if (keep.every(Boolean)) return { page, nodes: loaded as T[] };
  const kept = page.pks.flatMap((_, i) => (keep[i] ? [i] : []));
  const filtered: Page = { ...page, pks: kept.map((i) => page.pks[i]!), cursor: (index) => page.cursor(kept[index]!) };
  return { page: filtered, nodes: loaded.filter((_, i) => keep[i]) as T[] };
}

/** Loads entities by key, skipping keys whose row is gone. */
export async function loadPks<T>(loader: DataLoader<number, T | null>, pks: readonly number[]): Promise<T[]> {
  const loaded = await loader.loadMany(pks);
  return loaded.filter((n): n is Awaited<T> => n !== null && !(n instanceof Error)) as T[];
}

/** Builds a connection object of type `Type` from a page and the loader of its nodes. */
export async function toConnection<T, C>(Type: { of(page: Page, nodes: readonly T[]): C }, page: Page | Promise<Page>, loader: DataLoader<number, T | null>): Promise<C> {
  const { page: shown, nodes } = await nodesOf(await page, loader);
  return Type.of(shown, nodes);
}

/**
 * The record an `x(id:, slug:)` lookup found: by key through the request's loader (so the rest of
 * the request reads it from there), or as the lookup itself read it.
 */
export async function loadLocated<T>(located: Promise<Located<T>>, loader: DataLoader<number, T | null>): Promise<T | null> {
  const found = await located;
  if (found === null) return null;
  return "pk" in found ? loader.load(found.pk) : found.row;
}
