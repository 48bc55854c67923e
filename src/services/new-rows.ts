import type { EntityManager } from "typeorm";
import { attributeWrites } from "../db/database";

/**
 * Saves `entity`, a new row of `table` (an institution, a person, an author entered by hand), and
 * says what it changes: the lookups of it that found nothing (`Kind:pk`) and the lists of its
 * kind (`Kind:list`). No story names it yet, so no story page is dropped.
 */
export function saveNewRow<T extends { pk: number }>(em: EntityManager, table: string, kind: string, entity: T): Promise<T> {
  return attributeWrites(em, [table], async (tag) => {
    const created = await em.save(entity);
    tag(`${kind}:${created.pk}`, `${kind}:list`);
    return created;
  });
}
