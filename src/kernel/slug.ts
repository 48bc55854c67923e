/**
 * A URL slug from Indonesian (or any Latin-script) text: letters folded to lowercase ASCII,
 * everything else collapsed to single hyphens, e.g. "Lapas Kelas IIA Banyuwangi" → "lapas-kelas-iia-banyuwangi".
 */
export function slugify(text: string, maxLength = 200): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, maxLength).replace(/-+$/, "");
}
