import { ROLES } from "./import.lexicon";
import type { PersonMention, TitlePhrase } from "./import.people";
import { firstAtLeast } from "./import.spans";
import { letterAt, phrases, wordsOf } from "./import.text";
import type { Span } from "./import.types";

/*
 * Who "-nya" (ujarnya, pungkasnya, "Ia menambahkan") stands for. A misattributed quote is the worst
 * error a newsroom can publish, so the answer is conservative: the person the story is speaking
 * about is the subject of the last sentence or quote that names one, in the quote's paragraph or
 * the one before it, with no other person, named or not ("seorang ibu", "orang tua", "petugas"),
 * mentioned since. Sentences about the same person ("Ia …", "Menurut dia, …") carry them on to
 * the next paragraph. Anything else leaves the speaker unsettled, and the quote is not stored.
 */

/** A sentence of the body, with the paragraph it stands in. */
export interface Sentence extends Span {
  paragraph: number;
}

/** Anyone the text speaks of without a name: "seorang ibu", "salah satu warga binaan". */
const UNNAMED = new RegExp(String.raw`(?<![\p{L}])(?:(?:salah\s+seorang|seorang|sebut\s+saja)\s+\p{L}|salah\s+satu\s+(?:${phrases(ROLES)})(?![\p{L}]))`, "giu");
/** People without names as a sentence's subject: "Petugas gabungan menggelar …", "Orang tua salah satu anak …", "Mereka …". */
const UNNAMED_SUBJECT = new RegExp(
  String.raw`^(?:para|sejumlah|beberapa|sang|pihak|keluarga|petugas|pegawai|penyidik|anggota|perwakilan|tokoh|ayah|anak|orang|mereka|keduanya|ketiganya|kami|kita|${phrases(ROLES)})(?![\p{L}])`,
  "iu",
);
/** The same person again as the subject: "Ia …", "Dia …", "Beliau …", "Menurut dia, …", "Menurutnya, …", "Dikatakannya, …". */
const SAME_SUBJECT = /^(?:ia|dia|beliau|menurut\s+(?:dia|beliau)|menurutnya|di\p{L}+kannya)(?![\p{L}])/iu;
/** Words between a sentence's opening and its subject that keep it the subject: "Menurut X", "Hal senada disampaikan X", "Kepala Rutan Kendari melalui X". */
const SUBJECT_AFTER = /(?:^|\s)(?:menurut|(?:di(?:sampaikan|ungkapkan|katakan|jelaskan|tegaskan|utarakan|tuturkan))(?:\s+(?:pula|juga))?(?:\s+oleh)?|melalui|diwakili(?:\s+oleh)?)$/iu;

type Referent = { person: number } | "someone";

export class SpeakerFocus {
  /** The person the story is speaking about, while `settled`; else why nobody is. */
  private person: number | null = null;
  private why = "the story names no one before it";
  private paragraph = -1;
  private next = 0;
  private nextMention = 0;
  private nextTitle = 0;
  private nextSkip = 0;

  /**
   * @param sentences every sentence of the body, in order
   * @param mentions the people named outside quotations and attributions, in order
   * @param titles the posts the text names, for where a mention's phrase begins ("Kepala Lapas Tuban, Agus Salim")
   * @param skip quotations and attributions, in order: they are read as the quotes they are, not as narration
   */
  constructor(
    private readonly body: string,
    private readonly sentences: readonly Sentence[],
    private readonly mentions: readonly PersonMention[],
    private readonly titles: readonly TitlePhrase[],
    private readonly skip: readonly Span[],
  ) {}

  /** Reads the narration of every sentence that ends before `at`. */
  advance(at: number): void {
    while (this.next < this.sentences.length && this.sentences[this.next]!.end <= at) this.read(this.sentences[this.next++]!);
  }

  /** A quote in `paragraph` was given to `speaker`, or to nobody the story names. */
  said(speaker: number | null, paragraph: number, why: string): void {
    this.person = speaker;
    this.paragraph = paragraph;
    if (speaker === null) this.why = why;
  }

  /** The speaker "-nya" stands for at a quote in `paragraph`, or why the text does not settle one. */
  speakerAt(paragraph: number): { speaker: number } | { why: string } {
    if (this.person !== null && this.paragraph >= paragraph - 1) return { speaker: this.person };
    return { why: this.person !== null ? "the last person spoken about is named more than a paragraph before it" : this.why };
  }

  private read(sentence: Sentence): void {
    const { body } = this;
    // The narration starts after a quotation (and its attribution) the sentence opens with.
    let start = sentence.start;
    while (this.nextSkip < this.skip.length && this.skip[this.nextSkip]!.end <= sentence.start) this.nextSkip++;
    for (let i = this.nextSkip; i < this.skip.length && this.skip[i]!.start < sentence.end; i++) {
      const s = this.skip[i]!;
      if (s.start > start && /\S/.test(body.slice(start, s.start).replace(/[\s,.;:!?”"’)]/g, ""))) break;
      start = Math.max(start, s.end);
    }
    while (start < sentence.end && /[\s,.;:!?”"’)]/.test(body[start]!)) start++;
    if (start >= sentence.end) return;

    const referents: Array<{ at: number; who: Referent }> = [];
    while (this.nextMention < this.mentions.length && this.mentions[this.nextMention]!.start < sentence.end) {
      const m = this.mentions[this.nextMention++]!;
      if (m.start < start || this.skipped(m.start)) continue;
      // A name written in its post's phrase stands where the phrase begins.
      while (this.nextTitle < this.titles.length && this.titles[this.nextTitle]!.end < m.end) this.nextTitle++;
      const title = this.titles[this.nextTitle];
      const phrase = title && title.start <= m.start && m.end <= title.end && title.start >= start ? title : undefined;
      referents.push({ at: phrase ? phrase.start : m.start, who: m.refs.length === 1 ? { person: m.refs[0]! } : "someone" });
    }
    const text = body.slice(start, sentence.end);
    const named = new Apposition(body, sentence.end, referents.map((r) => r.at).sort((a, b) => a - b));
    UNNAMED.lastIndex = 0;
    for (let u = UNNAMED.exec(text); u !== null; u = UNNAMED.exec(text)) {
      const at = start + u.index;
      if (this.skipped(at)) continue;
      // "Salah satu peserta, Dewi (34), …": the role and the name are one person.
      if (!named.after(at)) referents.push({ at, who: "someone" });
    }
    referents.sort((a, b) => a.at - b.at);

    const head = body.slice(start, referents[0]?.at ?? sentence.end).trim();
    // After an opening clause ("Dalam razia itu, petugas …").
    const opening = head.replace(/^[^,]*,\s*/, (m) => (wordsOf(m).length <= 6 ? "" : m));
    let rest = referents;
    if (referents.length > 0 && (head === "" || (head.endsWith(",") && wordsOf(head).length <= 6) || SUBJECT_AFTER.test(head))) {
      const subject = referents[0]!.who;
      if (subject === "someone") return this.lose(sentence, "a person the story does not name is spoken of just before it");
      this.person = subject.person;
      this.paragraph = sentence.paragraph;
      rest = referents.slice(1);
    } else if (SAME_SUBJECT.test(head) || SAME_SUBJECT.test(opening)) {
      if (this.person === null || this.paragraph < sentence.paragraph - 1) return this.lose(sentence, "the sentence before it speaks of 'ia'/'dia' without a person named just before");
      this.paragraph = sentence.paragraph;
    } else if (UNNAMED_SUBJECT.test(opening)) {
      return this.lose(sentence, "people the story does not name are spoken of just before it");
    }
    for (const r of rest) {
      if (r.who === "someone" || r.who.person !== this.person) {
        return this.lose(sentence, r.who === "someone" ? "a person the story does not name is spoken of just before it" : "another person is named between it and the last speaker");
      }
    }
  }

  private lose(sentence: Sentence, why: string): void {
    this.person = null;
    this.paragraph = sentence.paragraph;
    this.why = why;
  }

  /** Inside a quotation or an attribution (binary search: `skip` is in order and does not overlap). */
  private skipped(at: number): boolean {
    let lo = 0;
    let hi = this.skip.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.skip[mid]!;
      if (at < s.start) hi = mid - 1;
      else if (at >= s.end) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

/**
 * Whether a person named in the sentence stands in apposition to an unnamed one at `at`: at most
 * five words of letters, a comma, white space, then the name (`/^[\p{L}\s]*,\s*$/u` on the text
 * between, and wordsOf of it). Asked for every unnamed person of a sentence, left to right; the
 * stretch of letters and spaces after each is read once for all that fall in it (asked of every
 * name after every unnamed person, a long sentence of both was cubic).
 */
class Apposition {
  /** The stretch of letters and white space being read: where it ends, and where its words start. */
  private end = -1;
  private readonly wordStarts: number[] = [];

  /**
   * @param to the sentence's end: a comma there or after it stands before no name of the sentence
   * @param names where the named referents stand, in order
   */
  constructor(
    private readonly body: string,
    private readonly to: number,
    private readonly names: readonly number[],
  ) {}

  after(at: number): boolean {
    if (at > this.end) this.read(at);
    const body = this.body;
    const comma = this.end;
    if (comma >= this.to || body[comma] !== ",") return false;
    // Words of letters from `at` to the comma: wordsOf finds no other kind there.
    if (this.wordStarts.length - firstAtLeast(this.wordStarts, at, (s) => s) > 5) return false;
    let blank = comma + 1;
    while (blank < body.length && /\s/.test(body[blank]!)) blank++;
    const name = this.names[firstAtLeast(this.names, comma + 1, (n) => n)];
    return name !== undefined && name <= blank;
  }

  /** Reads the stretch of letters and white space from `at` (which is a letter's place). */
  private read(at: number): void {
    const body = this.body;
    this.wordStarts.length = 0;
    let i = at;
    let inWord = false;
    while (i < this.to) {
      const n = letterAt(body, i, this.to);
      if (n > 0) {
        if (!inWord) this.wordStarts.push(i);
        inWord = true;
        i += n;
      } else if (/\s/.test(body[i]!)) {
        inWord = false;
        i++;
      } else break;
    }
    this.end = i;
  }
}
