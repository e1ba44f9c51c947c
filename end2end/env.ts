/** The e2e server's database: the server (playwright.config.ts) and the operator CLI that the
 * specs run (tests/support.ts) must use the same one. */
export const databaseUrl = process.env.E2E_DATABASE_URL ?? "sqlite://.tmp/e2e.db?mode=rwc";
