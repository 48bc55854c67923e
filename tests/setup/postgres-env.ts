// The postgres-api project runs the integration suites again with every test server on its own
// PostgreSQL database (see tests/helpers/server.ts), made on the DATABASE_URL server, which
// therefore stays set.
process.env.TEST_DATABASE = "postgres";
process.env.LOG_LEVEL ??= "silent";
