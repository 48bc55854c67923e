/**
 * What an institution is. Plain data, here rather than beside the entity: the importer's reading
 * (which runs in worker threads, src/services/import/import.worker.ts) needs the kinds, and the
 * entity's module would load TypeORM and type-graphql into every worker.
 */
export enum InstitutionKind {
  LAPAS = "LAPAS",
  RUTAN = "RUTAN",
  LPKA = "LPKA",
  BAPAS = "BAPAS",
  KANWIL = "KANWIL",
  DITJEN = "DITJEN",
  MINISTRY = "MINISTRY",
  OTHER = "OTHER",
}
