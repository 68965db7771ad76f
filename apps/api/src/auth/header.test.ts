import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from './header.ts';

describe('parseAuthorizationHeader', () => {
  it.each([
    ['Token abc123', 'token', 'abc123'],
    ['token abc123', 'token', 'abc123'],
    ['TOKEN abc123', 'token', 'abc123'],
    ['Bearer abc123', 'bearer', 'abc123'],
    ['bearer abc123', 'bearer', 'abc123'],
    ['  Token    abc123  ', 'token', 'abc123'],
    ['Token\tabc123', 'token', 'abc123'],
    ['JWT a.b.c', 'jwt', 'a.b.c'],
    ['Bearer eyJ.eyJ.sig_-', 'bearer', 'eyJ.eyJ.sig_-'],
  ])('reads %j', (header, scheme, key) => {
    expect(parseAuthorizationHeader(header)).toEqual({ ok: true, scheme, key });
  });

  it.each([
    [undefined, 'notAuthenticated'],
    ['', 'notAuthenticated'],
    ['   ', 'notAuthenticated'],
    ['Basic dXNlcjpwYXNz', 'notAuthenticated'],
    ['Tokenabc123', 'notAuthenticated'],
    ['Token', 'tokenHeaderNoCredentials'],
    ['Token   ', 'tokenHeaderNoCredentials'],
    ['Bearer', 'tokenHeaderNoCredentials'],
    ['JWT', 'tokenHeaderNoCredentials'],
    ['Token abc 123', 'tokenHeaderSpaces'],
    ['Token a b c', 'tokenHeaderSpaces'],
    ['Token abcé', 'tokenHeaderInvalidCharacters'],
    ['Token abc\u0000', 'tokenHeaderInvalidCharacters'],
  ] as const)('rejects %j with %s', (header, error) => {
    expect(parseAuthorizationHeader(header)).toEqual({ ok: false, error });
  });
});
