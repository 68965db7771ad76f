import type { z } from 'zod';
import type { Authenticated } from '../auth/verify-token.ts';
import type { Context } from '../context.ts';

/** An answer of the REST face: status, JSON body (none for a 204) and extra headers. */
export type RestAnswer = { status: number; body?: unknown; headers?: string[] };

/** A 400 naming fields, DRF's `{"<field>": ["…"]}`. */
export const fieldErrors = (errors: Record<string, string[]>): RestAnswer => ({
  status: 400,
  body: errors,
});

type Call<Auth, Body> = {
  ctx: Context;
  auth: Auth;
  /** The path's parameters (`{id}`), decoded. */
  params: Record<string, string>;
  /** The body, read and checked against the operation's schema (a 400 if it fails). */
  body(): Body;
};

/** What the OpenAPI document says of an operation, beside what it can tell by itself. */
type Described = {
  summary: string;
  description?: string;
  /** The answers this operation gives on its own; the face's common ones are added. */
  answers: Record<number, { description: string; schema?: z.ZodType }>;
  /** Under a rate limit: may answer 429. */
  limited?: boolean;
  /**
   * Never reads the Authorization header, as simplejwt's views do not: a
   * client that sends its expired access token with every request can
   * still refresh it.
   */
  ignoresAuthorization?: boolean;
};

/** One method of one endpoint. */
export type Operation = Described & {
  needsToken: boolean;
  body?: z.ZodType;
  handle(call: Call<Authenticated | undefined, unknown>): Promise<RestAnswer>;
};

type Definition<Auth, S extends z.ZodType | undefined> = Described & {
  body?: S;
  handle(
    call: Call<Auth, S extends z.ZodType ? z.output<S> : Record<string, never>>,
  ): Promise<RestAnswer>;
};

/** An operation anyone may call; a token, if sent, must still be valid. */
export const open = <S extends z.ZodType | undefined = undefined>(
  definition: Definition<Authenticated | undefined, S>,
): Operation => ({ ...definition, needsToken: false }) as Operation;

/** An operation that needs a token: 401 without one. */
export const withToken = <S extends z.ZodType | undefined = undefined>(
  definition: Definition<Authenticated, S>,
): Operation => ({ ...definition, needsToken: true }) as Operation;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One endpoint: its path as OpenAPI writes it (`/api/v1/users/{id}/`) and its methods. */
export type Route = { path: string; methods: Partial<Record<Method, Operation>> };
