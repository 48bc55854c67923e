import DataLoader from "dataloader";
import type { Tag } from "./tag.entity";
import type { TagService } from "./tag.service";

export function createTagLoaders(tags: TagService) {
  return {
    tag: new DataLoader<number, Tag | null>((pks) => tags.byPks(pks)),
  };
}
