/*
 * What QuoteService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/quote/quote.inputs.ts): the service knows nothing of how a client spells
 * them.
 */

export interface QuoteFilter {
  speakerId?: string | null;
  institutionId?: string | null;
  articleId?: string | null;
  search?: string | null;
}

export interface AddQuoteInput {
  articleId: string;
  speakerId: string;
  institutionId?: string | null;
  text: string;
  attribution?: string | null;
  position?: number | null;
}
