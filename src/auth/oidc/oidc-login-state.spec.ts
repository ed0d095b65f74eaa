import { DataCipher } from '../../common/crypto/data-cipher';
import { openPendingLogin, type PendingLogin, sealPendingLogin } from './oidc-login-state';

const cipher = new DataCipher({ current: Buffer.alloc(32, 3) });
const login: PendingLogin = {
  state: 's'.repeat(43),
  nonce: 'n'.repeat(43),
  codeVerifier: 'v'.repeat(43),
  returnTo: '/documents/nda',
  expiresAt: 1_796_637_600_000,
};

describe(openPendingLogin.name, () => {
  it('opens what it sealed, and the cookie reveals none of it', () => {
    const cookie = sealPendingLogin(cipher, login);
    expect(openPendingLogin(cipher, cookie)).toEqual(login);
    for (const secret of [login.state, login.nonce, login.codeVerifier, login.returnTo]) {
      expect(cookie).not.toContain(secret);
    }
  });

  it('refuses an altered cookie, one sealed under another key, or none', () => {
    const cookie = sealPendingLogin(cipher, login);
    const altered = `${cookie.slice(0, -2)}${cookie.endsWith('A') ? 'B' : 'A'}${cookie.slice(-1)}`;
    expect(openPendingLogin(cipher, altered)).toBeUndefined();
    const other = new DataCipher({ current: Buffer.alloc(32, 4) });
    expect(openPendingLogin(other, cookie)).toBeUndefined();
    expect(openPendingLogin(cipher, undefined)).toBeUndefined();
    expect(openPendingLogin(cipher, 'x'.repeat(5000))).toBeUndefined();
  });

  it('refuses a value sealed for another purpose under the same key', () => {
    const totp = cipher.encrypt(JSON.stringify(['a', 'b', 'c', '/', 1]), 'totp:p-1');
    expect(openPendingLogin(cipher, totp)).toBeUndefined();
  });
});
