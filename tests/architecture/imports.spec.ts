import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * The layers of src/ import only downward and no files import each other in a circle: the rules
 * live in .dependency-cruiser.cjs (`npm run lint:imports` prints the same findings).
 */
interface Cruise {
  readonly modules: string[];
  readonly violations: Array<{ rule: string; from: string; to: string; cycle: string[] | null }>;
}

function cruiseSource(): Cruise {
  const out = execFileSync(process.execPath, [path.join(__dirname, "cruise.mjs")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as Cruise;
}

describe("the import graph of src/", () => {
  it("has no circles and no upward imports", () => {
    const { modules, violations } = cruiseSource();
    // The cruise really read the source: an empty one would find nothing wrong.
    expect(modules).toEqual(expect.arrayContaining(["src/server.ts", "src/kernel/errors.ts", "src/api/schema.ts", "src/db/database.ts"]));
    const found = violations.map((v) => (v.cycle ? `${v.rule}: ${[v.from, ...v.cycle].join(" → ")}` : `${v.rule}: ${v.from} → ${v.to}`));
    expect(found).toEqual([]);
  });
});
