import { safeReturnTo } from './return-to';

const PUBLIC_URL = 'https://attest.example.com';

describe(safeReturnTo.name, () => {
  it.each([
    ['/me', '/me'],
    ['/documents/nda?tab=diff#v2', '/documents/nda?tab=diff#v2'],
    // Dot segments are resolved, and the redirect goes to exactly the resolved path.
    ['/documents/./nda', '/documents/nda'],
    ['/documents/x/../nda', '/documents/nda'],
    ['/%2e/me', '/me'],
    // Percent-encoded slashes stay encoded: a browser never treats them as a host boundary.
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/.%2F/evil.example', '/.%2F/evil.example'],
  ])('keeps the same-origin path %s as %s', (input, expected) => {
    expect(safeReturnTo(input, PUBLIC_URL)).toBe(expected);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['an absolute URL to this host over http', 'http://attest.example.com/me'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a backslash trick', '/\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without slash', 'me'],
    ['a control character', '/me\r\nLocation: https://evil.example'],
    ['a tab inside the dot segments', '/./\t/evil.example'],
    ['a dot segment that normalises to //', '/.//evil.example'],
    ['a parent segment that normalises to //', '/a/..//evil.example'],
    ['parent segments past the root', '/a/../..//evil.example'],
    ['a leading parent segment', '/..//evil.example'],
    ['an encoded dot that normalises to //', '/%2e//evil.example'],
    ['an encoded dot, upper case', '/%2E%2E//evil.example'],
    ['a backslash after dot segments', '/./\\evil.example'],
    ['the sign-in route itself', '/auth/saml/login'],
    ['the sign-in route in another case', '/Auth/saml/login'],
    ['the sign-in route behind dot segments', '/x/../auth/saml/login'],
    ['a non-string', ['/me']],
    ['an over-long path', `/${'a'.repeat(3000)}`],
  ])('sends %s to /me', (_case, input) => {
    expect(safeReturnTo(input, PUBLIC_URL)).toBe('/me');
  });

  it('returns a path that checks again to itself, so what was checked is what is followed', () => {
    for (const input of ['/documents/./nda', '/%2e/me', '/a/b/../c?x=1#y']) {
      const once = safeReturnTo(input, PUBLIC_URL);
      expect(safeReturnTo(once, PUBLIC_URL)).toBe(once);
    }
  });
});
