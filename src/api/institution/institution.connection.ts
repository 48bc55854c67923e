import { connectionType } from "../../db/pagination";
import { Institution } from "../../entities/institution.entity";

export const InstitutionConnection = connectionType("Institution", () => Institution);
