export { createDb, type Database, type Db, type DbOptions } from './client.ts';
export {
  isConnectionError,
  isDuplicateTable,
  isForeignKeyViolation,
  isSchemaBehind,
  isUniqueViolation,
} from './errors.ts';
export { migrate, migrationsFolder } from './migrate.ts';
export { type PreparedRows, prepareRows } from './prepared-rows.ts';
export * from './schema.ts';
