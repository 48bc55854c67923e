import type { InstitutionKind } from "../entities/institution.entity";

/*
 * What InstitutionService takes, as plain types. The API's GraphQL input types of the same
 * names implement them (api/institution/institution.inputs.ts): the service knows nothing of
 * how a client spells them.
 */

export interface InstitutionFilter {
  kind?: InstitutionKind | null;
  province?: string | null;
  city?: string | null;
  accreditationCode?: string | null;
  search?: string | null;
}

export interface CreateInstitutionInput {
  name: string;
  slug?: string | null;
  shortName?: string | null;
  kind: InstitutionKind;
  classification?: string | null;
  city?: string | null;
  province?: string | null;
  parentId?: string | null;
}

export interface UpdateInstitutionInput {
  name?: string | null;
  slug?: string | null;
  shortName?: string | null;
  kind?: InstitutionKind | null;
  classification?: string | null;
  city?: string | null;
  province?: string | null;
  parentId?: string | null;
}

export interface AccreditationInput {
  code: string;
  title: string;
  year: number;
}
