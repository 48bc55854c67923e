import DataLoader from "dataloader";
import type { Person, Position } from "./person.entity";
import type { PersonService } from "./person.service";

export function createPersonLoaders(people: PersonService) {
  return {
    person: new DataLoader<number, Person | null>((pks) => people.byPks(pks)),
    positionsOfPerson: new DataLoader<number, Position[]>((pks) => people.positionsOfPeople(pks)),
    positionsAtInstitution: new DataLoader<number, Position[]>((pks) => people.positionsAtInstitutions(pks)),
  };
}
