import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import ms from 'ms';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import type { RateLimit } from './rate-limit.ts';

/** The kinds of value env.ts reads, each a zod schema of an environment string. */

/** Unset and empty mean the same: the default. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * `90d`, `12h`, `30m`, `45s`, `500ms` (anything the `ms` package reads), or
 * bare seconds, in milliseconds; undefined if malformed.
 */
function parseDuration(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const parsed = /^\d+$/.test(text) ? Number(text) * 1000 : ms(text as ms.StringValue);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** A duration such as `14d`, in milliseconds. */
export const duration = (fallback: string) =>
  optional(
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const ms = parseDuration(value);
        if (ms !== undefined) return ms;
        ctx.addIssue({
          code: 'custom',
          message: 'must be a duration such as 14d, 12h, 30m or 45s',
        });
        return z.NEVER;
      }),
  );

/** A rate limit such as `10/15m` (10 per 15 minutes), or `off`. */
export const rateLimit = (fallback: string) =>
  optional(
    z
      .string()
      .default(fallback)
      .transform((value, ctx): RateLimit => {
        if (value.trim() === 'off') return null;
        const [points, window = ''] = value.split('/');
        const durationMs = parseDuration(window);
        if (points && /^\d+$/.test(points.trim()) && Number(points) > 0 && durationMs) {
          return { points: Number(points), durationMs };
        }
        ctx.addIssue({ code: 'custom', message: 'must be like 10/15m (10 per 15 minutes) or off' });
        return z.NEVER;
      }),
  );

/**
 * Which X-Forwarded-For entries to believe: a number of proxy hops in front
 * of the API, or a comma-separated list of proxy addresses and ranges
 * (proxy-addr's forms: `10.0.0.1`, `10.0.0.0/8`, `loopback`); 0 believes none.
 */
export const trustedProxies = (fallback: string) =>
  optional(
    z
      .string()
      .default(fallback)
      .transform((value, ctx): number | string[] => {
        const text = value.trim();
        if (/^\d+$/.test(text)) return Number(text);
        const list = text
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
        try {
          proxyAddr.compile(list);
          return list;
        } catch {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a number of proxies, or a comma-separated list of proxy addresses',
          });
          return z.NEVER;
        }
      }),
  );

/** A comma-separated list of origins (URLs); empty by default. */
export const originList = () =>
  optional(
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ error: 'must be a comma-separated list of origins' }))),
  );

/** `true` or `false` (also `1`, `0`, `yes`, `no`). */
export const flag = (fallback: boolean) =>
  optional(
    z
      .string()
      .default(String(fallback))
      .transform((value, ctx) => {
        const text = value.trim().toLowerCase();
        if (['true', '1', 'yes'].includes(text)) return true;
        if (['false', '0', 'no'].includes(text)) return false;
        ctx.addIssue({ code: 'custom', message: 'must be true or false' });
        return z.NEVER;
      }),
  );

/**
 * PEM text as environment files carry it: real line breaks, or `\n` escapes
 * on one line.
 */
const pemText = (value: string) => value.replace(/\\n/g, '\n').trim();

/** Each `-----BEGIN …-----` block of a text, in order. */
export const pemBlocks = (value: string) =>
  pemText(value).match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];

/** A private key in PEM (PKCS#8, or SEC1 for EC), as a KeyObject; unset by default. */
export const privateKeyPem = () =>
  optional(
    z
      .string()
      .optional()
      .transform((value, ctx): KeyObject | undefined => {
        if (value === undefined) return undefined;
        try {
          return createPrivateKey(pemText(value));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a private key in PEM' });
          return z.NEVER;
        }
      }),
  );

/** Public (or private) keys in PEM, one block after another, as public KeyObjects; none by default. */
export const publicKeyPems = () =>
  optional(
    z
      .string()
      .default('')
      .transform((value, ctx): KeyObject[] => {
        const blocks = pemBlocks(value);
        if (value.trim() !== '' && blocks.length === 0) {
          ctx.addIssue({ code: 'custom', message: 'must be one or more keys in PEM' });
          return z.NEVER;
        }
        try {
          return blocks.map((block) => createPublicKey(block));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be one or more keys in PEM' });
          return z.NEVER;
        }
      }),
  );
