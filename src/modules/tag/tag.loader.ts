import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Tag } from "./tag.entity";

/** Per-request batching of tag reads. */
export const tagLoaders = {
  tag: ({ tags }: Services) => new DataLoader<number, Tag | null>((pks) => tags.byPks(pks)),
};
