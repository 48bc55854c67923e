// The postgres-api project runs the integration suites again with every test server on its own
// PostgreSQL database (see tests/helpers/server.ts). DATABASE_URL stays set, so the entities
// take PostgreSQL's column types.
process.env.TEST_DATABASE = "postgres";
process.env.LOG_LEVEL ??= "silent";
