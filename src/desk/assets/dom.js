// Building the desk's elements. Text is only ever set as text (a Text node, or an attribute's
// value): no string reaches an HTML parser, and the page's CSP (Trusted Types) would refuse one
// that did.

/**
 * An element: `h("a", { href: "#x", class: "link" }, "text", otherNode)`. Attributes: `class`,
 * `on` (event name → handler), `dataset` (object), and booleans/properties `hidden`, `disabled`,
 * `value`, `checked`, `selected`; everything else is set with setAttribute. Children: strings
 * (as text), nodes, null/false (skipped) and arrays of these.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "on") for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "class") element.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (name === "hidden" || name === "disabled" || name === "value" || name === "checked" || name === "selected") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Appends text and nodes (nested arrays flattened, null and false skipped). */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return parent;
}

/** Empties `parent` and fills it with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Text someone else wrote (a name, a title, a quote), isolated for bidirectional text so that a
 * right-to-left mark or override inside it cannot reorder what is around it.
 */
export function bdi(text, attributes = {}) {
  return h("bdi", attributes, text ?? "");
}

/** At most `max` characters of `text`, with an ellipsis when cut. */
export function excerpt(text, max = 120) {
  const chars = Array.from(text ?? "");
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** "1 quote", "2 quotes". */
export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
