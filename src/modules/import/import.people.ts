import type { InstitutionKind } from "../institution/institution.entity";
import type { InstitutionMention, InstitutionReading } from "./import.institutions";
import { FORMER, HONORIFICS, KANWIL_FORM, LOWER_POSTS, NOT_PLACES, ORGANISATIONS, POST_WORDS, RANK, UNDOTTED_DEGREES, UNIT_KINDS } from "./import.lexicon";
import type { OrganisationForm } from "./import.lexicon";
import { BodyRuns, findPhrases } from "./import.occurrences";
import { byStart, Coverage, firstAtLeast, FirstCover } from "./import.spans";
import { isNameWord, phrases, wordsOf } from "./import.text";
import type { Word } from "./import.text";
import type { ExtractedInstitution, ExtractedPerson, ImportWarning, Mention, Span } from "./import.types";

/** A post as the text writes it: title, where, and whose name follows (if any). */
export interface TitlePhrase extends Span {
  title: string;
  institution: number | null;
  current: boolean;
  /** The holder named right after the title, if the text names one there. */
  person: number | null;
}

/** A mention of people: one ref when it is clear, several when a short name fits more than one. */
export interface PersonMention extends Mention {
  refs: number[];
  how: "name" | "short" | "title";
}

/** Capitalised words that are not names: sentence words, pronouns, titles, kinds, days. */
const NOT_NAMES = new Set([
  ...NOT_PLACES,
  "Ia", "Dia", "Beliau", "Mereka", "Kami", "Kita", "Saya", "Pihaknya", "Pihak", "Menurut", "Sementara", "Selain", "Namun", "Tim", "Rombongan",
  "Petugas", "Warga", "Lapas", "Rutan", "LPKA", "Bapas", "Kanwil", "Kalapas", "Karutan", "Kabapas", "Kakanwil", "Kepala", "Ketua", "Wakil",
  "Sekretaris", "Direktur", "Menteri", "Bapak", "Ibu", "Pak", "Bu", "Hal", "Tahun", "Bulan", "Selama", "Saat", "Ketika", "Usai", "Setelah",
  "Sebelum", "Kegiatan", "Kunjungan", "Acara", "Program", "Para", "Seluruh", "Sejumlah", "Lembaga", "Rumah", "Balai", "Kantor", "Kementerian",
  "Direktorat", "Ditjenpas", "Kemenkumham", "Kemenimipas", "Zona", "Integritas", "Wilayah", "Pembimbing", "Kasi", "Kasubsi",
]);

const HEAD_ABBREVIATIONS = [...UNIT_KINDS, KANWIL_FORM].flatMap((k) => k.headAbbreviations.map((word) => ({ word, form: k })));
const TITLE_START = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${phrases([
    "Kepala",
    ...HEAD_ABBREVIATIONS.map((h) => h.word),
    ...LOWER_POSTS.flatMap((p) => p.forms),
    ...ORGANISATIONS.flatMap((o) => o.headForms),
  ])})(?![\p{L}\p{N}])`,
  "gu",
);
// The title's forms as rules, made once: made per title, their compiling showed in profiles.
const ORGANISATION_HEADS = ORGANISATIONS.map((org) => ({ org, forms: org.headForms.map((f) => new RegExp(`^${phrases([f])}$`, "u")), named: new RegExp(`^(?:${phrases([...org.full, ...org.abbreviations])})`, "u") }));
const LOWER_POST_FORMS = LOWER_POSTS.map((post) => ({ post, forms: post.forms.map((f) => new RegExp(`^${phrases([f])}$`, "u")) }));
const KIND_WORDS_AFTER_HEAD = [...UNIT_KINDS, KANWIL_FORM].map((form) => ({ form, rule: new RegExp(String.raw`^(?:${phrases([...form.full, ...form.abbreviations])})(?![\p{L}])`, "u") }));

/** The people of one story: read from posts, added from attributions, then found wherever they are named again. */
export class PeopleBook {
  readonly people: ExtractedPerson[] = [];
  readonly titles: TitlePhrase[] = [];
  mentions: PersonMention[] = [];
  readonly warnings: ImportWarning[] = [];
  /** Where a person's name is written out in a title phrase or attribution (not to be read again as a short name). */
  private readonly named: Array<Span & { ref: number }> = [];
  /*
   * Indexes over the people, the quotations and the institutions' mentions: each question below was
   * a scan over all of them, once per title or name, which made the reading quadratic in the text.
   */
  private readonly byKey = new Map<string, ExtractedPerson>();
  /** People by each word of their name (refs ascending). */
  private readonly byWord = new Map<string, number[]>();
  private readonly quoted: Coverage;
  private readonly unclear: FirstCover<Span>;
  private readonly mentionAt: Map<number, InstitutionMention>;
  /** Where the words after a lower post's title end, from each place they were read from (see {@link postRun}). */
  private readonly postRuns = new Map<number, { end: number; institution: number | null }>();
  private readonly organisationNamed = new Map<OrganisationForm, ExtractedInstitution | undefined>();

  constructor(
    private readonly body: string,
    private readonly institutions: InstitutionReading,
    quoted: readonly Span[],
  ) {
    this.quoted = new Coverage(body.length, quoted);
    this.unclear = new FirstCover(body.length, institutions.unclear);
    this.mentionAt = byStart(institutions.mentions);
    this.readTitles();
  }

  /** The person named `name` (as written, without degrees), created when new. */
  add(name: string, at: Span): number {
    const key = nameKey(name);
    let person = this.byKey.get(key);
    if (!person) {
      person = { ref: this.people.length, name, positions: [], mentions: [] };
      this.people.push(person);
      this.byKey.set(key, person);
      for (const word of new Set(key.split(" "))) (this.byWord.get(word) ?? this.byWord.set(word, []).get(word)!).push(person.ref);
    }
    this.named.push({ ...at, ref: person.ref });
    return person.ref;
  }

  /** Whether a written name is someone's already: their full name, or words of it (a short name). */
  knows(name: string): boolean {
    const key = nameKey(name);
    return this.byKey.has(key) || this.sharingWords(key.split(" ")).some((ref) => this.hasWords(ref, key.split(" ")));
  }

  /** The people with the rarest of `words` in their name: the only ones who can have them all. */
  private sharingWords(words: readonly string[]): number[] {
    let fewest: number[] | undefined;
    for (const word of words) {
      const refs = this.byWord.get(word) ?? [];
      if (!fewest || refs.length < fewest.length) fewest = refs;
    }
    return fewest ?? [];
  }

  private hasWords(ref: number, words: readonly string[]): boolean {
    const own = nameKey(this.people[ref]!.name).split(" ");
    return words.every((w) => own.includes(w));
  }

  /** Finds every mention of the people now known: full names, short names, and posts standing for their one holder. */
  finish(): void {
    const found: PersonMention[] = [];
    const taken = new Coverage(this.body.length, this.institutions.mentions.filter((m) => m.headTitle === null));
    for (const n of this.named) {
      found.push({ start: n.start, end: n.end, text: this.body.slice(n.start, n.end), refs: [n.ref], how: "name" });
      taken.add(n);
    }
    // Every person's full name, all found in one pass over the body.
    const runs = new BodyRuns(this.body);
    const written = findPhrases(runs, this.people.map((p) => runs.phrase(p.name)));
    for (const person of this.people) {
      for (const s of written[person.ref]!) {
        if (taken.overlaps(s)) continue;
        found.push({ ...s, text: this.body.slice(s.start, s.end), refs: [person.ref], how: "name" });
        taken.add(s);
      }
    }
    // Short names: one word of a known name, standing alone ("tegas Wayan").
    const byWord = new Map<string, Set<number>>();
    for (const person of this.people) {
      for (const w of person.name.split(/\s+/)) if (w.length >= 3 && isNameWord(w)) (byWord.get(w) ?? byWord.set(w, new Set()).get(w)!).add(person.ref);
    }
    for (const w of wordsOf(this.body)) {
      const refs = byWord.get(w.text);
      if (!refs || taken.overlaps(w) || commonWordHere(this.body, w)) continue;
      found.push({ start: w.start, end: w.end, text: w.text, refs: [...refs], how: "short" });
    }
    // Holders of each post, by title and by title at an institution (refs ascending). A list is
    // shared by every mention of its post (nothing changes them): a copy each would grow as posts times holders.
    const holdersOf = new Map<string, number[]>();
    for (const person of this.people) {
      for (const pos of person.positions) {
        for (const key of [pos.title, `${pos.title}\u0000${pos.institution}`]) {
          const list = holdersOf.get(key) ?? holdersOf.set(key, []).get(key)!;
          if (list[list.length - 1] !== person.ref) list.push(person.ref);
        }
      }
    }
    for (const t of this.titles) {
      if (t.person !== null) continue;
      const holders = holdersOf.get(t.institution === null ? t.title : `${t.title}\u0000${t.institution}`) ?? [];
      if (holders.length > 0) found.push({ start: t.start, end: t.end, text: this.body.slice(t.start, t.end), refs: holders, how: "title" });
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    this.mentions = found;
    for (const m of found) if (m.refs.length === 1) this.people[m.refs[0]!]!.mentions.push({ start: m.start, end: m.end, text: m.text });
  }

  /** Posts: "Kepala Lapas Bojonegoro, Hari Winarca", "Kalapas Banyuwangi I Wayan …", "Kasi Binadik Lapas X, Nama", "Dirjenpas Nama". */
  private readTitles(): void {
    const body = this.body;
    const pending: Array<{ ref: number; phrase: TitlePhrase }> = [];
    let from = 0;
    TITLE_START.lastIndex = 0;
    for (let m = TITLE_START.exec(body); m !== null; m = TITLE_START.exec(body)) {
      if (m.index < from || this.quoted.covers(m.index)) continue;
      const phrase = this.readTitle(m.index, m[0]);
      if (!phrase) continue;
      const former = wordsOf(body, Math.max(0, m.index - 12), m.index).slice(-1).some((w) => FORMER.has(w.text.toLowerCase()));
      const title: TitlePhrase = { start: m.index, end: phrase.end, title: phrase.title, institution: phrase.institution, current: !former, person: null };
      // The holder: named right after the title, after "kini diisi", or before "kini menjabat".
      const filled = /^\s*(?:kini\s+|sekarang\s+)?(?:diisi|dijabat|dipegang|diemban)\s+(?:oleh\s+)?/u.exec(body.slice(phrase.end));
      const name = readName(body, phrase.end + (filled ? filled[0].length : 0));
      const unclear = name ? this.unclear.at(name.span.start) : undefined;
      if (unclear) {
        // The institution reader could not tell the place from the name here, and said so.
        from = unclear.end;
        TITLE_START.lastIndex = unclear.end;
        continue;
      }
      const holder = name ? null : this.heldBy(m.index);
      if (holder !== null) {
        title.person = holder;
        if (title.institution !== null) this.assign(holder, title);
      } else if (name) {
        title.person = this.add(name.name, name.span);
        title.end = name.span.end;
        if (title.institution === null) title.institution = this.ledBy(m.index);
        if (title.institution !== null) this.assign(title.person, title);
        else pending.push({ ref: title.person, phrase: title });
      }
      this.titles.push(title);
      from = title.end;
      TITLE_START.lastIndex = title.end;
    }
    // A post named once without its institution is the same post the text gives in full elsewhere.
    for (const { ref, phrase } of pending) {
      const person = this.people[ref]!;
      const same = person.positions.filter((p) => p.title === phrase.title);
      if (same.length === 1) phrase.institution = same[0]!.institution;
      else if (same.length === 0) {
        this.warnings.push({ code: "DROPPED", message: `${person.name} is called ${phrase.title}, but the text does not say of which institution; the post is not stored.`, span: { start: phrase.start, end: phrase.end } });
      }
    }
  }

  /**
   * "Kepala Kantor Wilayah Rutan Pamekasan", "Kakanwil Lapas Tuban": a head's title of one kind straight before a unit
   * of another is no post the text states (whose head? of which office?). Reported; no post or person is read from it.
   */
  private misjoined(title: string, kind: InstitutionKind, at: number, after: number): boolean {
    const gap = /^\s+/.exec(this.body.slice(after));
    if (!gap) return false;
    const first = this.mentionAt.get(after + gap[0].length);
    const next = first && first.headTitle === null ? first : undefined;
    if (!next || next.kind === kind || RANK[next.kind] !== 0) return false;
    this.warnings.push({
      code: "DROPPED",
      message: `'${this.body.slice(at, next.end)}' puts the title ${title} before ${next.text}, which is no office of that kind; neither a post nor a person is read from it.`,
      span: { start: at, end: next.end },
    });
    return true;
  }

  private assign(ref: number, phrase: TitlePhrase): void {
    const person = this.people[ref]!;
    if (person.positions.some((p) => p.title === phrase.title && p.institution === phrase.institution)) return;
    person.positions.push({ title: phrase.title, institution: phrase.institution!, current: phrase.current, span: { start: phrase.start, end: phrase.end } });
  }

  /** "Joko Susilo, kini menjabat Kepala Lapas Lamongan": the person just named holds the post that follows. */
  private heldBy(at: number): number | null {
    let i = this.named.length - 1;
    while (i >= 0 && this.named[i]!.end > at) i--;
    const last = this.named[i];
    if (!last) return null;
    return /^,?\s*(?:yang\s+)?(?:kini\s+|sekarang\s+|saat\s+ini\s+)?(?:menjabat(?:\s+sebagai)?|sebagai|selaku)\s+$/u.test(this.body.slice(last.end, at)) ? last.ref : null;
  }

  /** "Lapas Banyuwangi yang dipimpin Kalapas …": the institution led by the person of this post. */
  private ledBy(at: number): number | null {
    const before = this.body.slice(Math.max(0, at - 40), at);
    const m = /(?:,\s*)?(?:yang\s+)?dipimpin\s+(?:langsung\s+)?(?:oleh\s+)?$/u.exec(before);
    if (!m) return null;
    const end = at - (before.length - m.index);
    // The mention that ends at `end`, or where only white space stands between it and `end` (mentions are in order and apart, so ordered by end too).
    let blank = end;
    while (blank > 0 && /\s/.test(this.body[blank - 1]!)) blank--;
    const mentions = this.institutions.mentions;
    const candidate = mentions[firstAtLeast(mentions, blank, (i) => i.end)];
    const led = candidate && candidate.end <= end ? candidate : undefined;
    return led && led.headTitle === null ? led.ref : null;
  }

  /** The title at `at`, expanded (Kalapas → Kepala Lapas), with its institution and where the name may start. */
  private readTitle(at: number, word: string): { title: string; institution: number | null; end: number } | null {
    const body = this.body;

    const head = HEAD_ABBREVIATIONS.find((h) => h.word === word);
    if (head) {
      const own = this.mentionAt.get(at);
      if (own) return { title: head.form.headTitle, institution: own.ref, end: skipAfterTitle(body, own.end) };
      if (this.misjoined(head.form.headTitle, head.form.kind, at, at + word.length)) return null;
      return { title: head.form.headTitle, institution: null, end: skipAfterTitle(body, at + word.length) };
    }

    const orgHead = ORGANISATION_HEADS.find((o) => o.forms.some((f) => f.test(word)));
    if (orgHead) {
      const org = orgHead.org;
      // The same for every title of the organisation: looked for once.
      if (!this.organisationNamed.has(org)) this.organisationNamed.set(org, this.institutions.institutions.find((i) => i.mentions.some((mm) => orgHead.named.test(mm.text))));
      const inst = this.organisationNamed.get(org);
      const end = skipAfterTitle(body, at + word.length);
      if (!inst) {
        this.warnings.push({ code: "DROPPED", message: `'${word}' is ${org.headTitle}, but the text names no ${org.full[0]} as an institution; the post is not stored.`, span: { start: at, end: at + word.length } });
      }
      return { title: org.headTitle, institution: inst ? inst.ref : null, end };
    }

    const post = LOWER_POST_FORMS.find((p) => p.forms.some((f) => f.test(word)))?.post;
    if (post) return this.readLowerPost(at, word, post.title);

    // "Kepala" then a unit or a Kanwil: the head of it.
    const gap = /^\s+/.exec(body.slice(at + word.length));
    if (!gap) return null;
    const next = at + word.length + gap[0].length;
    const inst = this.mentionAt.get(next);
    if (inst && inst.headTitle === null) {
      const form = [...UNIT_KINDS, KANWIL_FORM].find((k) => k.kind === inst.kind);
      if (form) return { title: form.headTitle, institution: inst.ref, end: skipAfterTitle(body, inst.end) };
    }
    // "Kepala Lapas Hari Winarca": a kind word with no place after it.
    for (const { form, rule } of KIND_WORDS_AFTER_HEAD) {
      const kind = rule.exec(body.slice(next));
      if (!kind) continue;
      if (this.misjoined(form.headTitle, form.kind, at, next + kind[0].length)) return null;
      return { title: form.headTitle, institution: null, end: skipAfterTitle(body, next + kind[0].length) };
    }
    return null;
  }

  /**
   * "Kepala Seksi Pembinaan (Binadik) Lapas Banyuwangi, Nama": the post's own capitalised words run
   * to its institution, or to a comma before a name; with neither, they are the words a post is
   * named with (POST_WORDS) and the holder's name starts at the first other word ("Kasi Binadik Budi Santoso").
   */
  private readLowerPost(at: number, word: string, title: string): { title: string; institution: number | null; end: number } {
    const body = this.body;
    const run = this.postRun(at + word.length);
    const institution = run.institution;
    let pos = run.end;
    const nameAfterComma = institution === null && /^\s*,/.test(body.slice(pos)) && readName(body, skipAfterTitle(body, pos)) !== null;
    // Unless an institution or a comma and a name end the words, they are cut at the first one a
    // post is not named with, and read only that far (to the end, the run was read once in postRun).
    const whole = institution !== null || nameAfterComma;
    const words = this.postWords(at + word.length, !whole);
    let kept = words;
    if (!whole) {
      const cut = words.findIndex((w) => !isPostWord(w));
      if (cut !== -1) {
        kept = words.slice(0, cut);
        pos = cut === 0 ? at + word.length : kept[kept.length - 1]!.end;
      }
    }
    while (kept.length > 0 && /^(?:dan|&)$/.test(kept[kept.length - 1]!.text)) kept = kept.slice(0, -1);
    const tail = kept.length ? body.slice(kept[0]!.start, kept[kept.length - 1]!.end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ") : "";
    return { title: tail ? `${title} ${tail}` : title, institution, end: skipAfterTitle(body, pos) };
  }

  /** One step over a lower post's words from `pos`: past a bracket, onto the institution that ends them, or over a capitalised word; null where they end. */
  private postStep(pos: number): { pos: number; word?: Word; institution?: number } | null {
    const body = this.body;
    const bracket = /^\s*\([^()]{1,40}\)/.exec(body.slice(pos));
    if (bracket) return { pos: pos + bracket[0].length };
    const gap = /^[ \t]+/.exec(body.slice(pos));
    if (!gap) return null;
    const at = pos + gap[0].length;
    const inst = this.mentionAt.get(at);
    if (inst && inst.headTitle === null) return { pos: inst.end, institution: inst.ref };
    const w = wordsOf(body, at, Math.min(body.length, at + 60), 1)[0];
    if (!w || w.start !== at || !(/^\p{Lu}/u.test(w.text) || /^(?:dan|&)$/.test(w.text))) return null;
    return { pos: w.end, word: w };
  }

  /**
   * Where the words from `start` end, and the institution that ends them. Remembered for every
   * place on the way: a title inside a run of capitalised words reads the rest of that same run,
   * and each title of a long run walking it to its end again was quadratic.
   */
  private postRun(start: number): { end: number; institution: number | null } {
    const visited: number[] = [];
    let pos = start;
    let run = this.postRuns.get(pos);
    while (!run) {
      visited.push(pos);
      const step = this.postStep(pos);
      if (!step) run = { end: pos, institution: null };
      else if (step.institution !== undefined) run = { end: step.pos, institution: step.institution };
      else {
        pos = step.pos;
        run = this.postRuns.get(pos);
      }
    }
    for (const at of visited) this.postRuns.set(at, run);
    return run;
  }

  /** The words from `start`, up to the first one a post is not named with when `untilOther`. */
  private postWords(start: number, untilOther: boolean): Word[] {
    const words: Word[] = [];
    for (let step = this.postStep(start); step && step.institution === undefined; step = this.postStep(step.pos)) {
      if (!step.word) continue;
      words.push(step.word);
      if (untilOther && !isPostWord(step.word)) break;
    }
    return words;
  }
}

function isPostWord(w: Word): boolean {
  return w.text.split("/").every((part) => POST_WORDS.has(part.toLowerCase()));
}

/** After a title and its institution: an abbreviation in brackets and the comma before the name. */
function skipAfterTitle(body: string, at: number): number {
  const m = /^(?:\s*\([^()]{1,40}\))?\s*,?/.exec(body.slice(at));
  return at + (m ? m[0].length : 0);
}

function nameKey(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

/** "Hari ini" at the head of a sentence is a day, not Hari Winarca. */
function commonWordHere(body: string, w: Word): boolean {
  return /^\s+(?:ini|itu|pertama|kedua|ketiga|berikutnya|yang|raya|demi|ke-|ke\s)/u.test(body.slice(w.end, w.end + 12)) && opensSentence(body, w.start);
}

/** `/(?:^|[.!?”"]\s+|\n)$/u` on the body before `at`, read backwards from `at`: run on the whole text before it, it cost that text at each word. */
function opensSentence(body: string, at: number): boolean {
  if (at === 0 || body[at - 1] === "\n") return true;
  let blank = at;
  while (blank > 0 && /\s/.test(body[blank - 1]!)) blank--;
  return blank < at && blank > 0 && /[.!?”"]/.test(body[blank - 1]!);
}

function isDegree(word: Word, body: string): boolean {
  const plain = word.text.replace(/\./g, "").toLowerCase();
  if (/^\p{Lu}[\p{L}]{0,3}(?:\.[\p{L}]{1,4})+$/u.test(word.text)) return true;
  return UNDOTTED_DEGREES.has(plain) && (/^\p{Lu}{2}/u.test(word.text) || body[word.end] === ".");
}

/**
 * A person's name at `at`: honorifics before it (H., Hj., Dr., Bapak …) skipped, then name words
 * ("I Wayan Nurasta Wibawa", "M. Ali"), then degrees after it (", S.H., M.H.") left out.
 */
export function readName(body: string, at: number, to = body.length): { name: string; span: Span; end: number } | null {
  const words = wordsOf(body, at, Math.min(to, at + 200));
  let i = 0;
  const gapOk = (from: number, w: Word): boolean => /^[\s]*$/.test(body.slice(from, w.start));
  if (!words[0] || !gapOk(at, words[0])) return null;
  // Honorifics.
  let cursor = at;
  while (i < words.length && gapOk(cursor, words[i]!)) {
    const w = words[i]!;
    const lower = w.text.toLowerCase();
    const dotted = body[w.end] === ".";
    if (HONORIFICS.has(lower) && (dotted || ["bapak", "pak", "ibu", "bu"].includes(lower)) && words[i + 1]) {
      cursor = dotted ? w.end + 1 : w.end;
      i++;
      continue;
    }
    break;
  }
  const parts: Word[] = [];
  while (i < words.length && parts.length < 6) {
    const w = words[i]!;
    const prevEnd = parts.length ? parts[parts.length - 1]!.end + (body[parts[parts.length - 1]!.end] === "." ? 1 : 0) : cursor;
    if (!/^ *$/.test(body.slice(prevEnd, w.start)) || (parts.length === 0 && !gapOk(cursor, w))) break;
    const initial = /^\p{Lu}$/u.test(w.text);
    if (parts.length > 0 && isDegree(w, body)) break;
    if (!initial && !isNameWord(w.text)) break;
    if (NOT_NAMES.has(w.text)) break;
    parts.push(w);
    i++;
  }
  // A name needs one word of letters, not only initials.
  while (parts.length > 0 && /^\p{Lu}$/u.test(parts[parts.length - 1]!.text) && body[parts[parts.length - 1]!.end] !== ".") parts.pop();
  if (!parts.some((p) => isNameWord(p.text))) return null;
  const span = { start: parts[0]!.start, end: parts[parts.length - 1]!.end };
  let end = span.end;
  // Degrees: ", S.H., M.H." or " S.Sos."
  for (;;) {
    const m = /^(,?\s*)/.exec(body.slice(end))!;
    const w = wordsOf(body, end + m[0].length, Math.min(body.length, end + m[0].length + 16), 1)[0];
    if (!w || w.start !== end + m[0].length || !isDegree(w, body)) break;
    end = w.end + (body[w.end] === "." ? 1 : 0);
  }
  const trailing = /^\s*,/.exec(body.slice(end));
  if (trailing) end += trailing[0].length;
  return { name: body.slice(span.start, span.end).replace(/\s+/g, " "), span, end };
}
