import { In } from "typeorm";
import type { EntityManager, EntityTarget } from "typeorm";
import { NotFoundError } from "../kernel/errors";
import { pkOf } from "../kernel/ids";
import type { NodeType } from "../kernel/ids";

function article(type: string): string {
  return /^[AEIOU]/.test(type) ? "an" : "a";
}

/** The row a public id names, or NOT_FOUND naming the id and the argument it came in. */
export async function getOrThrow<T extends { pk: number }>(em: EntityManager, entity: EntityTarget<T>, type: NodeType, id: string, field: string): Promise<T> {
  const pk = pkOf(id, type, field);
  const row = await em.getRepository(entity).findOne({ where: { pk } as never });
  if (!row) throw new NotFoundError(`There is no ${type.toLowerCase()} with id '${id}'.`, field);
  return row;
}

/** The keys of every id in `ids`, in order, or NOT_FOUND naming the first that names nothing. */
export async function pksOrThrow<T extends { pk: number }>(em: EntityManager, entity: EntityTarget<T>, type: NodeType, ids: readonly string[], field: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const pks = ids.map((id) => pkOf(id, type, field));
  const found = await em.getRepository(entity).find({ select: { pk: true } as never, where: { pk: In(pks) } as never });
  const present = new Set(found.map((r) => r.pk));
  const missing = ids.find((_, i) => !present.has(pks[i]!));
  if (missing !== undefined) throw new NotFoundError(`There is no ${type.toLowerCase()} with id '${missing}' (${article(type)} ${type} in ${field}).`, field);
  return pks;
}
