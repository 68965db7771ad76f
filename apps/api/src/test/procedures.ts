import { testRouter } from './databases.ts';

/**
 * Every procedure of the router with its type, found by walking it (tRPC's
 * `_def`, which only tests read), so new procedures are fuzzed and
 * documented too.
 */
export const procedures = Object.entries(
  testRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type }));
