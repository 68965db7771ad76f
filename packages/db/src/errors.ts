/**
 * True when `error` (or anything in its `cause` chain, as drizzle wraps driver
 * errors) is PostgreSQL's unique_violation, optionally on one index. Works for
 * postgres.js (`constraint_name`) and PGlite (`constraint`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const fields = e as Error & { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (fields.code === '23505') {
      return (
        constraint === undefined ||
        fields.constraint_name === constraint ||
        fields.constraint === constraint
      );
    }
  }
  return false;
}
