import type { InstitutionKind } from "../../kernel/institution-kind";
import type { InstitutionMention, InstitutionReading } from "./import.institutions";
import { OutsideInstitutions } from "./import.institutions";
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
import type { OrganisationForm } from "./import.lexicon";
import { findPhrases, runsOf } from "./import.occurrences";
import { knownPlaceLength } from "./import.places";
import { Coverage, firstAtLeast, FirstCover } from "./import.spans";
import { eachWord, isNameWord, phrases, startsCapitalised, wordsOf } from "./import.text";
import type { Word } from "./import.text";
import type { ExtractedInstitution, ExtractedPerson, ExtractedPosition, ImportWarning, Mention, Span } from "./import.types";

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
// The titles' forms as rules, made once: made per title, their compiling showed in profiles.
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
   * Indexes over the people, their posts, the titles, the quotations and the institutions'
   * mentions: each question below was a scan over all of them, once per title or name, which made
   * the reading quadratic in the text.
   */
  private readonly byKey = new Map<string, ExtractedPerson>();
  /** Every set of words some person's name holds (sorted, joined by spaces), once knows() is asked: a name of words the story knows. */
  private wordSets: Set<string> | null = null;
  /** Each person's posts by title, and the title and institution of each (see assign). */
  private readonly postsByTitle = new Map<number, Map<string, ExtractedPosition[]>>();
  private readonly postKeys = new Map<number, Set<string>>();
  /** Where each title's first word stands (titles are in that order; see titleWithin). */
  private readonly titleAt: number[] = [];
  private readonly quotedAt: Coverage;
  private readonly unclear: FirstCover<Span>;
  private readonly outside: OutsideInstitutions;
  /** Where the words after a lower post's title end, from each place they were read from (see postRun). */
  private readonly postRuns = new Map<number, { end: number; institution: number | null }>();
  private readonly organisationNamed = new Map<OrganisationForm, ExtractedInstitution | undefined>();
  /** The story's institutions by kind (the first two of each: whether there is one is all onlyInstitutionFor asks), once its titles are read. */
  private institutionsByKind: Map<InstitutionKind, number[]> | null = null;

  constructor(
    private readonly body: string,
    private readonly institutions: InstitutionReading,
    quoted: readonly Span[],
  ) {
    this.quotedAt = new Coverage(body.length, quoted);
    this.unclear = new FirstCover(body.length, institutions.unclear);
    this.outside = new OutsideInstitutions(institutions);
    this.readTitles();
    this.outside.merge();
  }

  /** The person named `name` (as written, without degrees), created when new. */
  add(name: string, at: Span): number {
    const key = nameKey(name);
    let person = this.byKey.get(key);
    if (!person) {
      person = { ref: this.people.length, name, positions: [], mentions: [] };
      this.people.push(person);
      this.byKey.set(key, person);
      if (this.wordSets) addWordSets(this.wordSets, key);
    }
    this.named.push({ ...at, ref: person.ref });
    return person.ref;
  }

  /** Whether a written name is someone's: their full name, or words of it (a short name). */
  knows(name: string): boolean {
    const key = nameKey(name);
    if (this.byKey.has(key)) return true;
    if (!this.wordSets) {
      this.wordSets = new Set();
      for (const known of this.byKey.keys()) addWordSets(this.wordSets, known);
    }
    return this.wordSets.has([...new Set(key.split(" "))].sort().join(" "));
  }

  /** The first title (in the text's order) that starts at or after `from` and ends by `to`. */
  titleWithin(from: number, to: number): TitlePhrase | undefined {
    // A title starts at most 16 characters before its first word ("Wakil Kepala KPLP"), and the titles' ends rise.
    for (let i = firstAtLeast(this.titleAt, from, (at) => at); i < this.titles.length && this.titles[i]!.end <= to; i++) {
      if (this.titles[i]!.start >= from) return this.titles[i];
    }
    return undefined;
  }

  /** Whether some title holds all of `span`. */
  titleAround(span: Span): boolean {
    for (let i = firstAtLeast(this.titles, span.end, (t) => t.end); i < this.titles.length && this.titleAt[i]! <= span.start + 16; i++) {
      if (this.titles[i]!.start <= span.start) return true;
    }
    return false;
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
    const runs = runsOf(this.body);
    const written = findPhrases(runs, this.people.map((p) => runs.phrase(p.name)));
    for (const person of this.people) {
      for (const s of written[person.ref]!) {
        if (taken.overlaps(s)) continue;
        found.push({ start: s.start, end: s.end, text: this.body.slice(s.start, s.end), refs: [person.ref], how: "name" });
        taken.add(s);
      }
    }
    // Short names: one word of a known name, standing alone ("tegas Wayan"). One list of refs per
    // word, shared by its mentions (nothing changes them): a copy each grew as mentions times people.
    const byWord = new Map<string, number[]>();
    for (const person of this.people) {
      for (const w of person.name.split(/\s+/)) {
        if (w.length < 3 || !isNameWord(w)) continue;
        const refs = byWord.get(w) ?? byWord.set(w, []).get(w)!;
        if (refs[refs.length - 1] !== person.ref) refs.push(person.ref);
      }
    }
    const body = this.body;
    eachWord(body, 0, body.length, (start, end) => {
      // Every such word starts with a capital: the others are not looked up (nor cut out of the body).
      if (!startsCapitalised(body, start)) return true;
      const w = { start, end, text: body.slice(start, end) };
      const refs = byWord.get(w.text);
      if (refs && !taken.overlaps(w) && !commonWordHere(body, w)) found.push({ ...w, refs, how: "short" });
      return true;
    });
    // Holders of each post, by title and by title at an institution (refs ascending), a list shared as above.
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
      if (m.index < from || this.quotedAt.covers(m.index)) continue;
      const phrase = OUTSIDE.has(m[0]) || /^\p{Ll}/u.test(m[0]) ? null : this.readTitle(m.index, m[0]);
      if (!phrase) {
        // A title outside the service ("Kapolsek Kalipuro, AKP Budi Hartono", "Rektor Universitas Riau, Prof. Dr. Sri Indarti").
        const outside = m[0] === "Kepala" || !/^\p{Lu}/u.test(m[0]) || OUTSIDE.has(m[0]) ? this.readOutside(m.index, m[0]) : null;
        if (outside) {
          this.titles.push(outside);
          this.titleAt.push(m.index);
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
      this.titleAt.push(m.index);
      from = title.end;
      TITLE_START.lastIndex = title.end;
    }
    this.readRoles();
    // A post named once without its institution is the same post the text gives in full elsewhere.
    for (const { ref, phrase } of pending) {
      const person = this.people[ref]!;
      const same = this.postsByTitle.get(ref)?.get(phrase.title) ?? [];
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
      const ref = this.outside.add(`${unit} ${body.slice(run[0]!.start, end)}`, { start: at, end, text: body.slice(at, end) }, `Kepala ${unit}`);
      found = phrase(`Kepala ${unit}`, ref);
    } else {
      if (!name) return null;
      const capital = (t: string): string => t[0]!.toUpperCase() + t.slice(1);
      const titleBefore = (end: number): string => capital(body.slice(at, end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ").trim());
      const unit = run.length > 0 ? this.outside.mentionsEndingAt(run[run.length - 1]!.end).find((i) => i.headTitle === null && i.start > at) : undefined;
      const legal = run.findIndex((w) => LEGAL_FORMS.includes(w.text));
      if (unit) found = phrase(titleBefore(unit.start), unit.ref);
      else if (legal !== -1 && run.length > legal + 1) {
        const start = run[legal]!.start;
        const end = run[run.length - 1]!.end;
        const bodyName = body.slice(start, end).replace(/\s*\([^()]*\)/g, "").replace(/\s+/g, " ");
        found = phrase(titleBefore(start), this.outside.add(bodyName, { start, end, text: body.slice(start, end) }, null));
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
      if (this.quotedAt.covers(m.index)) continue;
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
    const next = this.outside.mentionsAt(after + gap[0].length).find((i) => i.headTitle === null);
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
    // ACTING_FOR holds white space and small letters only: a head's title it can follow ends where a run of those before the phrase begins, or in it.
    let from = phrase.start;
    while (from > 0 && /[\sa-z]/.test(this.body[from - 1]!)) from--;
    let head: TitlePhrase | undefined;
    for (let i = firstAtLeast(this.titles, from, (t) => t.end); i < this.titles.length && this.titles[i]!.end <= phrase.start; i++) {
      const t = this.titles[i]!;
      if (t.institution !== null && ACTING_FOR.test(this.body.slice(t.end, phrase.start))) {
        head = t;
        break;
      }
    }
    return head ? head.institution : null;
  }

  /** The one institution of the story that has posts of this title ("Kepala Subseksi Registrasi" in a story of one Rutan), if there is exactly one. */
  private onlyInstitutionFor(title: string): number | null {
    const lower = LOWER_POSTS.find((p) => title === p.title || title.startsWith(`${p.title} `));
    const head = [...UNIT_KINDS, KANWIL_FORM].find((k) => k.headTitle === title);
    const kinds = lower ? lower.at : head ? [head.kind] : [];
    let only: number | null = null;
    for (const kind of new Set(kinds)) {
      const fit = this.byKind().get(kind) ?? [];
      if (fit.length > 1 || (fit.length === 1 && only !== null)) return null;
      if (fit.length === 1) only = fit[0]!;
    }
    return only;
  }

  private byKind(): Map<InstitutionKind, number[]> {
    if (!this.institutionsByKind) {
      this.institutionsByKind = new Map();
      for (const i of this.institutions.institutions) {
        const list = this.institutionsByKind.get(i.kind) ?? this.institutionsByKind.set(i.kind, []).get(i.kind)!;
        if (list.length < 2) list.push(i.ref);
      }
    }
    return this.institutionsByKind;
  }

  private assign(ref: number, phrase: TitlePhrase): void {
    const person = this.people[ref]!;
    const keys = this.postKeys.get(ref) ?? this.postKeys.set(ref, new Set()).get(ref)!;
    const key = `${phrase.title}\u0000${phrase.institution}`;
    if (keys.has(key)) return;
    keys.add(key);
    const position: ExtractedPosition = { title: phrase.title, institution: phrase.institution!, current: phrase.current, span: { start: phrase.start, end: phrase.end } };
    person.positions.push(position);
    const byTitle = this.postsByTitle.get(ref) ?? this.postsByTitle.set(ref, new Map()).get(ref)!;
    (byTitle.get(phrase.title) ?? byTitle.set(phrase.title, []).get(phrase.title)!).push(position);
  }

  /** "Joko Susilo, kini menjabat Kepala Lapas Lamongan": the person just named holds the post that follows. */
  private heldBy(at: number): number | null {
    // The last name (in the order read) that ends by `at`: while titles are read, that is the last one read.
    let i = this.named.length - 1;
    while (i >= 0 && this.named[i]!.end > at) i--;
    const last = this.named[i];
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
    // The first mention (in the list's order) that ends at `end`, or where only white space stands between it and `end`.
    let blank = end;
    while (blank > 0 && /\s/.test(this.body[blank - 1]!)) blank--;
    let led: InstitutionMention | undefined;
    for (let e = blank; e <= end; e++) {
      const first = this.outside.mentionsEndingAt(e)[0];
      if (first && (!led || this.outside.before(first, led))) led = first;
    }
    return led && led.headTitle === null ? led.ref : null;
  }

  /** The title at `at`, expanded (Kalapas → Kepala Lapas), with its institution and where the name may start. */
  private readTitle(at: number, word: string): { title: string; institution: number | null; end: number } | null {
    const body = this.body;
    const mentionAt = (pos: number): InstitutionMention | undefined => this.outside.mentionsAt(pos)[0];

    const head = HEAD_ABBREVIATIONS.find((h) => h.word === word);
    if (head) {
      const own = mentionAt(at);
      if (own) return { title: head.form.headTitle, institution: own.ref, end: skipAfterTitle(body, own.end) };
      if (this.misjoined(head.form.headTitle, head.form.kind, at, at + word.length)) return null;
      return { title: head.form.headTitle, institution: null, end: skipAfterTitle(body, at + word.length) };
    }

    const orgHead = ORGANISATION_HEADS.find((o) => o.forms.some((f) => f.test(word)));
    if (orgHead) {
      const org = orgHead.org;
      // The same for every title of the organisation, so looked for once (the institutions of kind OTHER added since are named otherwise).
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
    const inst = mentionAt(next);
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
    // post is not named with, and read only that far (to their end, they were read once in postRun).
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
    // "Kepala Bidang Pembinaan, Teknologi Informasi dan Kerja Sama …": a field the post's name lists after a comma, not a name.
    const listed = /^,[ \t]+/.exec(body.slice(pos, pos + 4));
    const next = listed ? wordsOf(body, pos + listed[0].length, Math.min(body.length, pos + listed[0].length + 40), 1)[0] : undefined;
    const gap = next && next.start === pos + listed![0].length && /^\p{Lu}/u.test(next.text) && POST_WORDS.has(next.text.toLowerCase()) ? listed : /^[ \t]+/.exec(body.slice(pos, pos + 8));
    if (!gap) return null;
    const inst = this.outside.mentionsAt(pos + gap[0].length)[0];
    if (inst && inst.headTitle === null) return { pos: inst.end, institution: inst.ref };
    const w = wordsOf(body, pos + gap[0].length, Math.min(body.length, pos + gap[0].length + 60), 1)[0];
    if (!w || w.start !== pos + gap[0].length || !(/^\p{Lu}/u.test(w.text) || /^(?:dan|&)$/.test(w.text))) return null;
    return { pos: w.end, word: w };
  }

  /**
   * Where the words from `start` end, and the institution that ends them. Remembered for every
   * place on the way: a title inside a run of capitalised words reads the rest of that same run,
   * and each title of a long run walking it to its end again was quadratic. (A step depends on the
   * mentions, and mentions are added only where titles are read, after every place walked so far.)
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

/** "Joko Susilo, kini menjabat Kepala Lapas Lamongan": between a person's name and the post they hold. */
const HELD_BY = /^,?\s*(?:yang\s+)?(?:kini\s+|sekarang\s+|saat\s+ini\s+)?(?:menjabat(?:\s+sebagai)?|sebagai|selaku)\s+$/u;

/** After a title and its institution: an abbreviation in brackets, "yang baru", and the comma before the name. */
function skipAfterTitle(body: string, at: number): number {
  const m = /^(?:\s*\([^()]{1,40}\))?(?:\s+yang\s+(?:baru|lama)(?=\s*,))?\s*,?/.exec(body.slice(at, at + 64));
  return at + (m ? m[0].length : 0);
}

/** Every set of the words of a name's key, each sorted and joined by spaces (a name has at most six words, readName, so at most 63 sets). */
function addWordSets(sets: Set<string>, key: string): void {
  const words = [...new Set(key.split(" "))].sort();
  for (let set = 1; set < 1 << words.length; set++) sets.add(words.filter((_, i) => set & (1 << i)).join(" "));
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
 * ("I Wayan Nurasta Wibawa", "M. Ali"), up to the degrees after it (", S.H., M.H.").
 */
export function readName(body: string, at: number, to = body.length): { name: string; span: Span } | null {
  // The words within 200 characters, read as they are needed (a name is a few of them).
  const words = new WordReader(body, at, Math.min(to, at + 200));
  let i = 0;
  const gapOk = (from: number, w: Word): boolean => /^[\s]*$/.test(body.slice(from, w.start));
  const first = words.at(0);
  if (!first || !gapOk(at, first)) return null;
  // Honorifics.
  let cursor = at;
  for (let w = words.at(i); w && gapOk(cursor, w); w = words.at(i)) {
    const lower = w.text.toLowerCase();
    const dotted = body[w.end] === ".";
    if ((HONORIFICS.has(lower) && (dotted || ["bapak", "pak", "ibu", "bu"].includes(lower))) || RANKS.has(w.text)) {
      if (!words.at(i + 1)) break;
      cursor = dotted ? w.end + 1 : w.end;
      i++;
      continue;
    }
    break;
  }
  const parts: Word[] = [];
  for (let w = words.at(i); w && parts.length < 6; w = words.at(i)) {
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
  return { name: body.slice(span.start, span.end).replace(/\s+/g, " "), span };
}

/** The words of [from, to) as wordsOf reads them, one at a time as they are asked for. */
class WordReader {
  private readonly words: Word[] = [];
  private done = false;

  constructor(
    private readonly text: string,
    private from: number,
    private readonly to: number,
  ) {}

  at(i: number): Word | undefined {
    while (this.words.length <= i && !this.done) {
      const next = wordsOf(this.text, this.from, this.to, 1)[0];
      if (next) {
        this.words.push(next);
        this.from = next.end;
      } else this.done = true;
    }
    return this.words[i];
  }
}
