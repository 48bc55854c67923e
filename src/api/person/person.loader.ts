import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Person, Position } from "../../entities/person.entity";

/** Per-request batching of person and position reads. */
export const personLoaders = {
  person: ({ people }: Services, ctx: RequestContext) => new DataLoader<number, Person | null>((pks) => people.byPks(ctx, pks)),
  position: ({ people }: Services, ctx: RequestContext) => new DataLoader<number, Position | null>((pks) => people.positionsByPks(ctx, pks)),
  positionsOfPerson: ({ people }: Services, ctx: RequestContext) => new DataLoader<number, Position[]>((pks) => people.positionsOfPeople(ctx, pks)),
  positionsAtInstitution: ({ people }: Services, ctx: RequestContext) => new DataLoader<number, Position[]>((pks) => people.positionsAtInstitutions(ctx, pks)),
};
