import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import type { EntityManager } from "typeorm";
import { slugify } from "../../src/kernel/slug";
import { Database } from "../../src/db/database";
import { entities } from "../../src/entities/entities";
import { DATASET_SIZE, DATASET_VERSION } from "./lib/dataset-cache";
import type { DatasetInfo } from "./lib/dataset-cache";
import { Random } from "./lib/random";
import { ATTRIBUTIONS, CITIES, FIRST_NAMES, LAST_NAMES, PROVINCES, TAGS, commentBody, headline, quoteText, storyBody, summaryOf } from "./lib/text";

/*
 * The benchmark dataset: 50 institutions, 200 people, 10,000 published stories of about 3 KB
 * with 1–3 institutions, 1–2 people, 1–2 tags, 3 quotes and 5 approved comments each. Written
 * through the real schema (Database.open runs the migrations; the FTS triggers stay on) with
 * multi-row INSERTs in large transactions, deterministically (seeded PRNG), and cached under
 * .bench/ by version (lib/dataset-cache.ts): change DATASET_VERSION whenever the generator changes.
 * Run by the cache as `node dist/tests/bench/dataset.js FILE`.
 */

const BASE_TIME = Date.parse("2024-01-01T00:00:00.000Z");
const MINUTE = 60_000;
const ARTICLES_PER_TRANSACTION = 1000;
// SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32766; stay well below it.
const MAX_VARIABLES = 20_000;

/** SQLite's datetime text as TypeORM writes it: `YYYY-MM-DD HH:MM:SS.SSS`, UTC. */
function sqliteTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

async function insertRows(em: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_VARIABLES / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await em.query(head + chunk.map(() => tuple).join(", "), chunk.flat());
  }
}

interface InstitutionRow {
  id: number;
  name: string;
  shortName: string;
  kind: string;
  classification: string | null;
  city: string | null;
  province: string | null;
  parentId: number | null;
}

function institutions(rnd: Random): InstitutionRow[] {
  const rows: InstitutionRow[] = [
    { id: 1, name: "Kementerian Imigrasi dan Pemasyarakatan", shortName: "Kemenimipas", kind: "MINISTRY", classification: null, city: "Jakarta", province: "DKI Jakarta", parentId: null },
    { id: 2, name: "Direktorat Jenderal Pemasyarakatan", shortName: "Ditjenpas", kind: "DITJEN", classification: null, city: "Jakarta", province: "DKI Jakarta", parentId: 1 },
  ];
  const kanwilOf = new Map<string, number>();
  for (const province of PROVINCES) {
    const id = rows.length + 1;
    kanwilOf.set(province, id);
    rows.push({ id, name: `Kantor Wilayah Direktorat Jenderal Pemasyarakatan ${province}`, shortName: `Kanwil Ditjenpas ${province}`, kind: "KANWIL", classification: null, city: null, province, parentId: 2 });
  }
  const kinds: Array<[string, string, string, readonly string[]]> = [
    ["LAPAS", "Lembaga Pemasyarakatan", "Lapas", ["I", "IIA", "IIA", "IIB", "III"]],
    ["RUTAN", "Rumah Tahanan Negara", "Rutan", ["I", "IIA", "IIB", "IIB"]],
    ["LPKA", "Lembaga Pembinaan Khusus Anak", "LPKA", ["I", "II"]],
    ["BAPAS", "Balai Pemasyarakatan", "Bapas", ["I", "II"]],
  ];
  CITIES.forEach(([city, province], i) => {
    const [kind, longName, shortName, classes] = kinds[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : i % 2 === 0 ? 2 : 3]!;
    const classification = rnd.pick(classes);
    rows.push({ id: rows.length + 1, name: `${longName} Kelas ${classification} ${city}`, shortName: `${shortName} ${city}`, kind, classification, city, province, parentId: kanwilOf.get(province)! });
  });
  if (rows.length !== DATASET_SIZE.institutions) throw new Error(`expected ${DATASET_SIZE.institutions} institutions, made ${rows.length}`);
  return rows;
}

function headTitle(kind: string): string {
  switch (kind) {
    case "MINISTRY":
      return "Menteri";
    case "DITJEN":
      return "Direktur Jenderal";
    case "KANWIL":
      return "Kepala Kantor Wilayah";
    case "LAPAS":
      return "Kepala Lapas";
    case "RUTAN":
      return "Kepala Rutan";
    case "LPKA":
      return "Kepala LPKA";
    default:
      return "Kepala Bapas";
  }
}

const STAFF_TITLES = ["Kepala Seksi Pembinaan", "Kepala Kesatuan Pengamanan", "Pembimbing Kemasyarakatan", "Kepala Subseksi Registrasi", "Kepala Seksi Kegiatan Kerja", "Petugas Layanan Kunjungan"];
const SOURCES = ["Warta Pemasyarakatan", "Kabar Lapas", "Berita Nusantara", "Suara Daerah"];
const COMMENTERS = ["Rina", "Pak Darto", "Bu Wati", "Yusuf", "Andika", "Mbak Sri", "Kang Asep", "Wayan Sudira", "Putri", "Hasan", "Lina Marlina", "Bang Togar"];

/** Writes the dataset into a fresh file at `file`. */
export async function generateDataset(file: string): Promise<Omit<DatasetInfo, "generationMs" | "fileBytes">> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  const db = await Database.open({ kind: "sqlite", file }, entities);
  const rnd = new Random(0x5eed_2025);
  try {
    const inst = institutions(rnd);
    const units = inst.filter((i) => i.city !== null && i.kind !== "MINISTRY" && i.kind !== "DITJEN");
    const names = rnd.sample(FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`)), DATASET_SIZE.people);
    const people = names.map((name, i) => ({ id: i + 1, name }));
    // The first 50 people head the 50 institutions; the others work at a random unit.
    const positions = people.map((p, i) => {
      const at = i < inst.length ? inst[i]! : rnd.pick(units);
      return { id: i + 1, personId: p.id, institutionId: at.id, title: i < inst.length ? headTitle(at.kind) : rnd.pick(STAFF_TITLES) };
    });
    const peopleAt = new Map<number, number[]>();
    for (const pos of positions) peopleAt.set(pos.institutionId, [...(peopleAt.get(pos.institutionId) ?? []), pos.personId]);
    const institutionOf = new Map(positions.map((p) => [p.personId, p.institutionId]));

    await db.transaction(async (em) => {
      await insertRows(em, "institution", ["id", "slug", "name", "short_name", "kind", "classification", "city", "province", "parent_id"], inst.map((i) => [i.id, slugify(i.shortName), i.name, i.shortName, i.kind, i.classification, i.city, i.province, i.parentId]));
      const accreditations: unknown[][] = [];
      for (const unit of units) {
        if (rnd.chance(0.35)) accreditations.push([accreditations.length + 1, "WBK", "Wilayah Bebas dari Korupsi", rnd.int(2021, 2024), unit.id]);
        if (rnd.chance(0.1)) accreditations.push([accreditations.length + 1, "WBBM", "Wilayah Birokrasi Bersih dan Melayani", 2025, unit.id]);
      }
      await insertRows(em, "accreditation", ["id", "code", "title", "year", "institution_id"], accreditations);
      await insertRows(em, "person", ["id", "slug", "name"], people.map((p) => [p.id, slugify(p.name), p.name]));
      await insertRows(em, "position", ["id", "title", "current", "person_id", "institution_id"], positions.map((p) => [p.id, p.title, 1, p.personId, p.institutionId]));
      await insertRows(em, "tag", ["id", "slug", "name"], TAGS.map((t, i) => [i + 1, slugify(t), t]));
    });

    const slugCounts = new Map<string, number>();
    let quoteId = 0;
    let commentId = 0;
    let bodyBytes = 0;
    for (let start = 0; start < DATASET_SIZE.articles; start += ARTICLES_PER_TRANSACTION) {
      const articles: unknown[][] = [];
      const links = { institution: [] as unknown[][], person: [] as unknown[][], tag: [] as unknown[][] };
      const quotes: unknown[][] = [];
      const comments: unknown[][] = [];
      for (let i = start; i < Math.min(DATASET_SIZE.articles, start + ARTICLES_PER_TRANSACTION); i++) {
        const id = i + 1;
        const main = rnd.chance(0.85) ? rnd.pick(units) : rnd.pick(inst.slice(1, 8));
        const mentioned = [main, ...rnd.sample(inst.filter((x) => x.id !== main.id), rnd.int(0, 2))];
        const local = peopleAt.get(main.id) ?? [];
        const speakerIds = [...new Set([local.length > 0 && rnd.chance(0.8) ? rnd.pick(local) : rnd.int(1, people.length), rnd.int(1, people.length)])].slice(0, rnd.int(1, 2));
        const speakers = speakerIds.map((pid) => people[pid - 1]!.name);
        const title = headline(rnd, main.shortName);
        const base = slugify(title);
        const seen = (slugCounts.get(base) ?? 0) + 1;
        slugCounts.set(base, seen);
        const slug = seen === 1 ? base : `${base}-${seen}`;
        const place = (main.city ?? main.province ?? "Jakarta").toUpperCase();
        const body = storyBody(rnd, place, main.shortName, speakers, DATASET_SIZE.bodyChars);
        bodyBytes += Buffer.byteLength(body);
        // Distinct publication times about 53 minutes apart, a few seconds of jitter.
        const publishedAt = BASE_TIME + i * 53 * MINUTE + rnd.int(0, 59) * 1000 + rnd.int(0, 999);
        const createdAt = publishedAt - rnd.int(30, 48 * 60) * MINUTE;
        articles.push([id, slug, title, summaryOf(rnd, main.shortName), body, place, rnd.pick(SOURCES), "PUBLISHED", sqliteTime(publishedAt), null, sqliteTime(createdAt), sqliteTime(publishedAt)]);
        mentioned.forEach((m, position) => links.institution.push([id, m.id, position]));
        speakerIds.forEach((pid, position) => links.person.push([id, pid, position]));
        rnd.sample(TAGS, rnd.int(1, 2)).forEach((t, position) => links.tag.push([id, TAGS.indexOf(t) + 1, position]));
        for (let q = 0; q < DATASET_SIZE.quotesPerArticle; q++) {
          const speaker = speakerIds[q % speakerIds.length]!;
          const home = institutionOf.get(speaker)!;
          const spokeFor = mentioned.some((m) => m.id === home) ? home : main.id;
          quotes.push([++quoteId, `${quoteText(rnd)}.`, rnd.pick(ATTRIBUTIONS), q, id, speaker, spokeFor]);
        }
        const firstComment = commentId + 1;
        for (let c = 0; c < DATASET_SIZE.commentsPerArticle; c++) {
          const author = rnd.pick(COMMENTERS);
          const parent = c === DATASET_SIZE.commentsPerArticle - 1 && rnd.chance(0.5) ? firstComment : null;
          const website = rnd.chance(0.1) ? `https://blog-${slugify(author)}.example.id` : null;
          comments.push([++commentId, id, parent, author, `${slugify(author).replace(/-/g, ".")}${rnd.int(1, 99)}@example.id`, website, commentBody(rnd), "APPROVED", sqliteTime(publishedAt + (c + 1) * rnd.int(5, 90) * MINUTE)]);
        }
      }
      await db.transaction(async (em) => {
        await insertRows(em, "article", ["id", "slug", "title", "summary", "body", "dateline", "source", "status", "published_at", "scheduled_for", "created_at", "updated_at"], articles);
        await insertRows(em, "article_institution", ["article_id", "institution_id", "position"], links.institution);
        await insertRows(em, "article_person", ["article_id", "person_id", "position"], links.person);
        await insertRows(em, "article_tag", ["article_id", "tag_id", "position"], links.tag);
        await insertRows(em, "quote", ["id", "text", "attribution", "position", "article_id", "speaker_id", "institution_id"], quotes);
        await insertRows(em, "comment", ["id", "article_id", "parent_id", "author_name", "author_email", "author_website", "body", "status", "created_at"], comments);
      });
    }
    await db.writer.query("PRAGMA wal_checkpoint(TRUNCATE)");
    return {
      version: DATASET_VERSION,
      file,
      articles: DATASET_SIZE.articles,
      institutions: inst.length,
      people: people.length,
      quotes: quoteId,
      comments: commentId,
      averageBodyBytes: Math.round(bodyBytes / DATASET_SIZE.articles),
    };
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: node dist/tests/bench/dataset.js FILE");
    process.exit(2);
  }
  generateDataset(path.resolve(target)).then(
    (info) => {
      fs.writeFileSync(`${path.resolve(target)}.json`, JSON.stringify(info));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
