import { connectionType } from "../connection";
import { Quote } from "../../entities/quote.entity";

export const QuoteConnection = connectionType("Quote", () => Quote);
