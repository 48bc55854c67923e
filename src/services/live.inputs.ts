/*
 * What LiveService takes, as plain types. The API's GraphQL input types of the same names
 * implement them (api/live/live.inputs.ts): the service knows nothing of how a client spells
 * them.
 */

export interface ArticleSubscriptionFilter {
  institutionId?: string | null;
  personId?: string | null;
  tag?: string | null;
}
