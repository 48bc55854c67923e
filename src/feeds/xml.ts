/** An element: its name, attributes (undefined and null ones left out) and children (elements or text). */
export interface XmlElement {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | number | null | undefined>>;
  readonly children?: ReadonlyArray<XmlElement | string | null | undefined | false>;
}

/** Characters XML 1.0 forbids anywhere (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF): dropped, not escaped (they cannot be). */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text as XML character data. */
export function escapeText(text: string): string {
  return text.replace(NOT_XML, "").replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };

/**
 * Text as a double-quoted attribute value: the predefined entities (some feed readers decode no
 * numeric references in attributes, which broke an image URL's `&`), and tabs and newlines as
 * references, since attribute normalisation would fold them.
 */
function escapeAttribute(text: string): string {
  return text.replace(NOT_XML, "").replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

/** Shorthand for an element. */
export function el(name: string, attrs: XmlElement["attrs"] = {}, ...children: NonNullable<XmlElement["children"]>): XmlElement {
  return { name, attrs, children };
}

function write(node: XmlElement, out: string[], depth: number): void {
  const pad = "  ".repeat(depth);
  let open = `<${node.name}`;
  for (const [key, value] of Object.entries(node.attrs ?? {})) if (value !== undefined && value !== null) open += ` ${key}="${escapeAttribute(String(value))}"`;
  const children = (node.children ?? []).filter((c): c is XmlElement | string => c !== null && c !== undefined && c !== false);
  if (children.length === 0) {
    out.push(`${pad}${open}/>`);
  } else if (children.every((c) => typeof c === "string")) {
    out.push(`${pad}${open}>${children.map((c) => escapeText(c as string)).join("")}</${node.name}>`);
  } else {
    out.push(`${pad}${open}>`);
    for (const child of children) {
      if (typeof child === "string") out.push(`${pad}  ${escapeText(child)}`);
      else write(child, out, depth + 1);
    }
    out.push(`${pad}</${node.name}>`);
  }
}

/** A whole document: the XML declaration (UTF-8) and the root, indented. */
export function xmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, out, 0);
  return `${out.join("\n")}\n`;
}
