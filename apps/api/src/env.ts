import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Unset and empty mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `90d`, `12h`, `30m`, `45s`, `500ms`, or bare seconds; in milliseconds. */
const duration = (fallback: string) =>
  optional(
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim());
        if (!match) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a duration such as 14d, 12h, 30m or 45s',
          });
          return z.NEVER;
        }
        return Number(match[1]) * UNITS[(match[2] ?? 's') as keyof typeof UNITS];
      }),
  );

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
  /** A token unused for this long expires; each use pushes this back. */
  TOKEN_IDLE_TIMEOUT: duration('14d'),
  /** A token expires this long after its login, however much it is used. */
  TOKEN_MAX_AGE: duration('90d'),
  /** Last-used times are written at most this often per token. */
  TOKEN_TOUCH_INTERVAL: duration('1m'),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type Env = z.infer<typeof schema>;

/** Parses an environment; throws one error that lists every invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  throw new Error(`Invalid environment variables:\n${problems.join('\n')}`);
}

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** The only place that reads process.env. */
export const env = loadEnv();
