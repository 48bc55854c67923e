import type { InstitutionKind } from "../../kernel/institution-kind";
import type { InstitutionMention, InstitutionReading } from "./import.institutions";
import { outsideInstitution } from "./import.institutions";
import {
  FORMER,
  HONORIFICS,
  KANWIL_FORM,
  LEGAL_FORMS,
  LOWER_POSTS,
  NOT_PLACES,
  ORGANISATIONS,
  OUTSIDE_TITLES,
  POLICE_HEADS,
  POST_WORDS,
  RANK,
  RANKS,
  ROLES,
  UNDOTTED_DEGREES,
  UNIT_KINDS,
} from "./import.lexicon";
import { knownPlaceLength } from "./import.places";
import { escapeRegExp, inside, isNameWord, phrases, wordsOf } from "./import.text";
import type { Word } from "./import.text";
import type { ExtractedPerson, ImportWarning, Mention, Span } from "./import.types";

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
  ...OUTSIDE_TITLES.filter((t) => !t.includes(" ")), ...POLICE_HEADS, ...LEGAL_FORMS,
]);

/** Between a head's title and the post of the official who acts for the head. */
const ACTING_FOR = /^\s*(?:yang\s+)?(?:melalui|diwakili(?:\s+oleh)?)\s+$/u;

const HEAD_ABBREVIATIONS = [...UNIT_KINDS, KANWIL_FORM].flatMap((k) => k.headAbbreviations.map((word) => ({ word, form: k })));
const TITLE_START = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${phrases([
    "Kepala",
    ...HEAD_ABBREVIATIONS.map((h) => h.word),
    ...LOWER_POSTS.flatMap((p) => p.forms),
    ...ORGANISATIONS.flatMap((o) => o.headForms),
    ...POLICE_HEADS,
    ...OUTSIDE_TITLES,
    ...OUTSIDE_TITLES.map((t) => t[0]!.toLowerCase() + t.slice(1)),
  ])})(?![\p{L}\p{N}])`,
  "gu",
);
const OUTSIDE = new Set([...POLICE_HEADS, ...OUTSIDE_TITLES]);
/** First words of the service's own titles. */
const SERVICE_TITLE_WORDS = new Set([...HEAD_ABBREVIATIONS.map((h) => h.word), ...LOWER_POSTS.flatMap((p) => p.forms), ...ORGANISATIONS.flatMap((o) => o.headForms)].map((f) => f.split(" ")[0]!));
/** "Salah satu peserta, Dewi (34), mengaku …": a role at the head of a sentence, and a name in apposition to it. */
const ROLE_APPOSITION = new RegExp(String.raw`(?:^|(?<=[.!?”"]\s|\n))(?:(?:Salah\s+(?:satu|seorang)|Seorang)\s+)?(?:${phrases(ROLES)})(?:\s+[a-z]+)?\s*,\s*`, "giu");

/** The people of one story: read from posts, added from attributions, then found wherever they are named again. */
export class PeopleBook {
  readonly people: ExtractedPerson[] = [];
  readonly titles: TitlePhrase[] = [];
  mentions: PersonMention[] = [];
  readonly warnings: ImportWarning[] = [];
  /** Where a person's name is written out in a title phrase or attribution (not to be read again as a short name). */
  private readonly named: Array<Span & { ref: number }> = [];

  constructor(
    private readonly body: string,
    private readonly institutions: InstitutionReading,
    private readonly quoted: readonly Span[],
  ) {
    this.readTitles();
  }

  /** The person named `name` (as written, without degrees), created when new. */
  add(name: string, at: Span): number {
    const key = nameKey(name);
    let person = this.people.find((p) => nameKey(p.name) === key);
    if (!person) {
      person = { ref: this.people.length, name, positions: [], mentions: [] };
      this.people.push(person);
    }
    this.named.push({ ...at, ref: person.ref });
    return person.ref;
  }

  /** Everyone a written name could be: the full name, or a short name (one word of it). */
  lookup(name: string): number[] {
    const key = nameKey(name);
    const full = this.people.filter((p) => nameKey(p.name) === key).map((p) => p.ref);
    if (full.length > 0) return full;
    const words = key.split(" ");
    return this.people.filter((p) => { const own = nameKey(p.name).split(" "); return words.every((w) => own.includes(w)); }).map((p) => p.ref);
  }

  /** Finds every mention of the people now known: full names, short names, and posts standing for their one holder. */
  finish(): void {
    const found: PersonMention[] = [];
    const taken: Span[] = [...this.institutions.mentions.filter((m) => m.headTitle === null)];
    for (const n of this.named) {
      found.push({ start: n.start, end: n.end, text: this.body.slice(n.start, n.end), refs: [n.ref], how: "name" });
      taken.push(n);
    }
    for (const person of this.people) {
      const re = new RegExp(String.raw`(?<![\p{L}\p{N}])${escapeRegExp(person.name).replace(/\s+/g, "\\s+")}(?![\p{L}\p{N}])`, "gu");
      for (let m = re.exec(this.body); m !== null; m = re.exec(this.body)) {
        const s = { start: m.index, end: m.index + m[0].length };
        if (overlaps(taken, s)) continue;
        found.push({ ...s, text: m[0], refs: [person.ref], how: "name" });
        taken.push(s);
      }
    }
    // Short names: one word of a known name, standing alone ("tegas Wayan").
    const byWord = new Map<string, Set<number>>();
    for (const person of this.people) {
      for (const w of person.name.split(/\s+/)) if (w.length >= 3 && isNameWord(w)) (byWord.get(w) ?? byWord.set(w, new Set()).get(w)!).add(person.ref);
    }
    for (const w of wordsOf(this.body)) {
      const refs = byWord.get(w.text);
      if (!refs || overlaps(taken, w) || commonWordHere(this.body, w)) continue;
      found.push({ start: w.start, end: w.end, text: w.text, refs: [...refs], how: "short" });
    }
    for (const t of this.titles) {
      if (t.person !== null) continue;
      const holders = this.people.filter((p) => p.positions.some((pos) => pos.title === t.title && (t.institution === null || pos.institution === t.institution))).map((p) => p.ref);
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
      if (m.index < from || inside(this.quoted, m.index)) continue;
      const phrase = OUTSIDE.has(m[0]) || /^\p{Ll}/u.test(m[0]) ? null : this.readTitle(m.index, m[0]);
      if (!phrase) {
        // A title outside the service ("Kapolsek Kalipuro, AKP Budi Hartono", "Rektor Universitas Riau, Prof. Dr. Sri Indarti").
        const outside = m[0] === "Kepala" || !/^\p{Lu}/u.test(m[0]) || OUTSIDE.has(m[0]) ? this.readOutside(m.index, m[0]) : null;
        if (outside) {
          this.titles.push(outside);
          from = outside.end;
          TITLE_START.lastIndex = outside.end;
        }
        continue;
      }
      // "Kepala KPLP": the abbreviation's own "Kepala" written out before it belongs to the phrase.
      let start = m[0] !== "Kepala" && /(?:^|\s)Kepala\s+$/u.test(body.slice(Math.max(0, m.index - 8), m.index)) ? body.lastIndexOf("Kepala", m.index) : m.index;
      // "Wakil Kepala Lapas …", "Plt. Kalapas …": a deputy or an acting head holds that post, not the head's.
      const deputy = /(?:^|\s)(Wakil|Plt\.?|Plh\.?)\s+$/u.exec(body.slice(Math.max(0, start - 8), start));
      if (deputy) start = Math.max(0, start - 8) + deputy.index + deputy[0].indexOf(deputy[1]!);
      const former = wordsOf(body, Math.max(0, start - 12), start).slice(-1).some((w) => FORMER.has(w.text.toLowerCase()));
      const title: TitlePhrase = { start, end: phrase.end, title: deputy ? `${deputy[1]} ${phrase.title}` : phrase.title, institution: phrase.institution, current: !former, person: null };
      // The holder: named right after the title, after "kini diisi", or before "kini menjabat".
      const filled = /^\s*(?:kini\s+|sekarang\s+)?(?:diisi|dijabat|dipegang|diemban)\s+(?:oleh\s+)?/u.exec(body.slice(phrase.end));
      const name = readName(body, phrase.end + (filled ? filled[0].length : 0));
      const unclear = name ? this.institutions.unclear.find((u) => name.span.start >= u.start && name.span.start < u.end) : undefined;
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
    this.readRoles();
    // A post named once without its institution is the same post the text gives in full elsewhere.
    for (const { ref, phrase } of pending) {
      const person = this.people[ref]!;
      const same = person.positions.filter((p) => p.title === phrase.title);
      if (same.length === 1) phrase.institution = same[0]!.institution;
      else if (same.length === 0) {
        // Else the unit the sentence or the story states: the head's title it acts for, or the story's one unit that has the post.
        phrase.institution = this.actingFor(phrase) ?? (phrase.current ? this.onlyInstitutionFor(phrase.title) : null);
        if (phrase.institution !== null) {
          this.assign(ref, phrase);
          continue;
        }
        this.warnings.push({ code: "DROPPED", message: `${person.name} is called ${phrase.title}, but the text does not say of which institution; the post is not stored.`, span: { start: phrase.start, end: phrase.end } });
      }
    }
  }

  /**
   * A title outside the service, its words (capitalised, up to a comma or a rank), and the person
   * named after them. The post is kept where the body is one the importer stores: a police unit
   * ("Kapolsek Kalipuro" → Polsek Kalipuro), a body named with its legal form ("Pemilik CV Tenun
   * Jaya"), a correctional unit the title ends with ("Ketua Tim Zona Integritas Lapas Tuban"); at
   * any other body only the person is read. Null where no name follows after a comma or a rank.
   */
  private readOutside(at: number, word: string): TitlePhrase | null {
    const body = this.body;
    const run: Word[] = [];
    let pos = at + word.length;
    for (;;) {
      const bracket = /^\s*\([^()]{1,40}\)/.exec(body.slice(pos, pos + 44));
      if (bracket) {
        pos += bracket[0].length;
        continue;
      }
      const w = wordsOf(body, pos, Math.min(body.length, pos + 60))[0];
      if (!w || !/^[ \t]+$/.test(body.slice(pos, w.start)) || RANKS.has(w.text) || !(/^\p{Lu}/u.test(w.text) || /^(?:dan|&)$/.test(w.text))) break;
      run.push(w);
      pos = w.end;
      if (run.length > 12) return null;
    }
    // "Kepala KPLP, …": a post of the service, read from its own words next.
    if (run.length > 0 && SERVICE_TITLE_WORDS.has(run[0]!.text)) return null;
    const comma = /^\s*,\s*/.exec(body.slice(pos, pos + 8));
    const nameAt = comma ? pos + comma[0].length : pos;
    const ranked = RANKS.has(wordsOf(body, nameAt, Math.min(body.length, nameAt + 20))[0]?.text ?? "");
    const name = comma || ranked ? readName(body, nameAt) : null;
    const former = wordsOf(body, Math.max(0, at - 12), at).slice(-1).some((w) => FORMER.has(w.text.toLowerCase()));
    const phrase = (title: string, institution: number | null): TitlePhrase => ({ start: at, end: name ? name.span.end : pos, title, institution, current: !former, person: null });

    let found: TitlePhrase;
    if (POLICE_HEADS.includes(word)) {
      // The place is the whole run, unless a name may have begun in it ("Kapolsek Montong Darsono"): then nothing is read.
      if (run.length === 0 || (run.length > 1 && !comma && !ranked && knownPlaceLength(run.map((w) => w.text)) !== run.length)) return null;
      const unit = `P${word.slice(3)}`;
      const end = run[run.length - 1]!.end;
      const ref = outsideInstitution(this.institutions, `${unit} ${body.slice(run[0]!.start, end)}`, { start: at, end, text: body.slice(at, end) }, `Kepala ${unit}`);
      found = phrase(`Kepala ${unit}`, ref);
    } else {
      if (!name) return null;
      const capital = (t: string): string => t[0]!.toUpperCase() + t.slice(1);
      const titleBefore = (end: number): string => capital(body.slice(at, end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ").trim());
      const unit = this.institutions.mentions.find((i) => i.headTitle === null && run.length > 0 && i.end === run[run.length - 1]!.end && i.start > at);
      const legal = run.findIndex((w) => LEGAL_FORMS.includes(w.text));
      if (unit) found = phrase(titleBefore(unit.start), unit.ref);
      else if (legal !== -1 && run.length > legal + 1) {
        const start = run[legal]!.start;
        const end = run[run.length - 1]!.end;
        const bodyName = body.slice(start, end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ");
        found = phrase(titleBefore(start), outsideInstitution(this.institutions, bodyName, { start, end, text: body.slice(start, end) }, null));
      } else found = phrase(capital(word), null);
    }
    if (name) {
      found.person = this.add(name.name, name.span);
      if (found.institution !== null) this.assign(found.person, found);
    }
    return found;
  }

  /** "Salah satu peserta, Dewi (34), mengaku …", "Pengunjung bazar, Sulastri, mengaku …": the person named in apposition to a role. */
  private readRoles(): void {
    ROLE_APPOSITION.lastIndex = 0;
    for (let m = ROLE_APPOSITION.exec(this.body); m !== null; m = ROLE_APPOSITION.exec(this.body)) {
      if (inside(this.quoted, m.index)) continue;
      const name = readName(this.body, m.index + m[0].length);
      if (name && /^(?:\s*\(\d{1,3}(?:\s+tahun)?\))?\s*,/u.test(this.body.slice(name.span.end, name.span.end + 16))) this.add(name.name, name.span);
    }
  }

  /**
   * "Kepala Kantor Wilayah Rutan Pamekasan", "Kakanwil Lapas Tuban": a head's title of one kind straight before a unit
   * of another is no post the text states (whose head? of which office?). Reported; no post or person is read from it.
   */
  private misjoined(title: string, kind: InstitutionKind, at: number, after: number): boolean {
    const gap = /^\s+/.exec(this.body.slice(after));
    if (!gap) return false;
    const next = this.institutions.mentions.find((i) => i.start === after + gap[0].length && i.headTitle === null);
    if (!next || next.kind === kind || RANK[next.kind] !== 0) return false;
    this.warnings.push({
      code: "DROPPED",
      message: `'${this.body.slice(at, next.end)}' puts the title ${title} before ${next.text}, which is no office of that kind; neither a post nor a person is read from it.`,
      span: { start: at, end: next.end },
    });
    return true;
  }

  /** "Kepala Rutan Kendari melalui Kepala Pengamanan Rutan (KPR), Muh. Arif": the post is at the unit whose head it acts for. */
  private actingFor(phrase: TitlePhrase): number | null {
    const head = this.titles.find((t) => t.institution !== null && t.end <= phrase.start && ACTING_FOR.test(this.body.slice(t.end, phrase.start)));
    return head ? head.institution : null;
  }

  /** The one institution of the story that has posts of this title ("Kepala Subseksi Registrasi" in a story of one Rutan), if there is exactly one. */
  private onlyInstitutionFor(title: string): number | null {
    const lower = LOWER_POSTS.find((p) => title === p.title || title.startsWith(`${p.title} `));
    const head = [...UNIT_KINDS, KANWIL_FORM].find((k) => k.headTitle === title);
    const kinds = lower ? lower.at : head ? [head.kind] : [];
    const fit = this.institutions.institutions.filter((i) => kinds.includes(i.kind));
    return fit.length === 1 ? fit[0]!.ref : null;
  }

  private assign(ref: number, phrase: TitlePhrase): void {
    const person = this.people[ref]!;
    if (person.positions.some((p) => p.title === phrase.title && p.institution === phrase.institution)) return;
    person.positions.push({ title: phrase.title, institution: phrase.institution!, current: phrase.current, span: { start: phrase.start, end: phrase.end } });
  }

  /** "Joko Susilo, kini menjabat Kepala Lapas Lamongan": the person just named holds the post that follows. */
  private heldBy(at: number): number | null {
    const last = this.named.filter((n) => n.end <= at).pop();
    if (last && HELD_BY.test(this.body.slice(last.end, at))) return last.ref;
    // A name the text has not given a post yet: "menggantikan Rudi Hartono yang kini menjabat Kepala Divisi …".
    const before = Math.max(0, at - 40);
    const said = /,?\s*(?:yang\s+)?(?:kini\s+|sekarang\s+|saat\s+ini\s+)?(?:menjabat(?:\s+sebagai)?|sebagai|selaku)\s+$/u.exec(this.body.slice(before, at));
    if (!said) return null;
    const end = before + said.index;
    const words = wordsOf(this.body, Math.max(0, end - 80), end);
    let first = words.length;
    while (first > 0 && isNameWord(words[first - 1]!.text) && !NOT_NAMES.has(words[first - 1]!.text) && (first === words.length ? words[first - 1]!.end === end : /^ +$/.test(this.body.slice(words[first - 1]!.end, words[first]!.start)))) first--;
    const name = first < words.length ? readName(this.body, words[first]!.start, end) : null;
    return name && name.span.end === end ? this.add(name.name, name.span) : null;
  }

  /** "Lapas Banyuwangi yang dipimpin Kalapas …": the institution led by the person of this post. */
  private ledBy(at: number): number | null {
    const before = this.body.slice(Math.max(0, at - 40), at);
    const m = /(?:,\s*)?(?:yang\s+)?dipimpin\s+(?:langsung\s+)?(?:oleh\s+)?$/u.exec(before);
    if (!m) return null;
    const end = at - (before.length - m.index);
    const led = this.institutions.mentions.find((i) => i.end === end || (i.end < end && /^\s*$/.test(this.body.slice(i.end, end))));
    return led && led.headTitle === null ? led.ref : null;
  }

  /** The title at `at`, expanded (Kalapas → Kepala Lapas), with its institution and where the name may start. */
  private readTitle(at: number, word: string): { title: string; institution: number | null; end: number } | null {
    const body = this.body;
    const mentionAt = (pos: number): InstitutionMention | undefined => this.institutions.mentions.find((i) => i.start === pos);

    const head = HEAD_ABBREVIATIONS.find((h) => h.word === word);
    if (head) {
      const own = mentionAt(at);
      if (own) return { title: head.form.headTitle, institution: own.ref, end: skipAfterTitle(body, own.end) };
      if (this.misjoined(head.form.headTitle, head.form.kind, at, at + word.length)) return null;
      return { title: head.form.headTitle, institution: null, end: skipAfterTitle(body, at + word.length) };
    }

    const org = ORGANISATIONS.find((o) => o.headForms.some((f) => new RegExp(`^${phrases([f])}$`, "u").test(word)));
    if (org) {
      const inst = this.institutions.institutions.find((i) => i.mentions.some((mm) => new RegExp(`^(?:${phrases([...org.full, ...org.abbreviations])})`, "u").test(mm.text)));
      const end = skipAfterTitle(body, at + word.length);
      if (!inst) {
        this.warnings.push({ code: "DROPPED", message: `'${word}' is ${org.headTitle}, but the text names no ${org.full[0]} as an institution; the post is not stored.`, span: { start: at, end: at + word.length } });
      }
      return { title: org.headTitle, institution: inst ? inst.ref : null, end };
    }

    const post = LOWER_POSTS.find((p) => p.forms.some((f) => new RegExp(`^${phrases([f])}$`, "u").test(word)));
    if (post) return this.readLowerPost(at, word, post.title);

    // "Kepala" then a unit or a Kanwil: the head of it.
    const gap = /^\s+/.exec(body.slice(at + word.length));
    if (!gap) return null;
    const next = at + word.length + gap[0].length;
    const inst = mentionAt(next);
    if (inst && inst.headTitle === null) {
      const form = [...UNIT_KINDS, KANWIL_FORM].find((k) => k.kind === inst.kind);
      if (form) return { title: form.headTitle, institution: inst.ref, end: skipAfterTitle(body, inst.end) };
    }
    // "Kepala Lapas Hari Winarca": a kind word with no place after it.
    for (const form of [...UNIT_KINDS, KANWIL_FORM]) {
      const kind = new RegExp(String.raw`^(?:${phrases([...form.full, ...form.abbreviations])})(?![\p{L}])`, "u").exec(body.slice(next));
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
    const words: Word[] = [];
    let pos = at + word.length;
    let institution: number | null = null;
    for (;;) {
      const bracket = /^\s*\([^()]{1,40}\)/.exec(body.slice(pos));
      if (bracket) {
        pos += bracket[0].length;
        continue;
      }
      // "Kepala Bidang Pembinaan, Teknologi Informasi dan Kerja Sama …": a field the post's name lists after a comma, not a name.
      const listed = /^,[ \t]+/.exec(body.slice(pos, pos + 4));
      const next = listed ? wordsOf(body, pos + listed[0].length, Math.min(body.length, pos + listed[0].length + 40))[0] : undefined;
      const gap = next && next.start === pos + listed![0].length && /^\p{Lu}/u.test(next.text) && POST_WORDS.has(next.text.toLowerCase()) ? listed : /^[ \t]+/.exec(body.slice(pos, pos + 8));
      if (!gap) break;
      const inst = this.institutions.mentions.find((i) => i.start === pos + gap[0].length);
      if (inst && inst.headTitle === null) {
        institution = inst.ref;
        pos = inst.end;
        break;
      }
      const w = wordsOf(body, pos + gap[0].length, Math.min(body.length, pos + gap[0].length + 60))[0];
      if (!w || w.start !== pos + gap[0].length || !(/^\p{Lu}/u.test(w.text) || /^(?:dan|&)$/.test(w.text))) break;
      words.push(w);
      pos = w.end;
    }
    let kept = words;
    const nameAfterComma = /^\s*,/.test(body.slice(pos)) && readName(body, skipAfterTitle(body, pos)) !== null;
    if (institution === null && !nameAfterComma) {
      const cut = words.findIndex((w) => !w.text.split("/").every((part) => POST_WORDS.has(part.toLowerCase())));
      if (cut !== -1) {
        kept = words.slice(0, cut);
        pos = cut === 0 ? at + word.length : kept[kept.length - 1]!.end;
      }
    }
    while (kept.length > 0 && /^(?:dan|&)$/.test(kept[kept.length - 1]!.text)) kept = kept.slice(0, -1);
    const tail = kept.length ? body.slice(kept[0]!.start, kept[kept.length - 1]!.end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ") : "";
    return { title: tail ? `${title} ${tail}` : title, institution, end: skipAfterTitle(body, pos) };
  }
}

/** "Joko Susilo, kini menjabat Kepala Lapas Lamongan": between a person's name and the post they hold. */
const HELD_BY = /^,?\s*(?:yang\s+)?(?:kini\s+|sekarang\s+|saat\s+ini\s+)?(?:menjabat(?:\s+sebagai)?|sebagai|selaku)\s+$/u;

/** After a title and its institution: an abbreviation in brackets, "yang baru", and the comma before the name. */
function skipAfterTitle(body: string, at: number): number {
  const m = /^(?:\s*\([^()]{1,40}\))?(?:\s+yang\s+(?:baru|lama)(?=\s*,))?\s*,?/.exec(body.slice(at, at + 64));
  return at + (m ? m[0].length : 0);
}

function nameKey(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

function overlaps(spans: readonly Span[], s: Span): boolean {
  return spans.some((t) => s.start < t.end && t.start < s.end);
}

/** "Hari ini" at the head of a sentence is a day, not Hari Winarca. */
function commonWordHere(body: string, w: Word): boolean {
  return /^\s+(?:ini|itu|pertama|kedua|ketiga|berikutnya|yang|raya|demi|ke-|ke\s)/u.test(body.slice(w.end, w.end + 12)) && /(?:^|[.!?”"]\s+|\n)$/u.test(body.slice(0, w.start));
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
    if ((HONORIFICS.has(lower) && (dotted || ["bapak", "pak", "ibu", "bu"].includes(lower))) || RANKS.has(w.text)) {
      if (!words[i + 1]) break;
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
    const w = wordsOf(body, end + m[0].length, Math.min(body.length, end + m[0].length + 16))[0];
    if (!w || w.start !== end + m[0].length || !isDegree(w, body)) break;
    end = w.end + (body[w.end] === "." ? 1 : 0);
  }
  const trailing = /^\s*,/.exec(body.slice(end));
  if (trailing) end += trailing[0].length;
  return { name: body.slice(span.start, span.end).replace(/\s+/g, " "), span, end };
}
