import fs from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";

/**
 * The sitemaps.org schema (sitemap.xsd), as the `sitemap` npm package ships it (schema/sitemap.xsd
 * of sitemap 9.0.1). The sitemap index schema and Google's News sitemap schema are not in any
 * npm package we found, and this machine reaches no other web site: those two are checked
 * element by element against the published rules in the tests instead.
 */
const SITEMAP_XSD = fs.readFileSync(path.join(__dirname, "..", "fixtures", "schemas", "sitemap.xsd"), "utf8");

/** libxml2's complaints about a document (well-formedness and, with a schema, validity); empty when it has none. */
export async function xmlErrors(xml: string, schema: "sitemap" | null = null): Promise<string[]> {
  const input = { fileName: "document.xml", contents: xml };
  const result = schema === null ? await validateXML({ xml: input, normalization: "format" }) : await validateXML({ xml: input, schema: { fileName: "sitemap.xsd", contents: SITEMAP_XSD } });
  return result.errors.map((e) => e.rawMessage);
}
