// The SQLite suites choose their database themselves; a DATABASE_URL in the caller's shell must
// not reach what reads the environment (loadConfig, the command-line tools they start).
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL ??= "silent";
