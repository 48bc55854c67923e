/** A Vary value as Node holds it (`getHeader`) or as a layer adds to it. */
type VaryValue = string | number | readonly string[] | undefined;

/**
 * One `Vary` value naming every request header of `values` once (compared without case, the
 * first spelling kept; `*` alone when any says `*`). Each layer of a response names the headers
 * its part depends on (CORS: Origin; the GraphQL answer: Authorization, Accept), so a layer adds
 * to what is there and never sets Vary outright: a lost name lets a shared cache hand one
 * origin's answer, with that origin's CORS header, to another.
 */
export function mergeVary(...values: VaryValue[]): string {
  const names = new Map<string, string>();
  for (const value of values) {
    if (value === undefined) continue;
    for (const part of typeof value === "object" ? value : [String(value)]) {
      for (const spelled of part.split(",")) {
        const name = spelled.trim();
        if (name !== "" && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
      }
    }
  }
  return names.has("*") ? "*" : [...names.values()].join(", ");
}
