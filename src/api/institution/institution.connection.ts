import { connectionType } from "../connection";
import { Institution } from "../../entities/institution.entity";

export const InstitutionConnection = connectionType("Institution", () => Institution);
