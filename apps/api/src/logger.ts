import pino from 'pino';
import { env } from './env.ts';

export const logger = pino({
  level: env.LOG_LEVEL,
  // Never let a secret reach the logs, whatever object is logged.
  redact: ['req.headers.authorization', '*.password', '*.token', '*.keyHash', '*.passwordHash'],
});
