const DEFAULT_RETURN = '/me';
const PROBE_ORIGIN = 'http://attest.invalid';

/**
 * Only same-origin relative paths are followed (rule 7): anything else, including
 * `//evil.example`, `/\evil.example`, absolute URLs and control characters, goes to /me.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return DEFAULT_RETURN;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return DEFAULT_RETURN;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return DEFAULT_RETURN;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return DEFAULT_RETURN;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_RETURN;
  // Never return into the sign-in machinery itself.
  if (url.pathname.startsWith('/auth/')) return DEFAULT_RETURN;
  return `${url.pathname}${url.search}${url.hash}`;
}
