import DataLoader from "dataloader";
import type { RequestContext } from "../../kernel/request-context";
import type { Services } from "../../services/services";
import type { FactSource } from "../../entities/fact-source.entity";
import type { SourceSubject } from "../../services/fact-source.service";

const sourcesOf = (subject: SourceSubject) => ({ facts }: Services, ctx: RequestContext) => new DataLoader<number, FactSource[]>((pks) => facts.of(ctx, subject, pks));

/** Per-request batching of the sources of each kind of record. */
export const factSourceLoaders = {
  sourcesOfInstitution: sourcesOf("institution"),
  sourcesOfPerson: sourcesOf("person"),
  sourcesOfAccreditation: sourcesOf("accreditation"),
  sourcesOfPosition: sourcesOf("position"),
  sourcesOfQuote: sourcesOf("quote"),
};
