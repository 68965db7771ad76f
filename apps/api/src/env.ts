import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const schema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production']).default('development')),
  HOST: optional(z.string().default('127.0.0.1')),
  PORT: optional(z.coerce.number().int().min(0).max(65_535).default(3000)),
  /** PostgreSQL server; when unset, the embedded PGlite database is used. */
  DATABASE_URL: optional(
    z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
  ),
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(1000).default(10)),
  /** Where PGlite keeps its files; relative paths are from the repository root. */
  PGLITE_DIR: optional(
    z
      .string()
      .default('.data/pglite')
      .transform((dir) => (isAbsolute(dir) ? dir : resolve(repoRoot, dir))),
  ),
  /** bcrypt work factor: each step doubles the time a hash takes. */
  BCRYPT_COST: optional(z.coerce.number().int().min(4).max(31).default(12)),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type Env = z.infer<typeof schema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  console.error(`Invalid environment variables:\n${problems.join('\n')}`);
  process.exit(1);
}

/** The only place that reads process.env. */
export const env = parseEnv(process.env);
