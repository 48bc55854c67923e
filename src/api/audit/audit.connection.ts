import { connectionType } from "../connection";
import { AuditEntry } from "../../entities/audit.entity";

export const AuditEntryConnection = connectionType("AuditEntry", () => AuditEntry);
