/** Slug of the seed story (`src/services/seed/seed-article.txt`), which every fresh database holds. */
export const SEED_STORY_SLUG = "sukses-raih-predikat-wbk-lapas-banyuwangi-jadi-rujukan-studi-tiru-lapas-bojonegoro";

/**
 * What the playground's editor shows on a first visit: the seed story with its institutions and
 * quotes, so that pressing Run answers something meaningful on any fresh install.
 */
export const DEFAULT_PLAYGROUND_QUERY = `# Newsroom GraphQL playground. Run (Ctrl-Enter) fetches
# the seed story; reading needs no token.
#
# For editorial work, put your token in the Headers tab:
#   { "Authorization": "Bearer <token>" }
# Subscriptions run over graphql-ws on this same URL.

query SeedStory {
  article(slug: "${SEED_STORY_SLUG}") {
    title
    dateline
    source
    institutions {
      name
      shortName
    }
    quotes {
      text
      attribution
      speaker {
        name
      }
    }
  }
}
`;

/**
 * What the headers editor shows on a first visit. Only comments (the editor reads JSON with
 * comments), so a first visit stays anonymous instead of sending a placeholder token that the
 * server could only refuse.
 */
export const DEFAULT_PLAYGROUND_HEADERS = `{
  // Uncomment and paste your token to act as its role:
  // "Authorization": "Bearer <token>"
}
`;
