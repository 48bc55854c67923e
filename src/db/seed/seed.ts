import fs from "node:fs";
import path from "node:path";
import { slugify } from "../../common/slug";
import { Article, ArticleInstitution, ArticlePerson, ArticleStatus } from "../../modules/article/article.entity";
import { Accreditation, Institution, InstitutionKind } from "../../modules/institution/institution.entity";
import { Person, Position } from "../../modules/person/person.entity";
import { Quote } from "../../modules/quote/quote.entity";
import type { Database } from "../database";
import { parseStory } from "./story";

/** The story file kept inside the project (users have no ../shared). */
export const SEED_STORY_FILE = path.join(__dirname, "seed-article.txt");

/*
 * What the story states about its institutions and people, and nothing more: the text gives no
 * province for either Lapas and no class for Lapas Bojonegoro, so those stay empty. Both Lapas
 * are "UPT Pemasyarakatan di bawah Kementerian Hukum dan HAM" (last paragraph), hence the parent.
 */
const INSTITUTIONS = {
  banyuwangi: { name: "Lembaga Pemasyarakatan Kelas IIA Banyuwangi", shortName: "Lapas Banyuwangi", kind: InstitutionKind.LAPAS, classification: "IIA", city: "Banyuwangi" },
  bojonegoro: { name: "Lapas Bojonegoro", shortName: "Lapas Bojonegoro", kind: InstitutionKind.LAPAS, classification: null, city: "Bojonegoro" },
  ministry: { name: "Kementerian Hukum dan HAM", shortName: null, kind: InstitutionKind.MINISTRY, classification: null, city: null },
} as const;
type InstitutionKey = keyof typeof INSTITUTIONS;

const PEOPLE = {
  hari: { name: "Hari Winarca", position: "Kepala Lapas", at: "bojonegoro" },
  wayan: { name: "I Wayan Nurasta Wibawa", position: "Kepala Lapas", at: "banyuwangi" },
} as const;
type PersonKey = keyof typeof PEOPLE;

/** Who speaks each direct quote, in order, and for which institution (from the paragraphs around them). */
const SPEAKERS: ReadonlyArray<{ person: PersonKey; for: InstitutionKey }> = [
  { person: "hari", for: "bojonegoro" },
  { person: "hari", for: "bojonegoro" },
  { person: "wayan", for: "banyuwangi" },
  { person: "wayan", for: "banyuwangi" },
];

/**
 * Loads the seed story when the database holds no story yet, all in one transaction.
 * Returns true when it loaded something.
 */
export async function loadSeed(db: Database, now: Date = new Date()): Promise<boolean> {
  const story = parseStory(fs.readFileSync(SEED_STORY_FILE, "utf8"));
  if (story.quotes.length !== SPEAKERS.length) {
    throw new Error(`The seed story has ${story.quotes.length} quotes but ${SPEAKERS.length} are attributed.`);
  }
  return db.transaction(async (em) => {
    if ((await em.count(Article)) > 0) return false;

    const institutions = {} as Record<InstitutionKey, Institution>;
    const ministry = await em.save(em.create(Institution, { ...INSTITUTIONS.ministry, slug: slugify(INSTITUTIONS.ministry.name), province: null, parentId: null }));
    institutions.ministry = ministry;
    for (const key of ["banyuwangi", "bojonegoro"] as const) {
      const spec = INSTITUTIONS[key];
      institutions[key] = await em.save(em.create(Institution, { ...spec, slug: slugify(spec.shortName), province: null, parentId: ministry.pk }));
    }
    await em.save(em.create(Accreditation, { institutionId: institutions.banyuwangi.pk, code: "WBK", title: "Wilayah Bebas dari Korupsi", year: 2023 }));

    const people = {} as Record<PersonKey, Person>;
    for (const key of ["hari", "wayan"] as const) {
      const spec = PEOPLE[key];
      people[key] = await em.save(em.create(Person, { name: spec.name, slug: slugify(spec.name) }));
      await em.save(em.create(Position, { personId: people[key].pk, institutionId: institutions[spec.at].pk, title: spec.position, current: true }));
    }

    const article = await em.save(
      em.create(Article, {
        slug: slugify(story.title),
        title: story.title,
        summary: null,
        body: story.paragraphs.join("\n\n"),
        dateline: story.dateline,
        source: story.source,
        status: ArticleStatus.PUBLISHED,
        publishedAt: now,
        scheduledFor: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const mentioned: InstitutionKey[] = ["banyuwangi", "bojonegoro", "ministry"];
    await em.save(mentioned.map((key, position) => em.create(ArticleInstitution, { articleId: article.pk, institutionId: institutions[key].pk, position })));
    await em.save((["hari", "wayan"] as const).map((key, position) => em.create(ArticlePerson, { articleId: article.pk, personId: people[key].pk, position })));
    await em.save(
      story.quotes.map((quote, position) =>
        em.create(Quote, {
          articleId: article.pk,
          speakerId: people[SPEAKERS[position]!.person].pk,
          institutionId: institutions[SPEAKERS[position]!.for].pk,
          text: quote.text,
          attribution: quote.attribution,
          position,
        }),
      ),
    );
    return true;
  });
}
