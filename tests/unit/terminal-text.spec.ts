import fc from "fast-check";
import { terminalJson, terminalText } from "../../src/kernel/terminal-text";

/** Everything a terminal acts on instead of showing, as the escapes must leave none of it. */
const RAW = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Any text, leaning on the characters that matter here: the Latin-1 controls, backslashes, bidirectional controls. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
    fc.constantFrom("\\", "\u061c", "\u200e", "\u2028", "\u2029", "\u202e", "\u2066", "\u2069"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
});

/** The escapes read back, to show that each shown text stands for one text only. */
function unescape(shown: string): string {
  return shown.replace(/\\(\\|x([0-9a-f]{2})|u\{([0-9a-f]+)\})/g, (_, whole: string, byte?: string, code?: string) =>
    whole === "\\" ? "\\" : String.fromCodePoint(parseInt(byte ?? code!, 16)),
  );
}

describe("terminalText", () => {
  it("shows the controls of a forged line as escapes", () => {
    expect(terminalText("\x1b[2K\rpreviewed evil.txt\n")).toBe("\\x1b[2K\\x0dpreviewed evil.txt\\x0a");
  });

  it("escapes NUL, tab, DEL and C1 controls as \\xNN, and bidirectional controls and separators as \\u{…}", () => {
    expect(terminalText("a\x00b\tc\x7fd\x85e\x9bf")).toBe("a\\x00b\\x09c\\x7fd\\x85e\\x9bf");
    expect(terminalText("\u202aa\u202bb\u202cc\u202dd\u202ee")).toBe("\\u{202a}a\\u{202b}b\\u{202c}c\\u{202d}d\\u{202e}e");
    expect(terminalText("\u2066a\u2067b\u2068c\u2069")).toBe("\\u{2066}a\\u{2067}b\\u{2068}c\\u{2069}");
    expect(terminalText("\u061c\u200e\u200f\u2028\u2029")).toBe("\\u{061c}\\u{200e}\\u{200f}\\u{2028}\\u{2029}");
  });

  it("doubles a backslash, so a name spelling out an escape is told apart from the character", () => {
    expect(terminalText("a\\x1b.txt")).toBe("a\\\\x1b.txt");
    expect(terminalText("a\\x1b.txt")).not.toBe(terminalText("a\x1b.txt"));
  });

  it("leaves printable text alone: accents, scripts, emoji, spaces", () => {
    for (const text of ["/tmp/Berita Lapas Banyuwangi.txt", "Sürabaya – ‘kutip’", "عربي", "日本語", "🙂", "a\u00a0b"]) expect(terminalText(text)).toBe(text);
  });

  it("leaves nothing a terminal acts on, and reads back to the text it shows", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const shown = terminalText(text);
        expect(shown).not.toMatch(RAW);
        expect(unescape(shown)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("terminalJson", () => {
  it("parses to the same value and holds no raw control, bidirectional character or separator", () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, name) => {
        const input = { name, value };
        const json = terminalJson(input);
        // Its own line breaks between values aside.
        expect(json.replace(/\n/g, "")).not.toMatch(RAW);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(input)));
      }),
      { numRuns: 1000 },
    );
  });

  it("escapes DEL, C1 and bidirectional controls as \\uXXXX", () => {
    expect(terminalJson(["\x7f\x9b\u202e\u2028"])).toBe('[\n  "\\u007f\\u009b\\u202e\\u2028"\n]');
  });
});
