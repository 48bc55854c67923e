import { connectionType } from "../connection";
import { Person } from "../../entities/person.entity";

export const PersonConnection = connectionType("Person", () => Person);
