/**
 * What a terminal would act on instead of showing: control characters (C0, DEL, C1: cursor
 * moves, line clears, colours, carriage return, new lines), the bidirectional controls (which
 * reorder what is shown around them) and the line and paragraph separators.
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, "0");
}

/**
 * Text from outside (a file name, a message quoting a story) made safe to write on a terminal:
 * each character a terminal would act on is shown as an escape, `\x1b` up to U+00FF and
 * `\u{202e}` above, so the text can neither forge a line nor restyle or reorder what is around it.
 * A backslash is doubled, so an escape shown always stands for the character and never for a
 * name that spells it out.
 */
export function terminalText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(UNSAFE, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`;
  });
}

// The C0 controls left after JSON.stringify are its own line breaks between values.
const UNSAFE_IN_JSON = /[\x7f-\x9f\p{Bidi_Control}\u2028\u2029]/gu;

/**
 * JSON of `value` that is safe on a terminal too: JSON.stringify escapes C0 controls but leaves
 * DEL, C1 controls, bidirectional controls and the separators raw. These can stand only inside
 * strings, where `\uXXXX` is the same character, so the JSON still parses to the same value.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
}
