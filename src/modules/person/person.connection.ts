import { connectionType } from "../../common/pagination";
import { Person } from "./person.entity";

export const PersonConnection = connectionType("Person", () => Person);
