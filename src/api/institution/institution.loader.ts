import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { Accreditation, Institution } from "../../entities/institution.entity";

/** Per-request batching of institution reads. */
export const institutionLoaders = {
  institution: ({ institutions }: Services, ctx: RequestContext) => new DataLoader<number, Institution | null>((pks) => institutions.byPks(ctx, pks)),
  accreditation: ({ institutions }: Services, ctx: RequestContext) => new DataLoader<number, Accreditation | null>((pks) => institutions.accreditationsByPks(ctx, pks)),
  childPksOfInstitution: ({ institutions }: Services, ctx: RequestContext) => new DataLoader<number, number[]>((pks) => institutions.childPks(ctx, pks)),
  accreditationsOfInstitution: ({ institutions }: Services, ctx: RequestContext) => new DataLoader<number, Accreditation[]>((pks) => institutions.accreditations(ctx, pks)),
};
