import { In } from "typeorm";
import type { EntityManager } from "typeorm";
import { BadUserInputError, quoted } from "../kernel/errors";
import { intInRange } from "../kernel/validate";
import type { Database } from "../db/database";
import { Institution } from "../entities/institution.entity";
import { Person, Position } from "../entities/person.entity";
import { ATTRIBUTE_FACTS, FactSource } from "../entities/fact-source.entity";
import type { AttributeFact, SourceState } from "../entities/fact-source.entity";
import { isEditorEntry, recordDirectSources } from "./facts";
import type { DirectContext } from "./facts";
import { isSelfOrBelow } from "./institution.service";

/** What a conflict is about: an attribute of an institution, or who holds one of its posts now. */
export type ConflictFact = AttributeFact | "POSITION";

/**
 * Sources that disagree, waiting for an editor: two or more values of one attribute of an
 * institution, or two or more current holders of one post. Open until an editor's entry settles
 * it (see {@link ConflictService}).
 */
export interface Conflict {
  /** Opaque; stays the same while the conflict is open. */
  readonly id: string;
  readonly fact: ConflictFact;
  readonly institutionPk: number;
  /** The post's title, for POSITION. */
  readonly title: string | null;
  /** Some value (or holder) is stated only by stories not published yet. */
  readonly proposed: boolean;
  /** The accepted one first, then in the order they were first stated. */
  readonly choices: Choice[];
}

/** One value of a conflict (for POSITION one holder), with every source that states it. */
export interface Choice {
  readonly id: string;
  /** The attribute's value as first stated (a parent as its institution's key); null for POSITION, or an attribute an editor cleared. */
  readonly value: string | null;
  readonly label: string;
  /** What readers see now: the record's value, or the holder shown. */
  readonly accepted: boolean;
  readonly positionPk: number | null;
  readonly sources: FactSource[];
}

/** Which conflict an id names. */
interface ConflictKey {
  readonly fact: ConflictFact;
  readonly institutionPk: number;
  /** The post's title as posts are matched (trimmed, lower case), for POSITION. */
  readonly post: string | null;
}

const ATTRIBUTE_KINDS = Object.keys(ATTRIBUTE_FACTS) as AttributeFact[];
const CONFLICT_FACTS = new Set<string>([...ATTRIBUTE_KINDS, "POSITION"]);
const MAX_CONFLICTS = 100;

/** How attribute values are told apart: case and spaces do not make another value (as `disputed` compares them). */
function valueKey(value: string | null): string {
  return value === null ? "" : `=${value.replace(/\s+/g, "").toLowerCase()}`;
}

/** How posts are matched: one title at one unit, as the one-current-holder rule matches them (../facts.ts). */
function postKey(title: string): string {
  return title.trim().toLowerCase();
}

function encode(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
}

function decode(id: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(id)) return null;
  try {
    return JSON.parse(Buffer.from(id, "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

function conflictId(key: ConflictKey): string {
  return encode(["FactConflict", key.fact, key.institutionPk, key.post]);
}

function choiceId(conflict: string, choice: string): string {
  return encode(["FactChoice", conflict, choice]);
}

function conflictKeyOf(id: string): ConflictKey {
  const parts = decode(id);
  if (Array.isArray(parts) && parts.length === 4 && parts[0] === "FactConflict" && CONFLICT_FACTS.has(parts[1] as string) && Number.isSafeInteger(parts[2]) && (parts[2] as number) > 0) {
    const [, fact, institutionPk, post] = parts as [string, ConflictFact, number, unknown];
    if ((fact === "POSITION") === (typeof post === "string")) return { fact, institutionPk, post: fact === "POSITION" ? (post as string) : null };
  }
  throw new BadUserInputError(`input.conflict ${quoted(id)} is not a conflict id.`, "input.conflict");
}

function choiceOf(id: string): { conflict: string; choice: string } {
  const parts = decode(id);
  if (Array.isArray(parts) && parts.length === 3 && parts[0] === "FactChoice" && typeof parts[1] === "string" && typeof parts[2] === "string") return { conflict: parts[1], choice: parts[2] };
  throw new BadUserInputError(`input.choice ${quoted(id)} is not a choice id.`, "input.choice");
}

/**
 * Conflicts between sources, and how an editor settles them. Where sources disagree readers see
 * one value by the rule of ./facts.ts (an editor's latest entry, else the value first
 * published) and the others stay on record as disputed sources; a conflict lists them all.
 *
 * A conflict is open while its sources disagree and no editor's entry has decided it: an
 * editor's direct entry (settling, `updateInstitution`, `assignPosition`…) settles every source
 * it is newer than, so a story that disagrees after it opens the conflict again. Settling records
 * one more direct entry, for the chosen value: it wins by the same rule, and the losing sources
 * stay, shown `disputed`. A post's other current holders keep their `current` flag: the rule
 * keeps them from readers, and their sources stay as they are.
 */
export class ConflictService {
  constructor(private readonly db: Database) {}

  /** Open conflicts, the most recently disputed first; `includeProposed` counts what drafts and scheduled stories state. */
  async list(first: number, includeProposed: boolean): Promise<Conflict[]> {
    const limit = intInRange(first, "first", 0, MAX_CONFLICTS);
    if (limit === 0) return [];
    const found = await conflictsOf(this.db.reader.manager, includeProposed, null);
    return found.slice(0, limit).map((c) => c.conflict);
  }

  /**
   * Settles a conflict with one of its choices: the editor's entry for it, in one transaction.
   * BAD_USER_INPUT naming the id, with nothing changed, when the conflict is not open (or never
   * was) or the choice is not one of its choices. Answers the conflict if it is still open
   * (it is not, once settled: null).
   */
  async settle(ctx: DirectContext, input: { conflict: string; choice: string }): Promise<Conflict | null> {
    const key = conflictKeyOf(input.conflict);
    const picked = choiceOf(input.choice);
    if (picked.conflict !== input.conflict) throw new BadUserInputError(`input.choice ${quoted(input.choice)} is not a choice of conflict ${quoted(input.conflict)}.`, "input.choice");
    return this.db.transaction(async (em) => {
      const [open] = await conflictsOf(em, true, key);
      if (!open) throw new BadUserInputError(`input.conflict ${quoted(input.conflict)} names no open conflict.`, "input.conflict");
      const choice = open.conflict.choices.find((c) => c.id === input.choice);
      if (!choice) throw new BadUserInputError(`input.choice ${quoted(input.choice)} is not a choice of conflict ${quoted(input.conflict)}.`, "input.choice");
      if (key.fact === "POSITION") {
        const position = await em.findOneByOrFail(Position, { pk: choice.positionPk! });
        // As assignPosition: naming the holder of a post states that the holder and the unit exist.
        await recordDirectSources(em, ctx, [
          { fact: "PERSON", subjectId: position.personId, origin: false },
          { fact: "INSTITUTION", subjectId: position.institutionId, origin: false },
          { fact: "POSITION", subjectId: position.pk, origin: false },
        ]);
      } else {
        if (key.fact === "PARENT" && choice.value !== null && (await isSelfOrBelow(em, Number(choice.value), key.institutionPk))) {
          throw new BadUserInputError(`input.choice ${quoted(input.choice)} would put the institution under itself or one below it; that would make a loop.`, "input.choice");
        }
        await recordDirectSources(em, ctx, [{ fact: key.fact, subjectId: key.institutionPk, value: choice.value, origin: true }]);
      }
      const [still] = await conflictsOf(em, true, key);
      return still?.conflict ?? null;
    }, ctx.tally);
  }
}

/** A conflict with the newest source it counts, to order conflicts by. */
interface Found {
  readonly conflict: Conflict;
  readonly newest: number;
}

/** The open conflicts (or the one `only` names), newest first. */
async function conflictsOf(em: EntityManager, includeProposed: boolean, only: ConflictKey | null): Promise<Found[]> {
  const states: SourceState[] = includeProposed ? ["STATED", "PROPOSED"] : ["STATED"];
  const found = [...(only === null || only.fact !== "POSITION" ? await attributeConflicts(em, states, only) : []), ...(only === null || only.fact === "POSITION" ? await postConflicts(em, states, only) : [])];
  return found.sort((a, b) => b.newest - a.newest);
}

/**
 * Whether an editor's entry decided the disagreement among `live` (oldest first): the newest
 * editor's entry, when every source stating something else is older (recorded before it, and
 * published no later).
 */
function settled(live: readonly FactSource[], sameAs: (a: FactSource, b: FactSource) => boolean): boolean {
  const entry = [...live].reverse().find(isEditorEntry);
  if (!entry) return false;
  return live.every((s) => sameAs(s, entry) || (s.pk < entry.pk && (s.statedAt === null || entry.statedAt === null || s.statedAt <= entry.statedAt)));
}

async function attributeConflicts(em: EntityManager, states: SourceState[], only: ConflictKey | null): Promise<Found[]> {
  const facts = only === null ? ATTRIBUTE_KINDS : [only.fact];
  const candidates = em
    .createQueryBuilder(FactSource, "fs")
    .select("fs.fact", "fact")
    .addSelect("fs.subject_id", "subject")
    .where("fs.fact IN (:...facts) AND fs.state IN (:...states)", { facts, states })
    .groupBy("fs.fact")
    .addGroupBy("fs.subject_id")
    // A first sieve only (it folds spaces, not every blank): the values are compared again below.
    .having("COUNT(DISTINCT COALESCE(REPLACE(LOWER(fs.value), ' ', ''), '')) > 1");
  if (only !== null) candidates.andWhere("fs.subject_id = :subject", { subject: only.institutionPk });
  const pairs = await candidates.getRawMany<{ fact: AttributeFact; subject: number | string }>();
  if (pairs.length === 0) return [];
  const subjects = [...new Set(pairs.map((p) => Number(p.subject)))];
  const sources = await em.find(FactSource, { where: { fact: In([...new Set(pairs.map((p) => p.fact))]), subjectId: In(subjects), state: In(states) }, order: { pk: "ASC" } });
  const institutions = new Map((await em.find(Institution, { where: { pk: In(subjects) } })).map((i) => [i.pk, i]));
  const parentPks = sources.filter((s) => s.fact === "PARENT" && s.value !== null).map((s) => Number(s.value));
  const parents = new Map(parentPks.length === 0 ? [] : (await em.find(Institution, { where: { pk: In([...new Set(parentPks)]) } })).map((i) => [i.pk, i]));
  const found: Found[] = [];
  for (const pair of pairs) {
    const institution = institutions.get(Number(pair.subject));
    if (!institution) continue;
    const live = sources.filter((s) => s.fact === pair.fact && s.subjectId === institution.pk);
    const groups = new Map<string, FactSource[]>();
    for (const s of live) groups.set(valueKey(s.value), [...(groups.get(valueKey(s.value)) ?? []), s]);
    if (groups.size < 2 || settled(live, (a, b) => valueKey(a.value) === valueKey(b.value))) continue;
    const key: ConflictKey = { fact: pair.fact, institutionPk: institution.pk, post: null };
    const id = conflictId(key);
    const stored = institution[ATTRIBUTE_FACTS[pair.fact]];
    const accepted = valueKey(stored === null ? null : String(stored));
    const choices = [...groups].map(([choice, stating]): Choice => {
      const value = stating[0]!.value;
      const parent = pair.fact === "PARENT" && value !== null ? parents.get(Number(value)) : undefined;
      const label = value === null ? "(none)" : pair.fact !== "PARENT" ? value : parent ? (parent.shortName ?? parent.name) : `(institution ${value}, not stored)`;
      return { id: choiceId(id, choice), value, label, accepted: choice === accepted, positionPk: null, sources: stating };
    });
    found.push({ conflict: { id, ...key, title: null, proposed: proposedOnly(choices), choices: ordered(choices) }, newest: live[live.length - 1]!.pk });
  }
  return found;
}

async function postConflicts(em: EntityManager, states: SourceState[], only: ConflictKey | null): Promise<Found[]> {
  const query = em.createQueryBuilder(Position, "po").where("po.current = TRUE");
  if (only !== null) query.andWhere("po.institution_id = :unit", { unit: only.institutionPk });
  else {
    // Units with two current holders of one title, as a first sieve (SQLite folds ASCII case only): the posts are matched again below.
    const crowded = em
      .createQueryBuilder(Position, "c")
      .select("c.institution_id")
      .where("c.current = TRUE")
      .groupBy("c.institution_id")
      .addGroupBy("LOWER(TRIM(c.title))")
      .having("COUNT(*) > 1");
    query.andWhere(`po.institution_id IN (${crowded.getQuery()})`);
  }
  const positions = await query.orderBy("po.id", "ASC").getMany();
  if (positions.length === 0) return [];
  const pks = positions.map((p) => p.pk);
  const sources = await em.find(FactSource, { where: { fact: "POSITION", subjectId: In(pks) }, order: { pk: "ASC" } });
  const people = new Map((await em.find(Person, { where: { pk: In([...new Set(positions.map((p) => p.personId))]) } })).map((p) => [p.pk, p]));
  const posts = new Map<string, Position[]>();
  for (const p of positions) {
    if (only !== null && postKey(p.title) !== only.post) continue;
    const key = `${p.institutionId}|${postKey(p.title)}`;
    posts.set(key, [...(posts.get(key) ?? []), p]);
  }
  const found: Found[] = [];
  for (const holders of posts.values()) {
    // A holder is in contention while a live source states it, or when nothing ever brought it in (stored before sources were kept).
    const contenders = holders
      .map((position) => {
        const own = sources.filter((s) => s.subjectId === position.pk);
        return { position, live: own.filter((s) => states.includes(s.state)), legacy: !own.some((s) => s.origin) };
      })
      .filter((c) => c.live.length > 0 || c.legacy);
    if (contenders.length < 2) continue;
    const live = contenders.flatMap((c) => c.live).sort((a, b) => a.pk - b.pk);
    if (settled(live, (a, b) => a.subjectId === b.subjectId)) continue;
    const first = contenders[0]!.position;
    const key: ConflictKey = { fact: "POSITION", institutionPk: first.institutionId, post: postKey(first.title) };
    const id = conflictId(key);
    const choices = contenders.map(({ position, live: stating }): Choice => {
      const label = `${people.get(position.personId)?.name ?? `(person ${position.personId})`} (current ${position.title})`;
      return { id: choiceId(id, String(position.pk)), value: null, label, accepted: position.visible, positionPk: position.pk, sources: stating };
    });
    // A holder stored before sources were kept counts as stated (it is shown by the same rule).
    const proposed = contenders.some((c) => !c.legacy && !c.live.some((s) => s.state === "STATED"));
    found.push({ conflict: { id, ...key, title: first.title, proposed, choices: ordered(choices) }, newest: live.length > 0 ? live[live.length - 1]!.pk : 0 });
  }
  return found;
}

/** Whether some choice is stated only by proposals (drafts and scheduled stories). */
function proposedOnly(choices: readonly Choice[]): boolean {
  return choices.some((c) => !c.sources.some((s) => s.state === "STATED"));
}

/** The accepted choice first, then as first stated. */
function ordered(choices: readonly Choice[]): Choice[] {
  const firstPk = (c: Choice): number => c.sources[0]?.pk ?? 0;
  return [...choices].sort((a, b) => Number(b.accepted) - Number(a.accepted) || firstPk(a) - firstPk(b));
}
