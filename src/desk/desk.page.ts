function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The desk's page: its frame only, the same for everyone (no token, no story is in it); desk.js
 * fills it in. Nothing inline (the CSP allows this server's files only); the GraphQL endpoint is
 * handed over in a meta element. Paths start at `base`, the router's mount point.
 */
export function renderDeskPage(options: { base: string; endpoint: string }): string {
  const base = escapeHtml(options.base);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="newsroom-endpoint" content="${escapeHtml(options.endpoint)}">
<title>Editor's desk</title>
<link rel="stylesheet" href="${base}/desk/desk.css">
<script type="module" src="${base}/desk/desk.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to the desk</a>
<header class="top">
<h1>Editor's desk</h1>
<nav aria-label="Desk" id="nav" hidden>
<a href="#import">Import a story</a>
<a href="#conflicts">Conflicts</a>
</nav>
<p id="who" class="who" hidden></p>
</header>
<main id="main" tabindex="-1">
<noscript><p>The desk needs JavaScript: it runs in this page and talks to the API with your token.</p></noscript>
<p id="notice" class="notice" role="alert" hidden></p>
<section id="signin" class="signin" aria-labelledby="signin-title" hidden>
<h2 id="signin-title">Sign in</h2>
<p>Give an EDITOR or ADMIN API token (<code>npm run token -- create --role EDITOR</code> on the server, or <code>createApiToken</code> as an admin). It stays in this tab only, until you sign out or close it.</p>
<form id="signin-form">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
<button type="submit">Sign in</button>
</form>
</section>
<div id="view"></div>
</main>
</body>
</html>
`;
}
