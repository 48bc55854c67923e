import { connectionType } from "../../db/pagination";
import { Person } from "../../entities/person.entity";

export const PersonConnection = connectionType("Person", () => Person);
