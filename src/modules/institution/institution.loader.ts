import DataLoader from "dataloader";
import type { Accreditation, Institution } from "./institution.entity";
import type { InstitutionService } from "./institution.service";

export function createInstitutionLoaders(institutions: InstitutionService) {
  return {
    institution: new DataLoader<number, Institution | null>((pks) => institutions.byPks(pks)),
    childPksOfInstitution: new DataLoader<number, number[]>((pks) => institutions.childPks(pks)),
    accreditationsOfInstitution: new DataLoader<number, Accreditation[]>((pks) => institutions.accreditations(pks)),
  };
}
