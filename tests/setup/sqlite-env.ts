// The SQLite suites choose their database themselves; a DATABASE_URL in the caller's shell must
// not switch the entity column types of this process to PostgreSQL's.
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL ??= "silent";
