import { safeReturnTo } from './return-to';

describe(safeReturnTo.name, () => {
  it.each([
    ['/me', '/me'],
    ['/documents/nda?tab=diff#v2', '/documents/nda?tab=diff#v2'],
  ])('keeps the same-origin path %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a backslash trick', '/\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without slash', 'me'],
    ['a control character', '/me\r\nLocation: https://evil.example'],
    ['the sign-in route itself', '/auth/saml/login'],
    ['a non-string', ['/me']],
    ['an over-long path', `/${'a'.repeat(3000)}`],
  ])('sends %s to /me', (_case, input) => {
    expect(safeReturnTo(input)).toBe('/me');
  });
});
