import DataLoader from "dataloader";
import type { Services } from "../../context";
import type { Accreditation, Institution } from "./institution.entity";

/** Per-request batching of institution reads. */
export const institutionLoaders = {
  institution: ({ institutions }: Services) => new DataLoader<number, Institution | null>((pks) => institutions.byPks(pks)),
  childPksOfInstitution: ({ institutions }: Services) => new DataLoader<number, number[]>((pks) => institutions.childPks(pks)),
  accreditationsOfInstitution: ({ institutions }: Services) => new DataLoader<number, Accreditation[]>((pks) => institutions.accreditations(pks)),
};
