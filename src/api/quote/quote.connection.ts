import { connectionType } from "../../db/pagination";
import { Quote } from "../../entities/quote.entity";

export const QuoteConnection = connectionType("Quote", () => Quote);
