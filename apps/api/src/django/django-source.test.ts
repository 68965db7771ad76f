import { describe, expect, it } from 'vitest';
import { djangoId, SourceError, toDate } from './django-source.ts';

describe('reading Django values', () => {
  it('reads times as Django and PostgreSQL write them; a naive one as UTC', () => {
    const instant = '2026-12-01T03:09:12.540Z';
    for (const text of [
      '2026-12-01T03:09:12.540Z', // dumpdata
      '2026-12-01 03:09:12.540+00', // timestamptz as text
      '2026-12-01 05:09:12.540+02:00',
      '2026-12-01 03:09:12.540', // timestamp without time zone (USE_TZ = False)
      '2026-12-01T03:09:12.540',
    ]) {
      expect(toDate(text)?.toISOString(), text).toBe(instant);
    }
    expect(toDate(null)).toBeNull();
    expect(toDate('')).toBeNull();
    expect(toDate('yesterday')).toBeNull();
  });

  it('takes integer ids only', () => {
    expect(djangoId(7)).toBe(7);
    expect(djangoId('9007199254740991')).toBe(9007199254740991);
    expect(djangoId(-3)).toBe(-3);
    for (const bad of ['7e2', 'a1b2', 1.5, null, '99999999999999999999']) {
      expect(() => djangoId(bad), String(bad)).toThrow(SourceError);
    }
  });
});
