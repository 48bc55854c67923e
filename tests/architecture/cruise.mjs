// Cruises src/ with the project's rules (.dependency-cruiser.cjs) through dependency-cruiser's
// JavaScript API and prints what the check needs as JSON: the modules it saw and every violation.
// A separate process because dependency-cruiser is an ES module only, which Jest's CommonJS
// runtime cannot import without an experimental Node flag.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(root);
const config = createRequire(import.meta.url)(path.join(root, ".dependency-cruiser.cjs"));
const result = await cruise(["src"], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } }, {}, { tsConfig: extractTSConfig(path.join(root, "tsconfig.json")) });
const { modules, summary } = result.output;
process.stdout.write(
  JSON.stringify({
    modules: modules.map((m) => m.source),
    violations: summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to, cycle: v.cycle?.map((c) => c.name) ?? null })),
  }),
);
