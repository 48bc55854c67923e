/** Paragraphs of a plain-text body: separated by one or more blank lines, trimmed, none empty. */
export function splitParagraphs(body: string): string[] {
  return body
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
