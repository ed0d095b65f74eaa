import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SCRIPT = join(__dirname, 'oidc-provider.mjs');
const NODE = join(__dirname, '..', '..', 'node_modules', '.bin', 'node');

export type Tamper = 'forge' | 'nonce' | 'aud' | 'expired';

export interface NextLogin {
  sub: string;
  claims: Record<string, unknown>;
  acr?: string;
  amr?: string[];
  /** Re-sign the next token response's ID token: another key, another nonce or audience. */
  tamper?: Tamper;
}

/** panva's oidc-provider in a child process (test/helpers/oidc-provider.mjs). */
export interface TestOpenIdProvider {
  readonly issuer: string;
  /** Which account the next login at the provider signs in, and how. */
  nextLogin(login: NextLogin): Promise<void>;
  /**
   * Follows the provider's redirects from the authorization URL as a new browser would, with a
   * cookie jar of its own, and returns the URL it sends the browser back to (Attest's redirect URI).
   */
  authorize(authorizationUrl: string, redirectUri: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startOpenIdProvider(
  redirectUri: string,
  clientId: string,
  clientSecret: string,
  /** The public JWK of a second client, `<clientId>-key`, that uses private_key_jwt. */
  keyClientJwk?: Record<string, unknown>,
): Promise<TestOpenIdProvider> {
  const args = [SCRIPT, redirectUri, clientId, clientSecret];
  if (keyClientJwk) args.push(JSON.stringify(keyClientJwk));
  const child: ChildProcess = spawn(NODE, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the OpenID Provider exited (${code})`)));
  });
  return {
    issuer,
    async nextLogin(login) {
      const res = await fetch(`${issuer}/__test/next-login`, {
        method: 'POST',
        body: JSON.stringify(login),
      });
      if (res.status !== 204) throw new Error(`next-login answered ${res.status}`);
    },
    async authorize(authorizationUrl, returnTo) {
      // A fresh browser each time: no session at the provider, so every login is a new one.
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.href.startsWith(returnTo)) return url;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const at = pair.indexOf('=');
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
        url = new URL(location, url);
      }
      throw new Error('too many redirects at the provider');
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
