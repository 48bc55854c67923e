// A stored record as this token reads it through the API: the story an import made, or the
// institution or person a preview links. Read-only; corrections go through the import's choices
// or the API's own mutations.
import { ARTICLE, INSTITUTION, PERSON } from "./api.js";
import { bdi, h } from "./dom.js";

const back = () => h("p", {}, h("a", { href: "#import" }, "← Back to the import"));

function heading(text) {
  return h("h2", { tabindex: "-1", class: "record-title" }, bdi(text));
}

function sources(list) {
  if (!list || list.length === 0) return h("p", { class: "none" }, "No sources recorded.");
  return h(
    "ul",
    { class: "plain sources" },
    list.map((s) =>
      h(
        "li",
        {},
        h("span", { class: "badge" }, s.fact),
        " ",
        s.value ? [bdi(s.value), " "] : null,
        s.direct ? "entered by an editor" : s.article ? h("a", { href: `#article/${encodeURIComponent(s.article.slug)}` }, bdi(s.article.title)) : bdi(s.articleTitle ?? "a deleted story"),
        s.proposed ? h("span", { class: "badge badge-PROPOSED" }, "proposed") : null,
        s.withdrawn ? h("span", { class: "badge badge-DROPPED" }, "withdrawn") : null,
        s.disputed ? h("span", { class: "badge badge-CONFLICT" }, "disputed") : null,
        s.excerpt ? h("blockquote", {}, bdi(s.excerpt)) : null,
      ),
    ),
  );
}

/** The view of `#article/<slug>`, `#institution/<id>` or `#person/<id>`. */
export async function recordView(call, kind, key) {
  if (kind === "article") {
    const { article } = await call(ARTICLE, "DeskArticle", { slug: key });
    if (!article) return [heading("No such story"), h("p", {}, "No story has that address, or this token may not read it."), back()];
    return [
      heading(article.title),
      h("p", { class: "detail" }, h("span", { class: `badge badge-${article.status}` }, article.status), " ", h("code", {}, article.id), article.dateline ? [" · ", bdi(article.dateline)] : null, article.source ? [" · ", bdi(article.source)] : null),
      h("h3", {}, "Body"),
      h("div", { class: "story" }, article.paragraphs.map((p) => h("p", { class: "para" }, p))),
      h("h3", {}, `Quotes (${article.quotes.length})`),
      h(
        "ol",
        { class: "entries" },
        article.quotes.map((q) =>
          h(
            "li",
            { class: "entry stored-quote" },
            h("q", {}, bdi(q.text)),
            h("p", { class: "detail" }, "— ", h("a", { href: `#person/${encodeURIComponent(q.speaker.id)}`, class: "speaker" }, bdi(q.speaker.name)), q.institution ? [", ", bdi(q.institution.name)] : null, q.attribution ? [" (", bdi(q.attribution), ")"] : null),
          ),
        ),
      ),
      h("h3", {}, "Institutions and people"),
      h("ul", { class: "plain" }, [
        ...article.institutions.map((i) => h("li", {}, h("a", { href: `#institution/${encodeURIComponent(i.id)}` }, bdi(i.name)))),
        ...article.people.map((p) => h("li", {}, h("a", { href: `#person/${encodeURIComponent(p.id)}` }, bdi(p.name)))),
      ]),
      back(),
    ];
  }
  if (kind === "institution") {
    const { institution: i } = await call(INSTITUTION, "DeskInstitution", { id: key });
    if (!i) return [heading("No such institution"), back()];
    return [
      heading(i.name),
      h("p", { class: "detail" }, h("code", {}, i.id), " · ", [i.kind, i.shortName, i.classification && `class ${i.classification}`, i.city, i.province].filter(Boolean).join(" · ")),
      i.parent ? h("p", {}, "Under ", h("a", { href: `#institution/${encodeURIComponent(i.parent.id)}` }, bdi(i.parent.name))) : null,
      h("h3", {}, "Accreditations"),
      i.accreditations.length ? h("ul", { class: "plain" }, i.accreditations.map((a) => h("li", {}, `${a.code} ${a.year} (${a.title})`))) : h("p", { class: "none" }, "None."),
      h("h3", {}, "Posts"),
      i.positions.length
        ? h("ul", { class: "plain" }, i.positions.map((p) => h("li", {}, bdi(p.title), p.current ? "" : " (former)", ": ", h("a", { href: `#person/${encodeURIComponent(p.person.id)}` }, bdi(p.person.name)))))
        : h("p", { class: "none" }, "None."),
      h("h3", {}, "Sources"),
      sources(i.sources),
      back(),
    ];
  }
  const { person: p } = await call(PERSON, "DeskPerson", { id: key });
  if (!p) return [heading("No such person"), back()];
  return [
    heading(p.name),
    h("p", { class: "detail" }, h("code", {}, p.id)),
    h("h3", {}, "Posts"),
    p.positions.length
      ? h("ul", { class: "plain" }, p.positions.map((x) => h("li", {}, bdi(x.title), x.current ? "" : " (former)", " of ", h("a", { href: `#institution/${encodeURIComponent(x.institution.id)}` }, bdi(x.institution.name)))))
      : h("p", { class: "none" }, "None."),
    h("h3", {}, "Quotes"),
    p.quotes.nodes.length
      ? h("ul", { class: "plain" }, p.quotes.nodes.map((q) => h("li", {}, h("q", {}, bdi(q.text)), " — ", h("a", { href: `#article/${encodeURIComponent(q.article.slug)}` }, bdi(q.article.title)))))
      : h("p", { class: "none" }, "None."),
    h("h3", {}, "Sources"),
    sources(p.sources),
    back(),
  ];
}
