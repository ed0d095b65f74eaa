const DEFAULT_RETURN = '/me';
const MAX_LENGTH = 2048;

/** A relative path whose first segment cannot be read as a host (`//host`, `/\host`). */
function isPlainPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Only same-origin paths are followed (rule 7). The value is resolved with the WHATWG URL
 * parser against PUBLIC_URL, as the browser will resolve the redirect, and the answer is the
 * normalised path that was checked: `/.//evil.example` normalises to `//evil.example`, which
 * a browser reads as another host (RFC 3986 §4.2, network-path reference), so it is refused
 * rather than followed. Anything refused goes to /me.
 */
export function safeReturnTo(value: unknown, publicUrl: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) {
    return DEFAULT_RETURN;
  }
  if (!isPlainPath(value) || hasControlCharacter(value)) return DEFAULT_RETURN;
  const base = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return DEFAULT_RETURN;
  }
  if (url.origin !== base.origin) return DEFAULT_RETURN;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised path is what the Location header carries: it must pass the same checks.
  if (!isPlainPath(path) || path.length > MAX_LENGTH) return DEFAULT_RETURN;
  if (new URL(path, base).href !== url.href) return DEFAULT_RETURN;
  // Never return into the sign-in machinery itself (Express matches routes case-insensitively).
  if (url.pathname.toLowerCase().startsWith('/auth/')) return DEFAULT_RETURN;
  return path;
}
