import { connectionType } from "../../common/pagination";
import { Institution } from "./institution.entity";

export const InstitutionConnection = connectionType("Institution", () => Institution);
