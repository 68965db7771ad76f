import type { Services } from './services.ts';

/** What a client sent that procedures use; every field optional. */
export type RequestInfo = {
  /** The raw Authorization header; protectedProcedure parses and checks it. */
  authorization?: string | undefined;
  /** Recorded with the tokens a login issues. */
  userAgent?: string | undefined;
  /** Recorded with tokens, and keys the per-IP rate limits. */
  ip?: string | undefined;
  /** The current time; tests move it to expire tokens. */
  now?: () => Date;
  /** Aborted when the client goes away before its answer: no password check starts then. */
  signal?: AbortSignal | undefined;
};

export type Context = Services & {
  authorization: string | undefined;
  userAgent: string | undefined;
  ip: string | undefined;
  now: () => Date;
  signal: AbortSignal | undefined;
};

const currentTime = () => new Date();

/**
 * The context without HTTP: what tests pass to createCaller, and what each
 * face builds for a request from the services and what the request says.
 */
export function createContextInner(services: Services, request: RequestInfo = {}): Context {
  return {
    db: services.db,
    findToken: services.findToken,
    hasher: services.hasher,
    tokenPolicy: services.tokenPolicy,
    limits: services.limits,
    mail: services.mail,
    jwt: services.jwt,
    authorization: request.authorization,
    userAgent: request.userAgent,
    ip: request.ip,
    now: request.now ?? currentTime,
    signal: request.signal,
  };
}
