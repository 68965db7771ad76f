import { createThrowawayDatabase, DatabaseServerError } from './throwaway-database.ts';

/**
 * Vitest's globalSetup for every package whose tests use `testDatabases`:
 * when DATABASE_URL is set, proves once, before any test file runs, that a
 * database of their own can be created and dropped on its server. If not, the
 * run stops with one sentence instead of one stack trace per test file.
 */
export default async function setup(): Promise<void> {
  // Empty means unset, as in the API's env.ts.
  const adminUrl = process.env.DATABASE_URL || undefined;
  if (!adminUrl) return;
  try {
    const database = await createThrowawayDatabase(adminUrl, 'tokenauth_check');
    await database.drop();
  } catch (error) {
    if (!(error instanceof DatabaseServerError)) throw error;
    // Thrown, Vitest would also report "No test files found".
    console.error(error.message);
    process.exit(1);
  }
}
