export { createDb, type Database, type Db, type DbOptions } from './client.ts';
export { isConnectionError, isUniqueViolation } from './errors.ts';
export { migrate, migrationsFolder } from './migrate.ts';
export * from './schema.ts';
