import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Person, Position } from "./person.entity";

/** Per-request batching of person and position reads. */
export const personLoaders = {
  person: ({ people }: Services) => new DataLoader<number, Person | null>((pks) => people.byPks(pks)),
  positionsOfPerson: ({ people }: Services) => new DataLoader<number, Position[]>((pks) => people.positionsOfPeople(pks)),
  positionsAtInstitution: ({ people }: Services) => new DataLoader<number, Position[]>((pks) => people.positionsAtInstitutions(pks)),
};
