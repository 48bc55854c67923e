/*
 * What PersonService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/person/person.inputs.ts): the service knows nothing of how a client
 * spells them.
 */

export interface PersonFilter {
  institutionId?: string | null;
  search?: string | null;
}

export interface CreatePersonInput {
  name: string;
  slug?: string | null;
}

export interface UpdatePersonInput {
  name?: string | null;
  slug?: string | null;
}

export interface PositionInput {
  personId: string;
  institutionId: string;
  title: string;
  current?: boolean | null;
}
