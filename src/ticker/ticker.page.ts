/** The URL filters of the ticker page, each a slug, and the `<newsroom-ticker>` attributes they become. */
export const TICKER_FILTERS = ["institution", "tag", "person"] as const;

export type TickerFilters = Partial<Record<(typeof TICKER_FILTERS)[number], string>>;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The ticker page: the `<newsroom-ticker>` element, filtered as the URL says, with nothing inline
 * (the page's CSP allows scripts and styles from this server only). Paths start at `base`, the
 * router's mount point.
 */
export function renderTickerPage(options: { base: string; filters: TickerFilters }): string {
  const attributes = TICKER_FILTERS.filter((name) => options.filters[name] !== undefined)
    .map((name) => ` ${name}="${escapeHtml(options.filters[name]!)}"`)
    .join("");
  const base = escapeHtml(options.base);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Latest news</title>
<link rel="stylesheet" href="${base}/live/ticker.css">
<script src="${base}/live/ticker.js" defer></script>
</head>
<body>
<main>
<h1>Latest news</h1>
<newsroom-ticker${attributes}></newsroom-ticker>
</main>
</body>
</html>
`;
}
