import { defineConfig } from 'drizzle-kit';

// `drizzle-kit generate` compares the schema with the committed migrations;
// it needs no database connection.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
