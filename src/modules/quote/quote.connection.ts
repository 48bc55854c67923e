import { connectionType } from "../../common/pagination";
import { Quote } from "./quote.entity";

export const QuoteConnection = connectionType("Quote", () => Quote);
