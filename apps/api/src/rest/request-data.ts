import { HttpError } from '../http/exchange.ts';

/** Python's name for a JSON value's type, as DRF's messages say it. */
function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** What a request body must be: a JSON object or a form. */
export class NotADictionary extends Error {
  constructor(readonly got: string) {
    super(`Invalid data. Expected a dictionary, but got ${got}.`);
  }
}

/**
 * The request's data as DRF's parsers read it: JSON or a form
 * (`application/x-www-form-urlencoded`, as httpie --form sends), an empty
 * body being no fields. Anything else is a 415; malformed JSON a 400.
 */
export function requestData(
  contentType: string | undefined,
  body: string,
): Record<string, unknown> {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(body));
  }
  if (type !== 'application/json') throw new HttpError(415, contentType ?? '');
  if (body.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw new HttpError(400, `JSON parse error - ${(error as Error).message}`);
  }
  if (pythonType(data) !== 'dict') throw new NotADictionary(pythonType(data));
  return data as Record<string, unknown>;
}
