/**
 * The shape of src/: layers that import only downward, and no import circles. Checked by
 * `npm run lint:imports` and by tests/architecture/imports.spec.ts (so `npm test` fails on a
 * violation). Type-only imports count too: a type from a higher layer ties the lower one to it
 * just the same.
 *
 * Each layer may import the layers listed before it and its own files, nothing after it.
 */
const LAYERS = [
  { name: "kernel", path: "^src/kernel/", owns: "errors, ids, viewer and roles, request context and scope, page arguments and cursors, logger, scalars" },
  { name: "config", path: "^src/config\\.ts$", owns: "the environment, read and validated once when called; the query limits" },
  { name: "db", path: "^src/db/", owns: "the Database (entity list given to it), keyset paging, SQL helpers, dialect SQL, migrations" },
  { name: "events", path: "^src/events/", owns: "the event log: outbox and its plain payload types, bus, channel, notifier, live stats" },
  { name: "observability", path: "^src/observability/", owns: "the Prometheus metrics" },
  { name: "entities", path: "^src/entities/", owns: "the stored records (TypeORM rows that are also the GraphQL object types)" },
  { name: "services", path: "^src/services/", owns: "reads and writes with visibility rules, the importer, the seed, the scheduler" },
  { name: "api", path: "^src/api/", owns: "the GraphQL schema: resolvers, inputs, connections, loaders, per-request context" },
  { name: "policy", path: "^src/policy/", owns: "the operation policy: parse, validate, limits, cost, persisted queries" },
  { name: "cache", path: "^src/cache/", owns: "the response cache, its HTTP side and invalidation" },
  { name: "transport", path: "^src/(transport|playground|ticker|feeds)/", owns: "HTTP and WebSocket doors, and the HTTP pages, feeds and sitemaps" },
  { name: "root", path: "^src/(server|main)\\.ts$|^src/tools/", owns: "the composition root: builds and wires everything" },
];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: the files in it can only be understood, loaded and tested together.",
      from: {},
      to: { circular: true },
    },
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `${layer.name}-imports-only-downward`,
      severity: "error",
      comment: `${layer.name} (${layer.owns}) may import only ${
        i === 0 ? "packages" : LAYERS.slice(0, i).map((l) => l.name).join(", ")
      } and itself, not ${LAYERS.slice(i + 1).map((l) => l.name).join(", ")}.`,
      from: { path: layer.path },
      to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
    })),
    {
      name: "in-a-layer",
      severity: "error",
      comment: "Every file under src/ belongs to a layer; a new folder is given its place in this file's LAYERS first.",
      from: { path: "^src/", pathNot: LAYERS.map((l) => l.path) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["node_modules", "^tests/", "^dist/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
