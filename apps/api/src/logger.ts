import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * drizzle's query errors say "Failed query: … params: …", and the params of
 * our queries are token hashes, password hashes and emails. Keep the query,
 * drop the params, wherever the message is repeated (message and stack).
 */
function withoutParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, '\nparams: [hidden]');
}

type Serialized = { [key: string]: unknown };

/** The error as pino would log it, with query parameters removed at every level. */
function scrub(serialized: Serialized): Serialized {
  const { params: _, ...rest } = serialized;
  for (const key of ['message', 'stack'] as const) {
    if (typeof rest[key] === 'string') rest[key] = withoutParams(rest[key]);
  }
  if (rest.cause && typeof rest.cause === 'object') rest.cause = scrub(rest.cause as Serialized);
  return rest;
}

/** pino's error serializer, without query parameters. */
export const serializeError = (error: Error): Serialized =>
  scrub({ ...pino.stdSerializers.err(error) });

/**
 * JSON logs. Nothing logged may hold a password, a token or a hash: request
 * lines carry no headers or bodies (http/request-logger.ts), objects that happen to
 * carry such fields are redacted, and query errors lose their parameters.
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  return pino(
    {
      level: 'info',
      redact: {
        paths: ['*.authorization', '*.password', '*.token', '*.keyHash', '*.passwordHash'],
        censor: '[hidden]',
      },
      serializers: { err: serializeError },
      ...options,
    },
    destination ?? pino.destination(1),
  );
}
