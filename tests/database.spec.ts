import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../src/db/database";
import { tempSqliteFile } from "./helpers/server";

describe("the kept prepared statements", () => {
  it("survive eviction while in use: 1,500 distinct statements at once, each answered right", async () => {
    const file = tempSqliteFile();
    const db = await Database.open({ kind: "sqlite", file });
    try {
      // More distinct statements than the cache keeps, all in flight together, twice over.
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all(Array.from({ length: 1500 }, (_, i) => db.readPrepared(`SELECT ${i} AS n, ? AS echo`, [`v${i}`])));
        answers.forEach((rows, i) => expect(rows).toEqual([{ n: i, echo: `v${i}` }]));
      }
    } finally {
      await db.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
